import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPrivatetradeImages } from "@/examples/privatetrade/build-images";
import type { Deployment } from "@/lib/db/schema";
import { deployAndWait, engineFixture, type Fixture } from "@/tests/support/engine-fixture";
import {
  containersOf,
  expectServes,
  lockOf,
  stepOf,
  stepsOf,
  targetContainers,
} from "@/tests/support/scenario-helpers";
import { abortDeployment } from "./abort";
import { promoteDeployment } from "./promote";
import { getDeployment } from "./store";

// Long enough for a loaded 2-core machine to start the container and get an answer (the reason must name it).
const DEADLINE_S = 5;
let fx: Fixture;

beforeAll(async () => {
  await buildPrivatetradeImages({ versions: ["2.0.1"] });
  fx = await engineFixture(46010, "gl-fail", (svc) => {
    svc.health.deadlineSeconds = DEADLINE_S;
    svc.health.maxIntervalMs = 250;
    svc.container.stopGraceSeconds = 2;
  });
  const first = await deployAndWait(fx, "privatetrade:1.9.0", { autoPromote: true });
  expect(first.status, first.error ?? "").toBe("succeeded");
}, 60_000);
afterAll(async () => {
  await fx?.cleanup();
});

/** Deploys with fault knobs in the target's environment only; the live colour keeps its own. */
async function deployWithFaults(
  image: string,
  faults: Record<string, string>,
  opts: { version?: string } = {},
): Promise<Deployment> {
  const env = fx.service.container.env;
  Object.assign(env, faults);
  try {
    return await deployAndWait(fx, image, opts);
  } finally {
    for (const key of Object.keys(faults)) delete env[key];
  }
}

/** A failure before the switch: live colour untouched, target gone, its logs kept, lock free. */
async function expectFailedBeforeSwitch(
  dep: Deployment,
  live: { slot: "blue" | "green"; version: string },
  logLine?: RegExp,
) {
  expect(dep.status, dep.error ?? "").toBe("failed");
  expect(dep.switchedAt).toBeNull();
  expect(stepsOf(fx, dep.id).some((s) => s.startsWith("switch:") || s.startsWith("rollback:"))).toBe(false);
  await expectServes(fx, live.slot, live.version);
  expect(await targetContainers(fx, dep.id)).toEqual([]);
  const cleanup = stepOf(fx, dep.id, "cleanup");
  expect(cleanup?.status).toBe("passed");
  expect(cleanup?.summary).toMatch(/removed .*live slot untouched/);
  const logs = (cleanup?.detail as { logs?: string } | null)?.logs ?? "";
  if (logLine) expect(logs).toMatch(logLine);
  expect(lockOf(fx)).toBeNull();
}

describe("a target that never becomes healthy fails within the deadline (scenario 5)", () => {
  it("crashing command: fails at health as soon as the container keeps crashing, the crash is in the kept logs", async () => {
    // 2.0.0's migration is still pending: its compatibility rehearsal runs the live 1.9.0 with the environment it
    // runs with, not the target's faults, so it passes and the target fails on its own.
    const dep = await deployWithFaults("privatetrade:2.0.0", { FAULT_CRASH_ON_START: "1" });
    expect(stepOf(fx, dep.id, "migrate")?.status).toBe("passed");
    await expectFailedBeforeSwitch(dep, { slot: "blue", version: "1.9.0" }, /crashing on start/);
    expect(stepOf(fx, dep.id, "health")?.status).toBe("failed");
    expect(dep.error).toMatch(/never became healthy: the target (keeps crashing|exited with code 1)/);
  });

  it("wrong version on health (deployed as 2.0.7, reports 2.0.0): fails naming both versions", async () => {
    const dep = await deployAndWait(fx, "privatetrade:2.0.0", { version: "2.0.7" });
    await expectFailedBeforeSwitch(dep, { slot: "blue", version: "1.9.0" }, /Application started/);
    expect(dep.error).toMatch(/^The image reports 2\.0\.0; this release expects 2\.0\.7 \(is the tag right\?\)/);
  });

  it("wrong version reported by the image itself (FAULT_WRONG_VERSION)", async () => {
    const dep = await deployWithFaults("privatetrade:2.0.0", { FAULT_WRONG_VERSION: "9.9.9" });
    await expectFailedBeforeSwitch(dep, { slot: "blue", version: "1.9.0" });
    expect(dep.error).toMatch(/9\.9\.9/);
  });

  it("health answering 503: fails at health", async () => {
    const dep = await deployWithFaults("privatetrade:2.0.0", { FAULT_HEALTH_FAIL: "1" });
    await expectFailedBeforeSwitch(dep, { slot: "blue", version: "1.9.0" });
    expect(stepOf(fx, dep.id, "health")?.status).toBe("failed");
    expect(dep.error).toMatch(/503/);
  });

  it("an image that is neither on the host nor in a registry: fails in the pull, before any container is created", async () => {
    const dep = await deployAndWait(fx, "privatetrade:0.0.404");
    expect(dep.status).toBe("failed");
    // Preflight ran beside the pull and was stopped by its failure; the backup, if its turn came first, is harmless.
    expect(stepsOf(fx, dep.id).filter((s) => !s.startsWith("backup:"))).toEqual([
      "pull:failed",
      "preflight:skipped",
      "cleanup:passed",
    ]);
    // No registry host in the reference: Docker's default registry, which this machine cannot reach.
    expect(dep.error).toMatch(/privatetrade:0\.0\.404/);
    expect(dep.error).toMatch(/docker\.io/);
    await expectServes(fx, "blue", "1.9.0");
  });
});

describe("release sequences (scenario 6)", () => {
  it("good -> bad -> bad: each bad release fails, the good one keeps serving", async () => {
    const a = await deployWithFaults("privatetrade:2.0.0", { FAULT_HEALTH_FAIL: "1" });
    const b = await deployWithFaults("privatetrade:2.0.0", { FAULT_CRASH_ON_START: "1" });
    await expectFailedBeforeSwitch(a, { slot: "blue", version: "1.9.0" });
    await expectFailedBeforeSwitch(b, { slot: "blue", version: "1.9.0" });
    expect((await containersOf(fx)).map((c) => c.slot)).toEqual(["blue"]);
  });

  it("bad -> good: the good release after a failed one deploys and promotes normally", async () => {
    const dep = await deployAndWait(fx, "privatetrade:2.0.0");
    expect(dep.status, dep.error ?? "").toBe("awaiting_promotion");
    await promoteDeployment(fx.ctx, dep.id, "rm").pipeline;
    expect(getDeployment(fx.ctx.db, dep.id).status).toBe("succeeded");
    await expectServes(fx, "green", "2.0.0");
  });

  it("good (2.0.0 live) -> bad 2.0.1: green keeps serving", async () => {
    const dep = await deployWithFaults("privatetrade:2.0.1", { FAULT_HEALTH_FAIL: "1" });
    await expectFailedBeforeSwitch(dep, { slot: "green", version: "2.0.0" });
  });

  it("fix-forward after an abort: 2.0.1 aborted at the gate, then deployed again and promoted", async () => {
    const aborted = await deployAndWait(fx, "privatetrade:2.0.1");
    expect(aborted.status, aborted.error ?? "").toBe("awaiting_promotion");
    await abortDeployment(fx.ctx, aborted.id, "rm");
    expect(getDeployment(fx.ctx.db, aborted.id).status).toBe("aborted");
    expect(await targetContainers(fx, aborted.id)).toEqual([]);
    await expectServes(fx, "green", "2.0.0");

    const fixed = await deployAndWait(fx, "privatetrade:2.0.1");
    expect(fixed.status, fixed.error ?? "").toBe("awaiting_promotion");
    expect(fixed.fromSlot).toBe("green");
    expect(fixed.toSlot).toBe("blue");
    await promoteDeployment(fx.ctx, fixed.id, "rm").pipeline;
    expect(getDeployment(fx.ctx.db, fixed.id).status).toBe("succeeded");
    await expectServes(fx, "blue", "2.0.1");
    const running = (await containersOf(fx)).filter((c) => c.running).map((c) => c.slot);
    expect(running.sort()).toEqual(["blue", "green"]);
  });
});
