import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approveRollback } from "@/lib/approvals/approve-rollback";
import { breakGlassRollback } from "@/lib/approvals/break-glass";
import { expireRequests } from "@/lib/approvals/expire-requests";
import { REQUEST_EXPIRY_MS } from "@/lib/approvals/policy";
import { rollbackReadiness } from "@/lib/approvals/readiness";
import { rejectRollback } from "@/lib/approvals/reject-rollback";
import { requestRollback } from "@/lib/approvals/request-rollback";
import { getRollbackRequest, listRollbackRequests } from "@/lib/approvals/store";
import { supersedePending } from "@/lib/approvals/supersede";
import type { SessionUser } from "@/lib/auth/types";
import { rollbackRequests } from "@/lib/db/schema/rollback-requests";
import type { NotifyEvent } from "@/lib/deploy/context";
import { startDeployment } from "@/lib/deploy/start-deployment";
import { getDeployment, servingDeployment } from "@/lib/deploy/store";
import { deployAndWait, engineFixture, lbHealth, type Fixture } from "@/tests/support/engine-fixture";

let fx: Fixture;
const notes: NotifyEvent[] = [];
const u = (id: number, username: string, role: SessionUser["role"]): SessionUser => ({ id, username, role });
const viewer = u(1, "vera", "viewer");
const oncall = u(2, "olga", "oncall");
const oncall2 = u(3, "otto", "oncall");
const rm = u(4, "rita", "release_manager");
const rm2 = u(5, "rami", "release_manager");
const admin = u(6, "ada", "admin");
const REASON = "error rate on green is climbing since the switch";

type AuditRow = { actor: string; action: string; outcome: string; reason: string | null; target: string | null };
const audit = (action: string) =>
  fx.ctx.db.$client
    .prepare("SELECT actor, action, outcome, reason, target FROM audit_log WHERE action = ? ORDER BY id")
    .all(action) as AuditRow[];

async function refused(p: Promise<unknown> | (() => unknown), pattern: RegExp): Promise<void> {
  const run = typeof p === "function" ? Promise.resolve().then(p) : p;
  await expect(run).rejects.toThrow(pattern);
}

beforeAll(async () => {
  fx = await engineFixture(51000, "gl-appr");
  fx.ctx.notify = (e) => notes.push(e);
  expect((await deployAndWait(fx, "privatetrade:1.9.0", { autoPromote: true })).status).toBe("succeeded");
  const two = await deployAndWait(fx, "privatetrade:2.0.0", { autoPromote: true });
  expect(two.status, two.error ?? "").toBe("succeeded");
  expect(await lbHealth(fx)).toMatchObject({ status: 200, version: "2.0.0" });
}, 240_000);
afterAll(async () => {
  await fx?.cleanup();
});

describe("approval-gated rollback (scenario 28) against the real engine", () => {
  it("reports the rollback as ready: blue warm and healthy, backup verified, migration rehearsed against 1.9.0", async () => {
    const r = await rollbackReadiness(fx.ctx, fx.service.name);
    expect(r).toMatchObject({
      fromSlot: "blue",
      fromVersion: "1.9.0",
      oldColourRunning: true,
      oldColourHealthy: true,
      backupVerified: true,
      migrationCheckedAgainstOld: true,
      ready: true,
      problems: [],
    });
  });

  it("refuses a request from a viewer and one without a real reason, both audited", async () => {
    await refused(
      requestRollback(fx.ctx, { service: fx.service.name, reason: REASON }, viewer),
      /oncall role or higher/,
    );
    await refused(
      requestRollback(fx.ctx, { service: fx.service.name, reason: "bad" }, oncall),
      /at least 10 characters/,
    );
    expect(listRollbackRequests(fx.ctx.db, fx.service.name)).toEqual([]);
    const rows = audit("rollback.request");
    expect(rows.map((r) => [r.actor, r.outcome])).toEqual([
      ["vera", "denied"],
      ["olga", "denied"],
    ]);
    expect(rows[0]?.reason).toMatch(/oncall role or higher/);
  });

  it("refuses approval by a role without the right and after expiry; one pending request per service", async () => {
    const req = await requestRollback(fx.ctx, { service: fx.service.name, reason: REASON }, oncall);
    expect(req).toMatchObject({
      status: "pending",
      requestedBy: "olga",
      deploymentId: servingDeployment(fx.ctx.db, fx.service.name)?.id,
    });
    expect(req.expiresAt - req.createdAt).toBe(REQUEST_EXPIRY_MS);
    await refused(requestRollback(fx.ctx, { service: fx.service.name, reason: REASON }, rm), /olga already asked/);
    await refused(approveRollback(fx.ctx, req.id, oncall2), /release_manager or admin/);
    await refused(approveRollback(fx.ctx, req.id, rm, undefined, req.expiresAt + 1), /expired/);
    expect(getRollbackRequest(fx.ctx.db, req.id).status).toBe("expired");
    await refused(approveRollback(fx.ctx, req.id, rm), /expired/);
    expect((await lbHealth(fx)).version).toBe("2.0.0");
  });

  it("expires pending requests past their time in bulk", async () => {
    const req = await requestRollback(fx.ctx, { service: fx.service.name, reason: REASON }, oncall2);
    expect(expireRequests(fx.ctx, req.expiresAt - 1)).toEqual([]);
    expect(expireRequests(fx.ctx, req.expiresAt).map((r) => r.id)).toEqual([req.id]);
    expect(getRollbackRequest(fx.ctx.db, req.id).status).toBe("expired");
  });

  it("refuses self-approval and approval of a superseded request", async () => {
    const req = await requestRollback(fx.ctx, { service: fx.service.name, reason: REASON }, rm);
    await refused(approveRollback(fx.ctx, req.id, rm), /someone else has to approve/);
    await refused(() => rejectRollback(fx.ctx, req.id, rm, "changed my mind"), /someone else decides/);
    expect(supersedePending(fx.ctx.db, fx.service.name, "a new deployment started")).toBe(1);
    await refused(approveRollback(fx.ctx, req.id, rm2), /superseded \(a new deployment started\)/);
    expect(getRollbackRequest(fx.ctx.db, req.id)).toMatchObject({ status: "superseded", decidedBy: null });
  });

  it("rejects with a reason; a rejected request cannot be approved", async () => {
    const req = await requestRollback(fx.ctx, { service: fx.service.name, reason: REASON }, oncall);
    expect(rejectRollback(fx.ctx, req.id, rm2, "errors come from a partner outage")).toMatchObject({
      status: "rejected",
      decidedBy: "rami",
    });
    await refused(approveRollback(fx.ctx, req.id, admin), /rejected by rami/);
  });

  it("oncall requests, two approvers click at once: exactly one rollback runs and traffic is back on blue", async () => {
    const req = await requestRollback(fx.ctx, { service: fx.service.name, reason: REASON }, oncall);
    const results = await Promise.allSettled([
      approveRollback(fx.ctx, req.id, rm),
      approveRollback(fx.ctx, req.id, admin),
    ]);
    const ok = results.filter((r) => r.status === "fulfilled");
    const no = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(ok).toHaveLength(1);
    expect(no).toHaveLength(1);
    expect(String(no[0]?.reason)).toMatch(/already approved by (rita|ada)/);
    const done = getRollbackRequest(fx.ctx.db, req.id);
    expect(done.status, done.result ?? "").toBe("executed");
    expect(done.result).toMatch(/Traffic back on blue \(1\.9\.0\)/);
    const dep = getDeployment(fx.ctx.db, req.deploymentId);
    expect(dep.status).toBe("rolled_back");
    expect(dep.rollbackReason).toBe(`${REASON} (requested by olga, approved by ${done.decidedBy})`);
    expect(await lbHealth(fx)).toMatchObject({
      status: 200,
      version: "1.9.0",
      upstream: `127.0.0.1:${fx.service.slots.blue.port}`,
    });
    expect(audit("rollback.execute").map((r) => r.outcome)).toEqual(["ok"]);
  });

  it("audited every refused approval with its reason", () => {
    const denied = audit("rollback.approve").filter((r) => r.outcome === "denied");
    const reasons = denied.map((r) => r.reason ?? "");
    for (const pattern of [
      /release_manager or admin/,
      /expired/,
      /someone else has to approve/,
      /superseded/,
      /rejected by/,
      /already approved/,
    ])
      expect(
        reasons.some((r) => pattern.test(r)),
        `no denied audit row matching ${pattern}`,
      ).toBe(true);
    expect(audit("rollback.approve").filter((r) => r.outcome === "ok")).toHaveLength(1);
    expect(audit("rollback.supersede").length).toBeGreaterThanOrEqual(1);
  });

  it("a new deployment supersedes a pending request the moment it starts", async () => {
    const served = servingDeployment(fx.ctx.db, fx.service.name)!;
    const now = Date.now();
    fx.ctx.db
      .insert(rollbackRequests)
      .values({
        id: "r-stale",
        service: fx.service.name,
        deploymentId: served.id,
        requestedBy: "olga",
        requestedRole: "oncall",
        reason: REASON,
        status: "pending",
        createdAt: now,
        expiresAt: now + REQUEST_EXPIRY_MS,
      })
      .run();
    const started = await startDeployment(
      fx.ctx,
      { service: fx.service.name, image: "privatetrade:2.0.0", autoPromote: true },
      "rita",
    );
    expect(started.noop).toBe(false);
    expect(getRollbackRequest(fx.ctx.db, "r-stale")).toMatchObject({ status: "superseded" });
    expect(getRollbackRequest(fx.ctx.db, "r-stale").decisionReason).toMatch(/started/);
    if (!started.noop) await started.pipeline;
    expect((await lbHealth(fx)).version).toBe("2.0.0");
  }, 120_000);

  it("break-glass: admins only, refused when the config turns it off, else immediate, loud and audited", async () => {
    await refused(breakGlassRollback(fx.ctx, { service: fx.service.name, reason: REASON }, rm), /admins only/);
    fx.service.rollback.breakGlass = false;
    try {
      await refused(breakGlassRollback(fx.ctx, { service: fx.service.name, reason: REASON }, admin), /turned off/);
    } finally {
      fx.service.rollback.breakGlass = true;
    }
    await refused(breakGlassRollback(fx.ctx, { service: fx.service.name, reason: "now" }, admin), /at least 10/);
    notes.length = 0;
    const dep = await breakGlassRollback(
      fx.ctx,
      { service: fx.service.name, reason: "checkout is down for every customer" },
      admin,
    );
    expect(dep.status).toBe("rolled_back");
    expect(dep.rollbackReason).toBe("BREAK-GLASS by ada: checkout is down for every customer");
    expect((await lbHealth(fx)).version).toBe("1.9.0");
    expect(notes.find((n) => n.detail?.breakGlass)?.message).toMatch(/BREAK-GLASS: ada/);
    const rows = audit("rollback.break_glass");
    expect(rows.map((r) => `${r.actor}:${r.outcome}`)).toEqual(["rita:denied", "ada:denied", "ada:denied", "ada:ok"]);
  });
});
