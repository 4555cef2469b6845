import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDeploymentHandler } from "@/app/api/v1/_lib/deployments-read";
import { createDeployment } from "@/app/api/v1/_lib/deployments-write";
import type { Handler } from "@/app/api/v1/_lib/guarded";
import { createApiToken } from "@/lib/api-tokens/create";
import { queryAudit } from "@/lib/audit/query";
import { failureOfDeployment } from "@/lib/deploy/failure-kinds";
import { retryDeployment } from "@/lib/deploy/retry";
import { getDeployment, listSteps } from "@/lib/deploy/store";
import { readAttachments } from "@/lib/release/attachments";
import { deploymentReport } from "@/lib/views/metrics-report";
import { engineFixture, type Fixture } from "@/tests/support/engine-fixture";

let fx: Fixture;
const tokens = { ci: "", oncall: "" };
const admin = { id: 1, username: "ada", role: "admin" as const };
const report = (name: string) => fs.readFileSync(path.join(__dirname, "../../lib/release/fixtures", name), "utf8");

async function call<P>(handler: Handler<P>, params: P, token: string, body?: unknown) {
  const req = new Request("http://127.0.0.1:48210/api/v1/x", {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const res = await handler(req, params, fx.ctx);
  return { status: res.status, body: (await res.json()) as any };
}

const start = (token: string, body: unknown) => call(createDeployment, { service: fx.service.name }, token, body);

/** Waits (bounded) until the deployment leaves the running phases. */
async function settled(id: string) {
  for (let i = 0; i < 600; i++) {
    const dep = getDeployment(fx.ctx.db, id);
    if (!["running", "rolling_back"].includes(dep.status) && dep.finishedAt !== null) return dep;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`deployment ${id} did not settle`);
}

const preflightCheck = (id: string) => {
  const step = listSteps(fx.ctx.db, id).find((s) => s.phase === "preflight")!;
  const checks = (step.detail as { checks: { id: string; status: string; detail: string }[] }).checks;
  return { step, check: checks.find((c) => c.id === "test_report") };
};

beforeAll(async () => {
  fx = await engineFixture(48210, "gl-relnotes");
  const name = fx.service.name;
  tokens.ci = createApiToken(fx.ctx.db, { name: "ci", role: "release_manager", services: [name] }, admin).token;
  tokens.oncall = createApiToken(fx.ctx.db, { name: "oncall", role: "oncall", services: [name] }, admin).token;
}, 120_000);
afterAll(async () => {
  await fx?.cleanup();
});

describe("release notes and test reports attached through the API", () => {
  it("refuses bad attachments with a 400 naming what is wrong, before anything is recorded", async () => {
    const image = "privatetrade:1.9.0";
    const cases: [unknown, RegExp][] = [
      [{ image, testReport: report("malformed-unclosed.xml") }, /^testReport: not well-formed XML at line 5, column/],
      [{ image, testReport: report("not-junit.xml") }, /^testReport: the root element is <coverage>/],
      [{ image, testReport: report("doctype.xml") }, /^testReport: line 2: a DOCTYPE is not accepted/],
      [{ image, testReport: "x".repeat(2 * 1024 * 1024 + 1) }, /^testReport: the report is 2097153 bytes; at most/],
      [{ image, testReport: 51 }, /^testReport: /],
      [{ image, notes: "n".repeat(64 * 1024 + 1) }, /^notes: release notes are at most 65536 characters/],
      [
        { image, testReport: report("jest-junit.xml"), testFailureOverride: "hotfix for the outage" },
        /^testFailureOverride: only a release whose attached test report has failures needs an override/,
      ],
      [
        { image, testReport: report("pytest.xml"), testFailureOverride: "ok" },
        /^testFailureOverride: say in at least 10/,
      ],
    ];
    for (const [body, message] of cases) {
      const answer = await start(tokens.ci, body);
      expect(answer.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(answer.body.error.message).toMatch(message);
    }
    expect(fx.ctx.db.$client.prepare("SELECT count(*) AS n FROM deployments").get()).toEqual({ n: 0 });
    expect(fx.ctx.db.$client.prepare("SELECT count(*) AS n FROM leases WHERE name LIKE 'deploy:%'").get()).toEqual({
      n: 0,
    });
  });

  it("blocks a release whose report has failures at preflight, naming the count and the first failing cases; a retry is blocked too", async () => {
    const started = await start(tokens.ci, { image: "privatetrade:1.9.0", testReport: report("pytest.xml") });
    expect(started.status).toBe(202);
    const dep = await settled(started.body.id as string);
    expect(dep.status).toBe("failed");
    expect(dep.error).toContain(
      "2 of 7 tests failed: tests.test_orders.test_order_total[eur], tests.test_db.test_migration",
    );
    expect(preflightCheck(dep.id).step.status).toBe("failed");
    expect(failureOfDeployment(dep, listSteps(fx.ctx.db, dep.id))).toMatchObject({ kind: "tests_failed" });
    expect(preflightCheck(dep.id).check).toMatchObject({ status: "fail" });
    expect(listSteps(fx.ctx.db, dep.id).map((s) => s.phase)).not.toContain("start_target");

    const retried = await retryDeployment(fx.ctx, dep.id, "rita");
    if (retried.noop) throw new Error(retried.message);
    await retried.pipeline;
    const again = getDeployment(fx.ctx.db, retried.deploymentId);
    expect(again.status).toBe("failed");
    expect(preflightCheck(again.id).check).toMatchObject({ status: "fail" });
    expect(again.error).toContain("2 of 7 tests failed");
  }, 120_000);

  it("lets a release manager override the block with a reason, which the start's audit row and the report keep", async () => {
    const reason = "the two failures are the known rounding bug, fixed in 1.9.1";
    const body = { image: "privatetrade:1.9.0", autoPromote: true, testReport: report("pytest.xml") };
    const weak = await start(tokens.oncall, { ...body, testFailureOverride: reason });
    expect(weak.status).toBe(403);
    const started = await start(tokens.ci, { ...body, testFailureOverride: reason });
    expect(started.status).toBe(202);
    const dep = await settled(started.body.id as string);
    expect(dep.status).toBe("succeeded");
    const { step, check } = preflightCheck(dep.id);
    expect(step.status).toBe("warning");
    expect(check).toMatchObject({ status: "warn", detail: expect.stringContaining(`started anyway: ${reason}`) });
    const row = queryAudit(fx.ctx.db, { action: "deployment.start", limit: 1 }).rows[0]!;
    expect(row).toMatchObject({ actor: "token:ci", target: `deployment:${dep.id}` });
    expect(row.reason).toContain(`failed tests overridden: ${reason}`);
    expect(JSON.parse(String(row.details))).toMatchObject({
      testFailureOverride: reason,
      testReport: { total: 7, passed: 3, failed: 1, errors: 1, skipped: 2 },
    });
    expect(deploymentReport(fx.ctx.db, dep.id).rows[0]).toMatchObject({
      item: "Test pass rate",
      measured: "60 % (3/5), 2 skipped",
      status: "not_met",
    });
  }, 120_000);

  it("keeps the notes and the report's summary of a passing release; the report's first row is its pass rate", async () => {
    const notes = "# 2.0.0\n\n- Orders export to CSV\n";
    const started = await start(tokens.ci, {
      image: "privatetrade:2.0.0",
      autoPromote: true,
      notes,
      testReport: report("jest-junit.xml"),
    });
    expect(started.status).toBe(202);
    const dep = await settled(started.body.id as string);
    expect(dep.status).toBe("succeeded");
    expect(preflightCheck(dep.id).check).toMatchObject({ status: "pass", detail: "5/5 passed, 1 skipped" });
    expect(readAttachments(fx.ctx.db, dep.id)).toMatchObject({
      notes,
      testFailureOverride: null,
      testSummary: { total: 6, passed: 5, skipped: 1, timeSeconds: 2.846 },
    });
    const read = await call(getDeploymentHandler, { id: dep.id }, tokens.oncall);
    expect(read.body.release).toMatchObject({ notes, testFailureOverride: null, testSummary: { passed: 5 } });
    expect(read.body.release.testSummary.slowest[0].name).toBe("Checkout applies a discount code");
    expect(deploymentReport(fx.ctx.db, dep.id).rows[0]).toMatchObject({
      measured: "100 % (5/5), 1 skipped",
      status: "met",
    });
  }, 120_000);
});
