import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryAudit } from "@/lib/audit/query";
import { REFUSAL_LIMIT } from "@/lib/audit/throttle";
import { createUser } from "./create-user";
import { login } from "./login";
import { auditLogin } from "./record-login";
import { tempDb } from "./test-db";

const t = tempDb();
afterAll(() => t.close());
beforeAll(async () => {
  await createUser(t.db, { username: "rita", password: "rita-password", role: "release_manager" });
});
const origin = { sourceIp: "10.0.0.9", userAgent: "test" };

async function attempt(username: string, password: string) {
  try {
    const result = await login(t.db, { username, password, ip: origin.sourceIp });
    auditLogin(t.db, { typed: username, user: result.user, origin });
  } catch (error) {
    auditLogin(t.db, { typed: username, error, origin });
  }
}

describe("what a sign-in attempt leaves in the audit trail", () => {
  it("records a name that is no account as 'unknown user', never what was typed", async () => {
    const typed = "Correct-Horse-Battery-9";
    await attempt(typed, "whatever-was-in-the-password-box");
    const rows = queryAudit(t.db, { action: "auth.login" }).rows;
    expect(rows.map((r) => [r.actor, r.target, r.outcome, r.reason])).toEqual([
      ["unknown user", "user:unknown user", "denied", "Wrong username or password"],
    ]);
    expect(JSON.stringify(t.db.$client.prepare("SELECT * FROM audit_log").all()).toLowerCase()).not.toContain(
      typed.toLowerCase(),
    );
  });

  it("records at most the throttle's limit of failures from one address a minute, however many arrive", async () => {
    const flood = { sourceIp: "203.0.113.77", userAgent: "flood" };
    for (let i = 0; i < 60; i++) {
      try {
        await login(t.db, { username: `nobody-${i % 3}`, password: "guess-guess", ip: flood.sourceIp });
      } catch (error) {
        auditLogin(t.db, { typed: `nobody-${i % 3}`, error, origin: flood });
      }
    }
    const rows = t.db.$client
      .prepare("SELECT count(*) AS n FROM audit_log WHERE source_ip = ?")
      .get(flood.sourceIp) as { n: number };
    expect(rows.n).toBe(REFUSAL_LIMIT.perWindow);
  });

  it("records existing accounts under their own name, failed or signed in", async () => {
    await attempt("  RITA ", "wrong-password-1");
    await attempt("rita", "rita-password");
    const rows = queryAudit(t.db, { action: "auth.login", actor: "rita" }).rows;
    expect(rows.map((r) => [r.actor, r.outcome])).toEqual([
      ["rita", "ok"],
      ["rita", "denied"],
    ]);
  });
});
