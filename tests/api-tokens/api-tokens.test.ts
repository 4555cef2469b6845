import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "@/lib/api-tokens/create";
import { userFromApiToken } from "@/lib/api-tokens/authenticate";
import { listApiTokens } from "@/lib/api-tokens/list";
import { revokeApiToken } from "@/lib/api-tokens/revoke";
import { assertServiceScope, inServiceScope, serviceScope } from "@/lib/api-tokens/scope";
import { API_TOKEN_PATTERN, hashApiToken } from "@/lib/api-tokens/token";
import { createUser } from "@/lib/auth/create-user";
import { requireRoleForRequest } from "@/lib/auth/request-user";
import { setUserDisabled } from "@/lib/auth/disable-user";
import { createSession } from "@/lib/auth/sessions";
import { tempDb } from "@/lib/auth/test-db";
import type { SessionUser } from "@/lib/auth/types";

const admin: SessionUser = { id: 1, username: "ada", role: "admin" };
const rm: SessionUser = { id: 2, username: "rita", role: "release_manager" };
let t: ReturnType<typeof tempDb>;
beforeAll(() => {
  t = tempDb();
});
afterAll(() => t?.close());

const req = (headers: Record<string, string>) => new Request("http://127.0.0.1:51050/api/v1/services", { headers });

describe("API tokens on a real SQLite database", () => {
  it("creates a glt_ token shown once; only its SHA-256 and an 8-character prefix are stored", () => {
    const { token, record } = createApiToken(
      t.db,
      { name: "ci deploy", role: "release_manager", services: ["privatetrade"], expiresInDays: 30 },
      admin,
      1_000,
    );
    expect(token).toMatch(API_TOKEN_PATTERN);
    expect(record).toMatchObject({
      name: "ci deploy",
      role: "release_manager",
      services: ["privatetrade"],
      prefix: token.slice(0, 8),
      createdBy: "ada",
      expiresAt: 1_000 + 30 * 86_400_000,
      state: "active",
    });
    expect(record).not.toHaveProperty("tokenHash");
    const raw = t.db.$client.prepare("SELECT token_hash FROM api_tokens WHERE id = ?").get(record.id) as {
      token_hash: string;
    };
    expect(raw.token_hash).toBe(hashApiToken(token));
    expect(raw.token_hash).not.toContain(token.slice(4, 20));
    const dump = JSON.stringify(listApiTokens(t.db));
    expect(dump).not.toContain(raw.token_hash);
    expect(dump).not.toContain(token);
    const audited = t.db.$client
      .prepare("SELECT actor, action, details FROM audit_log WHERE action = 'api_token.create'")
      .all() as { details: string }[];
    expect(audited).toHaveLength(1);
    expect(audited[0]?.details).not.toContain(token);
  });

  it("only admins create or revoke tokens, and input is validated", () => {
    expect(() => createApiToken(t.db, { name: "x", role: "viewer", services: ["*"] }, rm)).toThrow(/Only an admin/);
    expect(() => createApiToken(t.db, { name: "x", role: "viewer", services: [] }, admin)).toThrow(
      /at least one service/,
    );
    expect(() =>
      createApiToken(t.db, { name: "x", role: "viewer", services: ["*"], expiresInDays: 400 }, admin),
    ).toThrow(/expiresInDays/);
    expect(() => createApiToken(t.db, { name: "x", role: "root" as never, services: ["*"] }, admin)).toThrow(/role/);
  });

  it("resolves a token to a scoped principal and records its last use", () => {
    const { token, record } = createApiToken(
      t.db,
      { name: "scoped", role: "oncall", services: ["privatetrade", "billing"] },
      admin,
    );
    const now = Date.now();
    const p = userFromApiToken(t.db, token, { ip: "127.0.0.7", now });
    expect(p).toMatchObject({
      kind: "api_token",
      tokenId: record.id,
      username: "token:scoped",
      role: "oncall",
      services: ["privatetrade", "billing"],
    });
    expect(serviceScope(p!)).toEqual(["privatetrade", "billing"]);
    expect(inServiceScope(p!, "billing")).toBe(true);
    expect(() => assertServiceScope(p!, "payments")).toThrow(/not allowed to act on payments/);
    expect(inServiceScope(rm, "payments")).toBe(true);
    expect(listApiTokens(t.db).find((r) => r.id === record.id)).toMatchObject({
      lastUsedAt: now,
      lastUsedIp: "127.0.0.7",
    });
  });

  it("refuses malformed, unknown, expired and revoked tokens", () => {
    const { token, record } = createApiToken(
      t.db,
      { name: "short", role: "viewer", services: ["*"], expiresInDays: 1 },
      admin,
      10_000,
    );
    expect(userFromApiToken(t.db, token, { now: 10_000 + 86_400_000 - 1 })).not.toBeNull();
    expect(userFromApiToken(t.db, token, { now: 10_000 + 86_400_000 })).toBeNull();
    expect(userFromApiToken(t.db, `glt_${"A".repeat(43)}`)).toBeNull();
    expect(userFromApiToken(t.db, token.slice(0, -1))).toBeNull();
    expect(userFromApiToken(t.db, "")).toBeNull();
    const live = createApiToken(t.db, { name: "revoked", role: "admin", services: ["*"] }, admin);
    expect(userFromApiToken(t.db, live.token)).not.toBeNull();
    revokeApiToken(t.db, live.record.id, admin);
    expect(userFromApiToken(t.db, live.token)).toBeNull();
    expect(() => revokeApiToken(t.db, live.record.id, admin)).toThrow(/already revoked/);
    expect(() => revokeApiToken(t.db, record.id, rm)).toThrow(/Only an admin/);
    expect(listApiTokens(t.db, 10_000 + 86_400_000).find((r) => r.id === record.id)?.state).toBe("expired");
    expect(listApiTokens(t.db).find((r) => r.id === live.record.id)?.state).toBe("revoked");
  });

  it("stops the tokens of an admin who is disabled, and revives them when the admin is enabled again", async () => {
    const dora = await createUser(t.db, { username: "dora", role: "admin", password: "correct horse battery staple" });
    const { token } = createApiToken(t.db, { name: "dora-ci", role: "release_manager", services: ["*"] }, dora);
    expect(userFromApiToken(t.db, token)).toMatchObject({ username: "token:dora-ci", owner: "dora" });
    setUserDisabled(t.db, "dora", true, null);
    expect(userFromApiToken(t.db, token)).toBeNull();
    setUserDisabled(t.db, "dora", false, null);
    expect(userFromApiToken(t.db, token)).not.toBeNull();
  });

  it("routes outside /api/v1 refuse every Bearer token, whatever its role and scope, and never fall back to the cookie", async () => {
    // Only /api/v1 checks a token's services: a token scoped to one service must not read another's data elsewhere.
    const scoped = createApiToken(
      t.db,
      { name: "ci-one-service", role: "admin", services: ["privatetrade"] },
      admin,
    ).token;
    const everything = createApiToken(t.db, { name: "ci-all", role: "admin", services: ["*"] }, admin).token;
    for (const token of [scoped, everything]) {
      for (const role of ["viewer", "oncall", "admin"] as const) {
        await expect(requireRoleForRequest(req({ authorization: `Bearer ${token}` }), role, t.db)).rejects.toThrow(
          /only under \/api\/v1/,
        );
      }
    }
    const user = await createUser(t.db, { username: "boss", role: "admin", password: "correct horse battery staple" });
    const { token: cookie } = createSession(t.db, user.id);
    await expect(
      requireRoleForRequest(req({ cookie: `greenlight_session=${cookie}` }), "admin", t.db),
    ).resolves.toMatchObject({ username: "boss" });
    await expect(
      requireRoleForRequest(
        req({ cookie: `greenlight_session=${cookie}`, authorization: `Bearer ${everything}` }),
        "viewer",
        t.db,
      ),
    ).rejects.toThrow(/only under \/api\/v1/);
  });
});
