import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAlertSilence } from "@/app/api/v1/_lib/alert-silences";
import { createUser } from "@/lib/auth/create-user";
import { tempDb } from "@/lib/auth/test-db";
import { configSchema } from "@/lib/config/schema";
import type { EngineContext } from "@/lib/deploy/context";
import { adaToken } from "@/tests/support/api-token";

let t: ReturnType<typeof tempDb>;
let ctx: EngineContext;
const tokens = { oncall: "", viewer: "", elsewhere: "" };

beforeAll(async () => {
  t = tempDb();
  await createUser(t.db, { username: "ada", password: "ada-password-long-enough", role: "admin" });
  const config = configSchema.parse({
    nginx: { mainConfig: "/nonexistent/nginx.conf", upstreamDir: "/nonexistent", lbUrl: "http://127.0.0.1:53199" },
    services: [
      { name: "privatetrade", image: "privatetrade", slots: { blue: { port: 53198 }, green: { port: 53197 } } },
      { name: "reports", image: "reports", slots: { blue: { port: 53196 }, green: { port: 53195 } } },
    ],
  });
  ctx = { db: t.db, config, dataDir: t.dir };
  tokens.oncall = adaToken(t.db, { name: "pager", role: "oncall", services: ["privatetrade"] });
  tokens.viewer = adaToken(t.db, { name: "wall", role: "viewer", services: ["*"] });
  tokens.elsewhere = adaToken(t.db, { name: "other", role: "oncall", services: ["reports"] });
});
afterAll(() => {
  t.db.$client.close();
  fs.rmSync(t.dir, { recursive: true, force: true });
});

async function post(service: string, token: string, body: unknown) {
  const req = new Request(`http://127.0.0.1/api/v1/services/${service}/alert-silences`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const res = await createAlertSilence(req, { service }, ctx);
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

const auditOf = () =>
  t.db.$client
    .prepare("SELECT actor, outcome, reason, target FROM audit_log WHERE action = 'alert.silence' ORDER BY id")
    .all() as Array<{ actor: string; outcome: string; reason: string; target: string }>;

describe("POST /api/v1/services/{service}/alert-silences", () => {
  it("silences a rule of the service for an on-call token, with the reason, and audits it", async () => {
    const before = Date.now();
    const res = await post("privatetrade", tokens.oncall, {
      rule: "error-rate",
      minutes: 45,
      reason: "provider outage",
    });
    expect(res.status).toBe(201);
    expect(res.body.silence).toMatchObject({ service: "privatetrade", rule: "error-rate", reason: "provider outage" });
    expect(res.body.silence.endsAt - before).toBeGreaterThanOrEqual(45 * 60_000);
    expect(res.body.silence.endsAt - before).toBeLessThan(45 * 60_000 + 5_000);
    expect(auditOf().at(-1)).toMatchObject({
      outcome: "ok",
      reason: "provider outage",
      target: "service:privatetrade",
    });
  });

  it("refuses a viewer, a token scoped to another service, an unknown rule and a missing reason, each audited", async () => {
    const viewer = await post("privatetrade", tokens.viewer, { minutes: 10, reason: "just looking" });
    expect(viewer.status).toBe(403);
    const elsewhere = await post("privatetrade", tokens.elsewhere, { minutes: 10, reason: "wrong service" });
    expect(elsewhere.status).toBe(403);
    const unknown = await post("privatetrade", tokens.oncall, { rule: "cpu", minutes: 10, reason: "no such rule" });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe(
      'privatetrade has no alert rule "cpu"; its rules are error-rate, latency-p95, memory.',
    );
    const noReason = await post("privatetrade", tokens.oncall, { minutes: 10, reason: " " });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toMatch(/^reason: say why/);
    const tooLong = await post("privatetrade", tokens.oncall, { minutes: 20_000, reason: "a week and more" });
    expect(tooLong.status).toBe(400);
    // A body the route itself refuses (minutes out of range) never reaches the verb; every other refusal is audited.
    expect(auditOf().map((r) => r.outcome)).toEqual(["ok", "denied", "denied", "denied", "denied"]);
    expect(t.db.$client.prepare("SELECT count(*) AS n FROM alert_silences").get()).toEqual({ n: 1 });
  });
});
