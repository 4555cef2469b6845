import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { authenticate } from "./authenticate";
import { ensureBootstrapAdmin } from "./bootstrap";
import { createUser } from "./create-user";
import { setUserDisabled } from "./disable-user";
import { listUsers } from "./list-users";
import { createSession, userFromToken } from "./sessions";
import { setPassword } from "./set-password";
import { setRole } from "./set-role";
import { tempDb } from "./test-db";

const t = tempDb();
const { db } = t;
afterAll(() => t.close());

describe("users", () => {
  beforeAll(async () => {
    await createUser(db, { username: "Alice", password: "alice-password", role: "release_manager" });
  });

  it("stores lower-cased usernames and never the password", () => {
    const row = db.$client.prepare("SELECT username, password_hash FROM users").get() as {
      username: string;
      password_hash: string;
    };
    expect(row.username).toBe("alice");
    expect(row.password_hash).not.toContain("alice-password");
    expect(listUsers(db).map((u) => [u.username, u.role])).toEqual([["alice", "release_manager"]]);
  });

  it("refuses duplicates, bad roles, short passwords and bad names with clear errors", async () => {
    await expect(createUser(db, { username: "ALICE", password: "another-pass", role: "viewer" })).rejects.toThrow(
      new ConflictError('User "alice" already exists'),
    );
    await expect(createUser(db, { username: "bob", password: "bob-password", role: "superuser" })).rejects.toThrow(
      /Role must be one of: viewer, oncall, release_manager, admin/,
    );
    await expect(createUser(db, { username: "bob", password: "short", role: "viewer" })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(
      createUser(db, { username: "bob smith", password: "long-enough", role: "viewer" }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(() => setRole(db, "nobody", "admin", null)).toThrow(NotFoundError);
  });

  it("authenticates with the right password only", async () => {
    expect(await authenticate(db, "alice", "alice-password")).toMatchObject({
      username: "alice",
      role: "release_manager",
    });
    expect(await authenticate(db, "alice", "wrong-password")).toBeNull();
    expect(await authenticate(db, "nobody", "alice-password")).toBeNull();
  });

  it("revokes the user's sessions when the role changes", () => {
    const a = createSession(db, 1);
    const b = createSession(db, 1);
    expect(userFromToken(db, a.token)?.role).toBe("release_manager");
    expect(setRole(db, "alice", "viewer", null)).toEqual({ previous: "release_manager", role: "viewer" });
    expect(userFromToken(db, a.token)).toBeNull();
    expect(userFromToken(db, b.token)).toBeNull();
    const c = createSession(db, 1);
    expect(userFromToken(db, c.token)?.role).toBe("viewer");
  });

  it("set-password signs out everywhere and only the new password works", async () => {
    const s = createSession(db, 1);
    await setPassword(db, "alice", "new-alice-password");
    expect(userFromToken(db, s.token)).toBeNull();
    expect(await authenticate(db, "alice", "alice-password")).toBeNull();
    expect(await authenticate(db, "alice", "new-alice-password")).not.toBeNull();
  });

  it("a disabled user cannot sign in and loses live sessions", async () => {
    const s = createSession(db, 1);
    setUserDisabled(db, "alice", true, null);
    expect(userFromToken(db, s.token)).toBeNull();
    expect(await authenticate(db, "alice", "new-alice-password")).toBeNull();
    setUserDisabled(db, "alice", false, null);
    expect(await authenticate(db, "alice", "new-alice-password")).not.toBeNull();
  });
});

describe("an admin and their own account", () => {
  it("cannot change their own role or disable themselves, whatever the entry point; another admin or the shell can", async () => {
    const x = tempDb();
    try {
      await createUser(x.db, { username: "root", password: "root-password", role: "admin" });
      await createUser(x.db, { username: "other", password: "other-password", role: "admin" });
      expect(() => setRole(x.db, "root", "viewer", "root")).toThrow(
        new ConflictError("You cannot change the role of yourself; ask another admin."),
      );
      expect(() => setRole(x.db, "ROOT", "viewer", "root")).toThrow(ConflictError);
      expect(() => setUserDisabled(x.db, "root", true, "Root")).toThrow(
        new ConflictError("You cannot disable yourself; ask another admin."),
      );
      expect(listUsers(x.db).find((u) => u.username === "root")).toMatchObject({ role: "admin", disabledAt: null });
      // Enabling is not refused (a disabled admin cannot be signed in to ask anyway).
      expect(() => setUserDisabled(x.db, "root", false, "root")).not.toThrow();
      expect(setRole(x.db, "root", "oncall", "other")).toEqual({ previous: "admin", role: "oncall" });
      expect(setRole(x.db, "root", "admin", null)).toEqual({ previous: "oncall", role: "admin" });
      setUserDisabled(x.db, "other", true, "root");
      expect(listUsers(x.db).find((u) => u.username === "other")?.disabledAt).not.toBeNull();
    } finally {
      x.close();
    }
  });
});

describe("ensureBootstrapAdmin", () => {
  it("creates admin only when there are no users and the password is set", async () => {
    const fresh = tempDb();
    try {
      expect(await ensureBootstrapAdmin(fresh.db, {})).toBeNull();
      expect(await ensureBootstrapAdmin(fresh.db, { GREENLIGHT_ADMIN_PASSWORD: "first-admin-pw" })).toBe("admin");
      expect(await ensureBootstrapAdmin(fresh.db, { GREENLIGHT_ADMIN_PASSWORD: "other-admin-pw" })).toBeNull();
      expect(await authenticate(fresh.db, "admin", "first-admin-pw")).toMatchObject({ role: "admin" });
    } finally {
      fresh.close();
    }
    expect(await ensureBootstrapAdmin(db, { GREENLIGHT_ADMIN_PASSWORD: "first-admin-pw" })).toBeNull();
  });
});
