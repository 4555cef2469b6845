import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempDb } from "@/lib/auth/test-db";
import { auditEngineEvent } from "./engine-event";
import { queryAudit } from "./query";
import { recordAudit } from "./record";
import { verifyAuditChain } from "./verify";
import { GENESIS_HASH } from "./types";

let fx: ReturnType<typeof tempDb>;
beforeEach(() => (fx = tempDb()));
afterEach(() => fx.close());

const sqlite = () => fx.db.$client;

function seed(n: number) {
  for (let i = 0; i < n; i++)
    recordAudit(fx.db, {
      actor: `user${i % 2}`,
      role: "admin",
      action: i % 3 ? "deploy.start" : "rollback.approve",
      target: "privatetrade",
      at: 1_000 + i,
    });
}

describe("audit chain", () => {
  it("chains rows from the genesis hash and verifies", () => {
    seed(5);
    const rows = sqlite().prepare("SELECT id, prev_hash, hash FROM audit_log ORDER BY id").all() as Array<{
      id: number;
      prev_hash: string;
      hash: string;
    }>;
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    expect(verifyAuditChain(fx.db)).toEqual({ ok: true, rows: 5 });
  });

  it("refuses UPDATE and DELETE through its triggers", () => {
    seed(2);
    expect(() => sqlite().prepare("UPDATE audit_log SET actor = 'mallory' WHERE id = 1").run()).toThrow(/append-only/);
    expect(() => sqlite().prepare("DELETE FROM audit_log WHERE id = 2").run()).toThrow(/append-only/);
    expect(sqlite().prepare("SELECT actor FROM audit_log WHERE id = 1").get()).toEqual({ actor: "user0" });
    expect(verifyAuditChain(fx.db).ok).toBe(true);
  });

  it("detects a tampered field and names the row", () => {
    seed(5);
    sqlite().exec("DROP TRIGGER audit_log_no_update");
    sqlite().prepare("UPDATE audit_log SET outcome = 'ok', reason = 'nothing to see' WHERE id = 3").run();
    expect(verifyAuditChain(fx.db)).toEqual({
      ok: false,
      rows: 2,
      brokenAt: 3,
      reason: "its content does not match its hash",
    });
  });

  it("detects a rewritten row whose own hash was recomputed, at the next row", () => {
    seed(4);
    sqlite().exec("DROP TRIGGER audit_log_no_update");
    sqlite().prepare("UPDATE audit_log SET hash = ? WHERE id = 2").run("f".repeat(64));
    const verdict = verifyAuditChain(fx.db);
    expect(verdict).toMatchObject({ ok: false, brokenAt: 2 });
  });

  it("detects a deleted row as a gap", () => {
    seed(5);
    sqlite().exec("DROP TRIGGER audit_log_no_delete");
    sqlite().prepare("DELETE FROM audit_log WHERE id = 2").run();
    expect(verifyAuditChain(fx.db)).toEqual({ ok: false, rows: 1, brokenAt: 3, reason: "rows 2..2 are missing" });
  });

  it("joins the caller's transaction: a rolled-back change leaves no audit row", () => {
    seed(1);
    const tx = sqlite().transaction(() => {
      recordAudit(fx.db, { actor: "alice", action: "user.disable", target: "bob" });
      throw new Error("the change failed");
    });
    expect(() => tx()).toThrow("the change failed");
    expect(queryAudit(fx.db, {}).total).toBe(1);
    recordAudit(fx.db, { actor: "alice", action: "user.disable", target: "bob" });
    expect(verifyAuditChain(fx.db)).toEqual({ ok: true, rows: 2 });
  });
});

describe("secrets in the audit trail", () => {
  it("never stores sensitive keys or known secret values", () => {
    const secret = "xoxb-very-secret-value-123";
    const row = recordAudit(
      fx.db,
      {
        actor: "alice",
        action: "settings.test_notification",
        reason: `posted with ${secret}`,
        details: {
          webhookUrl: "https://hooks.slack.com/services/T0/B0/abc",
          nested: {
            token: "t0k3n",
            apiKey: "k",
            Authorization: "Bearer zzz",
            message: `sent to ${secret} ok`,
            list: [secret],
          },
          password: "hunter22",
          count: 3,
        },
      },
      [secret],
    );
    const stored = sqlite().prepare("SELECT * FROM audit_log WHERE id = ?").get(row.id) as Record<string, unknown>;
    const text = JSON.stringify(stored);
    for (const leaked of [secret, "hooks.slack.com", "t0k3n", "Bearer zzz", "hunter22"])
      expect(text).not.toContain(leaked);
    expect(JSON.parse(stored.details as string)).toEqual({
      count: 3,
      nested: {
        Authorization: "[redacted]",
        apiKey: "[redacted]",
        list: ["••••••"],
        message: "sent to •••••• ok",
        token: "[redacted]",
      },
      password: "[redacted]",
      webhookUrl: "[redacted]",
    });
    expect(stored.reason).toBe("posted with ••••••");
  });
});

describe("queries and engine events", () => {
  it("filters by actor, action, outcome and time, newest first, with a total", () => {
    seed(6);
    recordAudit(fx.db, {
      actor: "mallory",
      action: "rollback.approve",
      outcome: "denied",
      reason: "self-approval",
      at: 5_000,
    });
    expect(queryAudit(fx.db, { outcome: "denied" }).rows.map((r) => [r.actor, r.reason])).toEqual([
      ["mallory", "self-approval"],
    ]);
    const page = queryAudit(fx.db, { actor: "user0", limit: 2 });
    expect(page.total).toBe(3);
    expect(page.rows.map((r) => r.id)).toEqual([5, 3]);
    expect(queryAudit(fx.db, { from: 1_002, to: 1_004 }).rows.map((r) => r.id)).toEqual([4, 3]);
    expect(queryAudit(fx.db, { action: "rollback.approve", offset: 1 }).rows.map((r) => r.id)).toEqual([4, 1]);
    expect(() => queryAudit(fx.db, { limit: 0 })).toThrow(/Invalid audit query/);
  });

  it("records engine events with actor greenlight", () => {
    auditEngineEvent(fx.db, {
      kind: "automatic_rollback",
      service: "privatetrade",
      deploymentId: "dep-1",
      message: "error rate 4.2% > 1%",
      detail: { trigger: { metric: "errorRate", value: 4.2, threshold: 1 } },
    });
    auditEngineEvent(fx.db, {
      kind: "rollback_failed",
      service: "privatetrade",
      deploymentId: "dep-1",
      message: "blue is gone",
    });
    const rows = queryAudit(fx.db, { actor: "greenlight" }).rows;
    expect(rows.map((r) => [r.action, r.outcome, r.target, r.reason])).toEqual([
      ["engine.rollback_failed", "failed", "privatetrade", "blue is gone"],
      ["engine.automatic_rollback", "ok", "privatetrade", "error rate 4.2% > 1%"],
    ]);
    expect(JSON.parse(rows[1]!.details)).toEqual({
      deploymentId: "dep-1",
      trigger: { metric: "errorRate", threshold: 1, value: 4.2 },
    });
  });
});

describe("scripts/audit-verify.ts", () => {
  const run = (file: string) =>
    promisify(execFile)(path.join(process.cwd(), "node_modules/.bin/tsx"), ["scripts/audit-verify.ts", file]).then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: { code: number; stderr: string }) => ({ code: e.code, out: e.stderr }),
    );

  it("prints the verdict and exits 1 on a broken chain", async () => {
    seed(3);
    const file = fx.db.$client.name;
    expect(await run(file)).toEqual({ code: 0, out: expect.stringContaining("Audit chain intact: 3 rows") });
    sqlite().exec("DROP TRIGGER audit_log_no_update");
    sqlite().prepare("UPDATE audit_log SET actor = 'someone' WHERE id = 2").run();
    expect(await run(file)).toEqual({ code: 1, out: expect.stringContaining("Audit chain BROKEN at row 2") });
  });
});
