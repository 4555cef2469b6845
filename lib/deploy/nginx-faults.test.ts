import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { masterPid } from "@/lib/nginx/nginx-ctl";
import { workerProcesses } from "@/lib/nginx/nginx-processes";
import { upstreamFile } from "@/lib/nginx/switch-upstream";
import { deployAndWait, engineFixture, type Fixture } from "@/tests/support/engine-fixture";
import { expectServes, lockOf, stepOf, stepsOf, targetContainers } from "@/tests/support/scenario-helpers";
import { ConflictError } from "@/lib/errors";
import { startNginx, stopNginx } from "@/lib/nginx/nginx-ctl";
import { promoteDeployment } from "./promote";
import { recoverDeployments } from "./recovery";
import { expireKeptTargets } from "./retention";
import { retrySwitch } from "./retry-switch";
import { getDeployment, listEvents, updateDeployment } from "./store";

let fx: Fixture;

beforeAll(async () => {
  fx = await engineFixture(46040, "gl-ngx", (svc) => {
    svc.container.stopGraceSeconds = 2;
  });
  const first = await deployAndWait(fx, "privatetrade:1.9.0", { autoPromote: true });
  expect(first.status, first.error ?? "").toBe("succeeded");
});
afterAll(async () => {
  await fx?.cleanup();
});

const upstream = () => fs.readFileSync(upstreamFile(fx.config.nginx.upstreamDir, fx.service.name), "utf8");
/** The worker pids of our nginx: a reload replaces them, so unchanged pids mean no reload took place. */
const workers = () =>
  workerProcesses(masterPid(fx.config.nginx)!)
    .map((w) => w.pid)
    .sort();

describe("nginx -t fails at the switch (scenario 14)", () => {
  it("no reload, the previous upstream file is back, blue serves, the deployment fails without a rollback", async () => {
    // A service that keeps no target after a failed switch: the deployment ends at once, its target removed.
    fx.service.promotion.keepTargetAfterSwitchFailureMinutes = 0;
    const dep = await deployAndWait(fx, "privatetrade:2.0.0");
    expect(dep.status, dep.error ?? "").toBe("awaiting_promotion");
    const fileBefore = upstream();
    const workersBefore = workers();
    const broken = path.join(fx.config.nginx.upstreamDir, "zz-broken.conf");
    fs.writeFileSync(broken, "this is not an nginx directive;\n");
    try {
      await promoteDeployment(fx.ctx, dep.id, "rm").pipeline;
    } finally {
      fs.rmSync(broken, { force: true });
      fx.service.promotion.keepTargetAfterSwitchFailureMinutes = 30;
    }
    const done = getDeployment(fx.ctx.db, dep.id);
    expect(done.status).toBe("failed");
    expect(done.switchedAt).toBeNull();
    expect(done.error).toMatch(/nginx rejected the configuration, so traffic was not switched/);
    expect(stepsOf(fx, dep.id).slice(-3)).toEqual(["gate:passed", "switch:failed", "cleanup:passed"]);
    expect(upstream()).toBe(fileBefore);
    expect(workers()).toEqual(workersBefore);
    await expectServes(fx, "blue", "1.9.0");
    expect(await targetContainers(fx, dep.id)).toEqual([]);
    expect(lockOf(fx)).toBeNull();
  });
});

describe("nginx -t passes but the reload does not take effect (scenario 15)", () => {
  it("verify through nginx sees blue still answering; the deployment is rolled back and blue serves", async () => {
    const wrapper = path.join(fx.root, "nginx-ignoring-reload.sh");
    fs.writeFileSync(
      wrapper,
      `#!/bin/sh\n# Passes everything to nginx except the reload signal, which it drops.\nif [ "$1" = "-s" ] && [ "$2" = "reload" ]; then exit 0; fi\nexec nginx "$@"\n`,
    );
    fs.chmodSync(wrapper, 0o755);
    const realBinary = fx.ctx.config.nginx.binary;
    const workersBefore = workers();
    fx.ctx.config.nginx.binary = wrapper;
    fx.service.health.verifyDeadlineSeconds = 3;
    let dep;
    try {
      dep = await deployAndWait(fx, "privatetrade:2.0.0", { autoPromote: true });
    } finally {
      fx.ctx.config.nginx.binary = realBinary;
      fx.service.health.verifyDeadlineSeconds = 10;
    }
    expect(dep.status, dep.error ?? "").toBe("rolled_back");
    expect(stepsOf(fx, dep.id).slice(-4)).toEqual([
      "gate:skipped",
      "switch:warning",
      "verify:failed",
      "rollback:passed",
    ]);
    expect(stepOf(fx, dep.id, "switch")?.summary).toMatch(/nginx did not confirm the reload/);
    const verify = stepOf(fx, dep.id, "verify");
    expect(verify?.summary).toMatch(/Traffic did not reach green through nginx/);
    expect(verify?.detail).toMatchObject({
      ok: false,
      lastVersion: "1.9.0",
      lastUpstream: `127.0.0.1:${fx.service.slots.blue.port}`,
    });
    expect(dep.rollbackReason).toMatch(/did not reach green/);
    expect(workers()).toEqual(workersBefore);
    await expectServes(fx, "blue", "1.9.0");
    expect(upstream()).toMatch(new RegExp(`127\\.0\\.0\\.1:${fx.service.slots.blue.port}`));
    expect(await targetContainers(fx, dep.id)).toEqual([]);
    expect(lockOf(fx)).toBeNull();
  }, 60_000);
});

describe("nginx refuses the switch for a reason outside the release: the target is kept for Retry the switch", () => {
  const count = (id: string, phase: string) => stepsOf(fx, id).filter((s) => s.startsWith(`${phase}:`)).length;

  it("a broken nginx config: kept through a restart and a retry that nginx refuses again, then switched", async () => {
    const dep = await deployAndWait(fx, "privatetrade:2.0.0");
    expect(dep.status, dep.error ?? "").toBe("awaiting_promotion");
    const target = (await targetContainers(fx, dep.id)).map((c) => c.id);
    expect(target).toHaveLength(1);
    const fileBefore = upstream();
    const broken = path.join(fx.config.nginx.upstreamDir, "zz-broken.conf");
    fs.writeFileSync(broken, "this is not an nginx directive;\n");
    let kept;
    try {
      const before = Date.now();
      await promoteDeployment(fx.ctx, dep.id, "rm").pipeline;
      kept = getDeployment(fx.ctx.db, dep.id);
      expect(kept.status, kept.error ?? "").toBe("switch_failed");
      expect(kept.switchedAt).toBeNull();
      expect(kept.finishedAt).toBeNull();
      expect(kept.error).toMatch(/nginx rejected the configuration/);
      // 30 min, the default, from the moment of the failure.
      expect(kept.keptUntil).toBeGreaterThanOrEqual(before + 30 * 60_000);
      expect(kept.keptUntil).toBeLessThanOrEqual(Date.now() + 30 * 60_000);
      expect(stepsOf(fx, dep.id).slice(-2)).toEqual(["gate:passed", "switch:failed"]);
      expect(listEvents(fx.ctx.db, dep.id).at(-1)?.message).toMatch(
        /Next step: Run `nginx -t` on the host and fix the file it names, then Retry the switch \(the checked target green is kept until \d\d:\d\d UTC\)/,
      );
      expect(upstream()).toBe(fileBefore);
      await expectServes(fx, "blue", "1.9.0");
      expect((await targetContainers(fx, dep.id)).map((c) => [c.id, c.running])).toEqual([[target[0], true]]);
      expect(lockOf(fx)?.holder).toBe(dep.id);

      // A Greenlight restart in between keeps it: the target runs and its time is not up.
      const recovered = await recoverDeployments(fx.ctx);
      expect(recovered).toContainEqual(expect.objectContaining({ deploymentId: dep.id, action: "kept_waiting" }));
      expect(getDeployment(fx.ctx.db, dep.id).status).toBe("switch_failed");
      expect((await targetContainers(fx, dep.id)).map((c) => c.id)).toEqual(target);

      // Retrying before nginx is fixed re-checks the target and fails the same way, keeping it again.
      await retrySwitch(fx.ctx, dep.id, "rm").pipeline;
      expect(getDeployment(fx.ctx.db, dep.id).status).toBe("switch_failed");
      expect(stepsOf(fx, dep.id).slice(-3)).toEqual(["health:passed", "smoke:passed", "switch:failed"]);
    } finally {
      fs.rmSync(broken, { force: true });
    }

    // nginx fixed: the retry switches to the very container that was kept, without a second backup or migration.
    const retried = retrySwitch(fx.ctx, dep.id, "rm");
    await expect(async () => retrySwitch(fx.ctx, dep.id, "rm2").pipeline).rejects.toThrow(ConflictError);
    await retried.pipeline;
    const done = getDeployment(fx.ctx.db, dep.id);
    expect(done.status, done.error ?? "").toBe("succeeded");
    expect(done.keptUntil).toBeNull();
    expect(done.error).toBeNull();
    await expectServes(fx, "green", "2.0.0");
    expect((await targetContainers(fx, dep.id)).map((c) => c.id)).toEqual(target);
    expect(count(dep.id, "backup")).toBe(1);
    expect(count(dep.id, "migrate")).toBe(1);
    expect(count(dep.id, "health")).toBe(3);
    expect(stepsOf(fx, dep.id).slice(-6)).toEqual([
      "health:passed",
      "smoke:passed",
      "switch:passed",
      "verify:passed",
      "watch:skipped", // the test stack's bake window is 0 s
      "done:passed",
    ]);
    expect(lockOf(fx)).toBeNull();
  }, 120_000);

  it("nginx not running: kept; nobody retries in time, so it expires with its target removed", async () => {
    const dep = await deployAndWait(fx, "privatetrade:1.9.0");
    expect(dep.status, dep.error ?? "").toBe("awaiting_promotion");
    await stopNginx(fx.config.nginx);
    try {
      await promoteDeployment(fx.ctx, dep.id, "rm").pipeline;
    } finally {
      await startNginx(fx.config.nginx);
    }
    const kept = getDeployment(fx.ctx.db, dep.id);
    expect(kept.status, kept.error ?? "").toBe("switch_failed");
    expect(kept.error).toMatch(/nginx is not running/);
    expect(stepOf(fx, dep.id, "switch")?.detail).toMatchObject({ kind: "reload_not_applied", trafficMoved: false });
    expect(await targetContainers(fx, dep.id)).toHaveLength(1);
    await expectServes(fx, "green", "2.0.0");

    // Its time is not up yet: nothing happens.
    expect(await expireKeptTargets(fx.ctx, kept.keptUntil! - 1000)).toEqual([]);
    expect(await expireKeptTargets(fx.ctx, kept.keptUntil! + 1)).toEqual([dep.id]);
    const expired = getDeployment(fx.ctx.db, dep.id);
    expect(expired.status).toBe("expired");
    expect(expired.error).toMatch(/Nobody retried the switch by \d\d:\d\d UTC; the kept target was removed/);
    expect(await targetContainers(fx, dep.id)).toEqual([]);
    expect(lockOf(fx)).toBeNull();
    await expectServes(fx, "green", "2.0.0");
    expect(() => retrySwitch(fx.ctx, dep.id, "rm")).toThrow(/expired; only a deployment whose switch failed/);
  }, 120_000);

  it("a restart after the kept time is up ends it expired, with its target removed", async () => {
    const dep = await deployAndWait(fx, "privatetrade:1.9.0");
    expect(dep.status, dep.error ?? "").toBe("awaiting_promotion");
    const broken = path.join(fx.config.nginx.upstreamDir, "zz-broken.conf");
    fs.writeFileSync(broken, "this is not an nginx directive;\n");
    try {
      await promoteDeployment(fx.ctx, dep.id, "rm").pipeline;
    } finally {
      fs.rmSync(broken, { force: true });
    }
    expect(getDeployment(fx.ctx.db, dep.id).status).toBe("switch_failed");
    // Greenlight was down past the moment the target was kept until.
    updateDeployment(fx.ctx.db, dep.id, { keptUntil: Date.now() - 1000 });
    const recovered = await recoverDeployments(fx.ctx);
    expect(recovered).toContainEqual(expect.objectContaining({ deploymentId: dep.id, action: "failed" }));
    const ended = getDeployment(fx.ctx.db, dep.id);
    expect(ended.status).toBe("expired");
    expect(ended.error).toMatch(/kept for a retry of the switch ran out of time while Greenlight was down/);
    expect(await targetContainers(fx, dep.id)).toEqual([]);
    expect(lockOf(fx)).toBeNull();
    await expectServes(fx, "green", "2.0.0");
  }, 120_000);
});
