import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempDb } from "@/lib/auth/test-db";
import { recordAudit } from "./record";
import { verifyAuditChainSinceCheckpoint } from "./verify-incremental";

let fx: ReturnType<typeof tempDb>;
beforeEach(() => (fx = tempDb()));
afterEach(() => fx.close());

const seed = (n: number, from = 0) => {
  for (let i = 0; i < n; i++)
    recordAudit(fx.db, { actor: "alice", action: "deploy.start", target: `t${from + i}`, at: 1_000 + from + i });
};

describe("verifying the audit chain from a checkpoint", () => {
  it("hashes only the rows added since the last verdict, and counts the whole chain", () => {
    seed(50);
    expect(verifyAuditChainSinceCheckpoint(fx.db)).toEqual({ ok: true, rows: 50, checkedNow: 50 });
    expect(verifyAuditChainSinceCheckpoint(fx.db)).toEqual({ ok: true, rows: 50, checkedNow: 0 });
    seed(3, 50);
    expect(verifyAuditChainSinceCheckpoint(fx.db)).toEqual({ ok: true, rows: 53, checkedNow: 3 });
  });

  it("still finds a tampered new row, and a changed checkpoint row", () => {
    seed(5);
    verifyAuditChainSinceCheckpoint(fx.db);
    seed(2, 5);
    fx.db.$client.exec("DROP TRIGGER audit_log_no_update");
    fx.db.$client.prepare("UPDATE audit_log SET outcome = 'denied' WHERE id = 7").run();
    expect(verifyAuditChainSinceCheckpoint(fx.db)).toEqual({
      ok: false,
      rows: 6,
      brokenAt: 7,
      reason: "its content does not match its hash",
      checkedNow: 1,
    });
    fx.db.$client.prepare("UPDATE audit_log SET hash = ? WHERE id = 5").run("e".repeat(64));
    expect(verifyAuditChainSinceCheckpoint(fx.db)).toMatchObject({
      ok: false,
      brokenAt: 5,
      reason: "the last verified row is gone or changed since it was verified",
    });
  });
});
