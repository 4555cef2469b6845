import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeContainer } from "@/lib/docker/containers";
import { upstreamFile } from "@/lib/nginx/switch-upstream";
import { deployAndWait, engineFixture, type Fixture } from "@/tests/support/engine-fixture";
import {
  containersOf,
  expectConflict,
  expectServes,
  lockOf,
  stepOf,
  stepsOf,
  targetContainers,
} from "@/tests/support/scenario-helpers";
import type { NotifyEvent } from "./context";
import { slotContainer } from "./live-slot";
import { rollbackDeployment } from "./rollback";
import { getDeployment } from "./store";

let fx: Fixture;
const events: NotifyEvent[] = [];

beforeAll(async () => {
  fx = await engineFixture(46030, "gl-rb", (svc) => {
    svc.thresholds.evaluateEverySeconds = 0.5;
    svc.container.stopGraceSeconds = 2;
  });
  fx.ctx.notify = (e) => events.push(e);
  const first = await deployAndWait(fx, "privatetrade:1.9.0", { autoPromote: true });
  expect(first.status, first.error ?? "").toBe("succeeded");
});
afterAll(async () => {
  await fx?.cleanup();
});

describe("failures before and after the switch (scenario 9)", () => {
  it("a failure before the switch never touches nginx", async () => {
    const before = fs.readFileSync(upstreamFile(fx.config.nginx.upstreamDir, fx.service.name), "utf8");
    // Health passes, every other request fails: the smoke tests stop it at the last check before the gate.
    fx.service.container.env.FAULT_ERROR_RATE = "1";
    let dep;
    try {
      dep = await deployAndWait(fx, "privatetrade:2.0.0", { autoPromote: true });
    } finally {
      delete fx.service.container.env.FAULT_ERROR_RATE;
    }
    expect(dep.status).toBe("failed");
    expect(dep.switchedAt).toBeNull();
    expect(stepsOf(fx, dep.id).slice(-2)).toEqual(["smoke:failed", "cleanup:passed"]);
    expect(dep.error).toMatch(/Smoke test failed/);
    expect(fs.readFileSync(upstreamFile(fx.config.nginx.upstreamDir, fx.service.name), "utf8")).toBe(before);
    await expectServes(fx, "blue", "1.9.0");
    expect(await targetContainers(fx, dep.id)).toEqual([]);
  });

  it("a metric breach in the watch window sends traffic back to blue, which was still running", async () => {
    fx.service.watch.bakeSeconds = 3;
    fx.ctx.watchEvaluator = async () => ({
      verdict: "breach",
      reasons: [{ metric: "error_rate", value: 5, threshold: 1 }],
    });
    const blueBefore = await slotContainer(fx.service.name, "blue");
    let dep;
    try {
      dep = await deployAndWait(fx, "privatetrade:2.0.0", { autoPromote: true });
    } finally {
      fx.service.watch.bakeSeconds = 0;
      fx.ctx.watchEvaluator = undefined;
    }
    expect(dep.status, dep.error ?? "").toBe("rolled_back");
    expect(dep.switchedAt).not.toBeNull();
    expect(dep.rollbackReason).toMatch(/error_rate 5 exceeded 1/);
    expect(stepsOf(fx, dep.id).slice(-4)).toEqual([
      "switch:passed",
      "verify:passed",
      "watch:failed",
      "rollback:passed",
    ]);
    const rollback = stepOf(fx, dep.id, "rollback");
    expect(rollback?.detail).toMatchObject({ automatic: true, by: "greenlight" });
    await expectServes(fx, "blue", "1.9.0");
    // Blue is the same container that served before: it kept running through the switch.
    const blueAfter = await slotContainer(fx.service.name, "blue");
    expect(blueAfter).toMatchObject({ id: blueBefore!.id, running: true, startedAt: blueBefore!.startedAt });
    expect((await containersOf(fx)).map((c) => c.slot)).toEqual(["blue"]);
    expect(events.filter((e) => e.deploymentId === dep.id).map((e) => e.kind)).toEqual(
      expect.arrayContaining(["automatic_rollback", "rollback_started", "rolled_back"]),
    );
    expect(events.find((e) => e.kind === "automatic_rollback" && e.deploymentId === dep.id)?.detail).toMatchObject({
      trigger: { metric: "error_rate", value: 5, threshold: 1 },
    });
    expect(lockOf(fx)).toBeNull();
  });
});

describe("rollback when the old slot is gone (scenario 10)", () => {
  it("is refused with a reason that says to deploy the previous release as a new deployment", async () => {
    const dep = await deployAndWait(fx, "privatetrade:2.0.0", { autoPromote: true });
    expect(dep.status, dep.error ?? "").toBe("succeeded");
    await expectServes(fx, "green", "2.0.0");
    const blue = await slotContainer(fx.service.name, "blue");
    expect(blue?.running).toBe(true);
    await removeContainer(blue!.id);

    await expectConflict(
      rollbackDeployment(fx.ctx, { deploymentId: dep.id, reason: "customer reports", by: "rm" }),
      /The blue slot \(1\.9\.0\) no longer exists.*Deploy privatetrade:1\.9\.0 as a new, fully checked deployment instead/,
    );
    const after = getDeployment(fx.ctx.db, dep.id);
    expect(after.status).toBe("succeeded");
    expect(stepsOf(fx, dep.id).some((s) => s.startsWith("rollback:"))).toBe(false);
    expect(lockOf(fx)).toBeNull();
    await expectServes(fx, "green", "2.0.0");

    // Following that advice works: 1.9.0 goes out as a new deployment with every check, onto blue.
    const redeploy = await deployAndWait(fx, "privatetrade:1.9.0", { autoPromote: true });
    expect(redeploy.status, redeploy.error ?? "").toBe("succeeded");
    expect(redeploy.toSlot).toBe("blue");
    await expectServes(fx, "blue", "1.9.0");
  });

  it("a deployment that never moved traffic cannot be rolled back", async () => {
    const dep = await deployAndWait(fx, "privatetrade:2.0.0");
    expect(dep.status, dep.error ?? "").toBe("awaiting_promotion");
    await expectConflict(
      rollbackDeployment(fx.ctx, { deploymentId: dep.id, reason: "x", by: "rm" }),
      /never moved traffic; there is nothing to roll back \(abort it instead\)/,
    );
    expect(getDeployment(fx.ctx.db, dep.id).status).toBe("awaiting_promotion");
  });
});
