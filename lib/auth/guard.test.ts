import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ForbiddenError, UnauthorizedError } from "@/lib/errors";
import { checkRole } from "./check-role";
import { SESSION_COOKIE } from "./cookie";
import { createUser } from "./create-user";
import { requireRoleForRequest, roleAtLeast } from "./guard";
import { ROLES } from "./roles";
import { createSession } from "./sessions";
import { tempDb } from "./test-db";

const t = tempDb();
const { db } = t;
afterAll(() => t.close());
const tokens: Record<string, string> = {};
beforeAll(async () => {
  for (const role of ROLES) {
    const user = await createUser(db, { username: role.replace("_", "-"), password: `${role}-password`, role });
    tokens[role] = createSession(db, user.id).token;
  }
});

function request(headers: Record<string, string>): Request {
  return new Request("http://127.0.0.1:3190/api/thing", { method: "POST", headers });
}
const withCookie = (role: string, extra: Record<string, string> = {}) =>
  request({ cookie: `theme=dark; ${SESSION_COOKIE}=${tokens[role]}; other=1`, ...extra });

describe("roleAtLeast", () => {
  it("orders viewer < oncall < release_manager < admin", () => {
    expect(roleAtLeast("viewer", "viewer")).toBe(true);
    expect(roleAtLeast("viewer", "oncall")).toBe(false);
    expect(roleAtLeast("oncall", "release_manager")).toBe(false);
    expect(roleAtLeast("release_manager", "oncall")).toBe(true);
    expect(roleAtLeast("release_manager", "admin")).toBe(false);
    expect(roleAtLeast("admin", "release_manager")).toBe(true);
  });
});

describe("checkRole", () => {
  it("no user is UnauthorizedError, too weak a role is ForbiddenError", () => {
    expect(() => checkRole(null, "viewer")).toThrow(UnauthorizedError);
    expect(() => checkRole({ id: 1, username: "v", role: "viewer" }, "oncall")).toThrow(
      new ForbiddenError("This needs the oncall or higher role; you are viewer"),
    );
    expect(() => checkRole({ id: 1, username: "a", role: "admin" }, ["release_manager"])).toThrow(ForbiddenError);
    expect(checkRole({ id: 1, username: "r", role: "release_manager" }, ["release_manager", "admin"]).username).toBe(
      "r",
    );
  });
});

describe("requireRoleForRequest", () => {
  it("finds the user from the session cookie", async () => {
    await expect(requireRoleForRequest(withCookie("release_manager"), "oncall", db)).resolves.toMatchObject({
      username: "release-manager",
      role: "release_manager",
    });
    await expect(requireRoleForRequest(withCookie("admin"), "admin", db)).resolves.toMatchObject({ role: "admin" });
  });

  it("throws ForbiddenError for too weak a role", async () => {
    await expect(requireRoleForRequest(withCookie("viewer"), "admin", db)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(requireRoleForRequest(withCookie("oncall"), "release_manager", db)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });

  it("throws UnauthorizedError with no or a bad session", async () => {
    await expect(requireRoleForRequest(request({}), "viewer", db)).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(
      requireRoleForRequest(request({ cookie: `${SESSION_COOKIE}=${"A".repeat(43)}` }), "viewer", db),
    ).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it("ignores a forged x-middleware-subrequest header", async () => {
    const forged = { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" };
    await expect(requireRoleForRequest(request(forged), "viewer", db)).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(requireRoleForRequest(withCookie("viewer", forged), "admin", db)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });

  it("refuses Bearer tokens until API tokens exist, without falling back to the cookie", async () => {
    await expect(
      requireRoleForRequest(withCookie("admin", { authorization: "Bearer some-ci-token" }), "viewer", db),
    ).rejects.toBeInstanceOf(UnauthorizedError);
  });
});
