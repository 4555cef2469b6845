import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { masterPid } from "@/lib/nginx/nginx-ctl";
import { workerProcesses } from "@/lib/nginx/nginx-processes";
import { upstreamFile } from "@/lib/nginx/switch-upstream";
import { deployAndWait, engineFixture, type Fixture } from "@/tests/support/engine-fixture";
import { expectServes, lockOf, stepOf, stepsOf, targetContainers } from "@/tests/support/scenario-helpers";
import { promoteDeployment } from "./promote";
import { getDeployment } from "./store";

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
