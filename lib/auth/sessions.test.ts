import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "./create-user";
import {
  createSession,
  deleteSession,
  hashToken,
  purgeExpiredSessions,
  SESSION_IDLE_MS,
  SESSION_MAX_MS,
  userFromToken,
} from "./sessions";
import { tempDb } from "./test-db";

const t = tempDb();
const { db } = t;
let userId = 0;
afterAll(() => t.close());
beforeAll(async () => {
  userId = (await createUser(db, { username: "oncall", password: "oncall-password", role: "oncall" })).id;
});

const H = 60 * 60 * 1000;

describe("sessions", () => {
  it("stores only the SHA-256 of a 32-byte token", () => {
    const { token } = createSession(db, userId, { ip: "127.0.0.1", userAgent: "test" }, 0);
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    const rows = db.$client.prepare("SELECT token_hash FROM sessions").all() as { token_hash: string }[];
    expect(rows.map((r) => r.token_hash)).toContain(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it("expires after 12 idle hours", () => {
    const start = 1_000_000;
    const { token, expiresAt } = createSession(db, userId, {}, start);
    expect(expiresAt).toBe(start + SESSION_IDLE_MS);
    expect(userFromToken(db, token, start + 11 * H)).toMatchObject({ username: "oncall", role: "oncall" });
    // Used at 11 h, so it now lives until 23 h.
    expect(userFromToken(db, token, start + 22 * H)).not.toBeNull();
    expect(userFromToken(db, token, start + 22 * H + SESSION_IDLE_MS)).toBeNull();
    // An expired session is deleted, not just refused.
    expect(userFromToken(db, token, start)).toBeNull();
  });

  it("ends 7 days after sign-in even when used all the time", () => {
    const start = 5_000_000;
    const { token } = createSession(db, userId, {}, start);
    for (let at = start + 10 * H; at < start + SESSION_MAX_MS; at += 10 * H) {
      expect(userFromToken(db, token, at)).not.toBeNull();
    }
    expect(userFromToken(db, token, start + SESSION_MAX_MS)).toBeNull();
  });

  it("refuses unknown, malformed and deleted tokens", () => {
    const { token } = createSession(db, userId);
    expect(userFromToken(db, undefined)).toBeNull();
    expect(userFromToken(db, "")).toBeNull();
    expect(userFromToken(db, "not a token")).toBeNull();
    expect(userFromToken(db, hashToken(token))).toBeNull();
    expect(userFromToken(db, token)).not.toBeNull();
    deleteSession(db, token);
    expect(userFromToken(db, token)).toBeNull();
  });

  it("purges expired sessions", () => {
    createSession(db, userId, {}, 0);
    const live = createSession(db, userId);
    expect(purgeExpiredSessions(db)).toBeGreaterThan(0);
    expect(userFromToken(db, live.token)).not.toBeNull();
  });
});

describe("the scheduled purge", () => {
  it("deletes expired sessions at start and then on every tick, keeping live ones", async () => {
    const { startSessionPurge } = await import("./purge-sessions-job");
    const user = await createUser(db, { username: "purged", password: "purged-password", role: "viewer" });
    const count = () =>
      (db.$client.prepare("SELECT count(*) AS n FROM sessions WHERE user_id = ?").get(user.id) as { n: number }).n;
    createSession(db, user.id, {}, 0);
    const live = createSession(db, user.id);
    const stop = startSessionPurge(db, 20);
    try {
      expect(count()).toBe(1);
      createSession(db, user.id, {}, 1);
      for (let i = 0; i < 100 && count() > 1; i++) await new Promise((r) => setTimeout(r, 10));
      expect(count()).toBe(1);
      expect(userFromToken(db, live.token)).not.toBeNull();
    } finally {
      stop();
    }
  });
});
