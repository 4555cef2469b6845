import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployAndWait, engineFixture, type Fixture } from "@/tests/support/engine-fixture";
import {
  expectConflict,
  expectServes,
  lockOf,
  stepsOf,
  targetContainers,
  PRE_GATE_STEPS,
} from "@/tests/support/scenario-helpers";
import { abortDeployment } from "./abort";
import { promoteDeployment } from "./promote";
import { expirePreviews } from "./retention";
import { retryDeployment } from "./retry";
import { startDeployment } from "./start-deployment";
import { getDeployment } from "./store";

let fx: Fixture;
const MINUTE = 60_000;

beforeAll(async () => {
  fx = await engineFixture(46020, "gl-gate", (svc) => {
    svc.promotion.previewExpiresMinutes = 30;
    svc.container.stopGraceSeconds = 2;
  });
  const first = await deployAndWait(fx, "privatetrade:1.9.0", { autoPromote: true });
  expect(first.status, first.error ?? "").toBe("succeeded");
});
afterAll(async () => {
  await fx?.cleanup();
});

describe("waiting for promotion longer than the deadline (scenario 7)", () => {
  it("within the deadline the preview stays; past it, it expires with a clear state and promotion is refused", async () => {
    const dep = await deployAndWait(fx, "privatetrade:2.0.0");
    expect(dep.status, dep.error ?? "").toBe("awaiting_promotion");
    const reached = dep.gateReachedAt!;

    expect(await expirePreviews(fx.ctx, reached + 29 * MINUTE)).toEqual([]);
    expect(getDeployment(fx.ctx.db, dep.id).status).toBe("awaiting_promotion");
    expect(await targetContainers(fx, dep.id)).toHaveLength(1);

    expect(await expirePreviews(fx.ctx, reached + 31 * MINUTE)).toEqual([dep.id]);
    const expired = getDeployment(fx.ctx.db, dep.id);
    expect(expired.status).toBe("expired");
    expect(expired.error).toMatch(/Nobody promoted it within 30 min; the preview expired/);
    expect(await targetContainers(fx, dep.id)).toEqual([]);
    expect(lockOf(fx)).toBeNull();
    await expectServes(fx, "blue", "1.9.0");

    await expectConflict(
      (async () => promoteDeployment(fx.ctx, dep.id, "late-rm"))(),
      new RegExp(`Deployment ${dep.id} is expired, not waiting for promotion`),
    );
    expect(getDeployment(fx.ctx.db, dep.id).promotedBy).toBeNull();
    await expectServes(fx, "blue", "1.9.0");
  });
});

describe("abort, then retry (scenario 8)", () => {
  it("an abort while the checks run stops the pipeline; the live colour never notices", async () => {
    fx.service.container.env.FAULT_STARTUP_DELAY_MS = "20000";
    let id: string;
    try {
      const started = await startDeployment(fx.ctx, { service: fx.service.name, image: "privatetrade:2.0.0" }, "test");
      if (started.noop) throw new Error(started.message);
      id = started.deploymentId;
      // Abort once the target is up and the health poll is waiting for it.
      for (let i = 0; i < 200 && getDeployment(fx.ctx.db, id).phase !== "health"; i++)
        await new Promise((r) => setTimeout(r, 25));
      expect(getDeployment(fx.ctx.db, id).phase).toBe("health");
      await abortDeployment(fx.ctx, id, "rm");
      await started.pipeline;
    } finally {
      delete fx.service.container.env.FAULT_STARTUP_DELAY_MS;
    }
    const dep = getDeployment(fx.ctx.db, id);
    expect(dep.status).toBe("aborted");
    expect(stepsOf(fx, id)).toContain("health:failed");
    expect(stepsOf(fx, id).at(-1)).toBe("cleanup:passed");
    expect(await targetContainers(fx, id)).toEqual([]);
    expect(lockOf(fx)).toBeNull();
    await expectServes(fx, "blue", "1.9.0");

    const retry = await retryDeployment(fx.ctx, id, "rm");
    if (retry.noop) throw new Error(retry.message);
    await retry.pipeline;
    const again = getDeployment(fx.ctx.db, retry.deploymentId);
    expect(again.status, again.error ?? "").toBe("awaiting_promotion");
    expect(again.id).not.toBe(id);
    // Every check runs again, in order, for the new record.
    expect(stepsOf(fx, again.id).map((s) => s.split(":")[0])).toEqual(PRE_GATE_STEPS.map((s) => s.split(":")[0]));
    await abortDeployment(fx.ctx, again.id, "rm");
    expect(getDeployment(fx.ctx.db, again.id).status).toBe("aborted");
  });

  it("abort at the gate, then retry: the retry runs every check again and can be promoted", async () => {
    const dep = await deployAndWait(fx, "privatetrade:2.0.0");
    expect(dep.status, dep.error ?? "").toBe("awaiting_promotion");
    await abortDeployment(fx.ctx, dep.id, "rm");
    expect(getDeployment(fx.ctx.db, dep.id).status).toBe("aborted");
    expect(stepsOf(fx, dep.id).at(-1)).toBe("cleanup:passed");
    await expectConflict(
      (async () => promoteDeployment(fx.ctx, dep.id, "rm"))(),
      /is aborted, not waiting for promotion/,
    );

    const retry = await retryDeployment(fx.ctx, dep.id, "rm");
    if (retry.noop) throw new Error(retry.message);
    await retry.pipeline;
    const steps = stepsOf(fx, retry.deploymentId);
    expect(steps.map((s) => s.split(":")[0])).toEqual(PRE_GATE_STEPS.map((s) => s.split(":")[0]));
    expect(steps.filter((s) => s.endsWith(":failed"))).toEqual([]);
    expect(getDeployment(fx.ctx.db, retry.deploymentId).status).toBe("awaiting_promotion");

    await promoteDeployment(fx.ctx, retry.deploymentId, "rm").pipeline;
    const done = getDeployment(fx.ctx.db, retry.deploymentId);
    expect(done.status, done.error ?? "").toBe("succeeded");
    await expectServes(fx, "green", "2.0.0");
    // A retry of the aborted deployment after success is a no-op: its release already serves.
    const again = await retryDeployment(fx.ctx, dep.id, "rm");
    expect(again.noop).toBe(true);
  });

  it("only finished, unsuccessful deployments can be retried", async () => {
    const latest = await deployAndWait(fx, "privatetrade:1.9.0");
    expect(latest.status, latest.error ?? "").toBe("awaiting_promotion");
    await expectConflict(
      retryDeployment(fx.ctx, latest.id, "rm"),
      /is awaiting promotion; only failed, aborted, expired or rolled back/,
    );
    await abortDeployment(fx.ctx, latest.id, "rm");
    await expectServes(fx, "green", "2.0.0");
  });
});
