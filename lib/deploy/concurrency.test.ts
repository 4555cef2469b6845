import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployAndWait, engineFixture, type Fixture } from "@/tests/support/engine-fixture";
import {
  containersOf,
  deploymentCount,
  expectConflict,
  expectServes,
  lockOf,
  stepsOf,
} from "@/tests/support/scenario-helpers";
import { ConflictError } from "@/lib/errors";
import { abortDeployment } from "./abort";
import { acquireLease, deployLockName, forceReleaseLease } from "./lease";
import { promoteDeployment } from "./promote";
import { rollbackDeployment } from "./rollback";
import { startDeployment, type StartDeploymentResult } from "./start-deployment";
import { getDeployment } from "./store";

let fx: Fixture;
let firstId: string;

beforeAll(async () => {
  fx = await engineFixture(46000, "gl-conc");
  const first = await deployAndWait(fx, "privatetrade:1.9.0", { autoPromote: true });
  expect(first.status, first.error ?? "").toBe("succeeded");
  firstId = first.id;
});
afterAll(async () => {
  await fx?.cleanup();
});

const start = (by = "test") => startDeployment(fx.ctx, { service: fx.service.name, image: "privatetrade:2.0.0" }, by);

/** Starts 2.0.0, waits for the gate, aborts it: the lock and slot are free again. */
async function startToGateAndAbort(): Promise<void> {
  const started = await start();
  if (started.noop) throw new Error(started.message);
  await started.pipeline;
  expect(getDeployment(fx.ctx.db, started.deploymentId).status).toBe("awaiting_promotion");
  await abortDeployment(fx.ctx, started.deploymentId, "test");
  expect(lockOf(fx)).toBeNull();
}

/** A pid that certainly belongs to no process any more. */
function deadPid(): number {
  const child = spawnSync("true");
  return child.pid!;
}

describe("deploying the version that already serves (scenario 13)", () => {
  it("is a no-op with a clear message and records no deployment", async () => {
    const before = deploymentCount(fx);
    const result = await startDeployment(fx.ctx, { service: fx.service.name, image: "privatetrade:1.9.0" }, "test");
    expect(result.noop).toBe(true);
    expect(result.noop && result.message).toMatch(/already serves 1\.9\.0 from blue; nothing to deploy/);
    expect(deploymentCount(fx)).toBe(before);
    expect(lockOf(fx)).toBeNull();
  });
});

describe("a stale deploy lock (scenario 2)", () => {
  const lock = () => deployLockName(fx.service.name);
  /** The lock as a crashed deployment left it: taken `agoMs` ago for `ttlMs`. */
  const crashedHolder = (ttlMs: number, agoMs: number) =>
    acquireLease(fx.ctx.db, {
      name: lock(),
      holder: "dep-crashed",
      reason: "deploy 2.0.0 by alice",
      ttlMs,
      now: Date.now() - agoMs,
    });

  it("refuses a deployment while another holder's lease is unexpired, naming the holder and its age", async () => {
    const before = deploymentCount(fx);
    crashedHolder(120_000, 30_000);
    // The holder's process is gone, as after a kill -9: the lease still holds until it expires.
    fx.ctx.db.$client
      .prepare("UPDATE leases SET owner_pid = ?, instance = 'gone' WHERE name = ?")
      .run(deadPid(), lock());
    const error = await expectConflict(start(), /locked: held by dep-crashed \(deploy 2\.0\.0 by alice\) for 3\d s/);
    expect(error.message).toMatch(/expires in \d+ s/);
    expect(deploymentCount(fx)).toBe(before);
    expect(lockOf(fx)?.holder).toBe("dep-crashed");
  });

  it("proceeds once the lease has expired", async () => {
    crashedHolder(60_000, 61_000);
    await startToGateAndAbort();
  });

  it("waits for a deployment that has ended but still cleans up, instead of refusing the next one", async () => {
    // The lock is still held by a deployment already in a final state, as while a failed target is being removed.
    acquireLease(fx.ctx.db, { name: lock(), holder: firstId, reason: "deploy 1.9.0 by test", ttlMs: 60_000 });
    let released = false;
    const timer = setTimeout(() => {
      released = forceReleaseLease(fx.ctx.db, lock())?.holder === firstId;
    }, 1_500);
    try {
      const started = await start("fix-forward");
      expect(released).toBe(true);
      if (started.noop) throw new Error(started.message);
      expect(lockOf(fx)?.holder).toBe(started.deploymentId);
      await started.pipeline;
      expect(getDeployment(fx.ctx.db, started.deploymentId).status).toBe("awaiting_promotion");
      await abortDeployment(fx.ctx, started.deploymentId, "test");
    } finally {
      clearTimeout(timer);
    }
    expect(lockOf(fx)).toBeNull();
  });

  it("proceeds after an admin force-releases the lease", async () => {
    acquireLease(fx.ctx.db, { name: lock(), holder: "dep-crashed", reason: "deploy 2.0.0 by alice", ttlMs: 3_600_000 });
    await expectConflict(start(), /held by dep-crashed/);
    const released = forceReleaseLease(fx.ctx.db, lock());
    expect(released?.holder).toBe("dep-crashed");
    await startToGateAndAbort();
  });
});

describe("two clicks at once (scenarios 3 and 4)", () => {
  let waiting: string;

  it("two Deploy clicks at once: exactly one deployment runs, the other is told why not", async () => {
    const before = deploymentCount(fx);
    const results = await Promise.allSettled([start("tab-1"), start("tab-2")]);
    const won = results.filter((r): r is PromiseFulfilledResult<StartDeploymentResult> => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(ConflictError);
    expect((lost[0]!.reason as Error).message).toMatch(/locked: held by|already has deployment/);
    expect(deploymentCount(fx)).toBe(before + 1);
    const result = won[0]!.value;
    if (result.noop) throw new Error(result.message);
    waiting = result.deploymentId;

    // While the first still runs its checks, a third click is refused too.
    await expectConflict(start("tab-3"), /locked: held by|already has deployment/);
    await result.pipeline;
    expect(getDeployment(fx.ctx.db, waiting).status).toBe("awaiting_promotion");
  });

  it("a new deployment while one waits for promotion is refused; never two targets", async () => {
    const before = deploymentCount(fx);
    await expectConflict(start("someone-else"), new RegExp(`held by ${waiting}`));
    expect(deploymentCount(fx)).toBe(before);
    const containers = await containersOf(fx);
    expect(containers.map((c) => c.slot).sort()).toEqual(["blue", "green"]);
    expect(containers.filter((c) => c.deployment === waiting)).toHaveLength(1);
    await expectServes(fx, "blue", "1.9.0");
  });

  it("two Promote clicks at once: exactly one promotes, the other gets a conflict", async () => {
    const clicks = await Promise.allSettled([
      (async () => promoteDeployment(fx.ctx, waiting, "rm-1"))(),
      (async () => promoteDeployment(fx.ctx, waiting, "rm-2"))(),
    ]);
    const won = clicks.filter(
      (r): r is PromiseFulfilledResult<{ pipeline: Promise<void> }> => r.status === "fulfilled",
    );
    const lost = clicks.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(ConflictError);
    expect((lost[0]!.reason as Error).message).toMatch(/already promoted by rm-1/);
    await won[0]!.value.pipeline;
    const dep = getDeployment(fx.ctx.db, waiting);
    expect(dep.status, dep.error ?? "").toBe("succeeded");
    expect(dep.promotedBy).toBe("rm-1");
    expect(stepsOf(fx, waiting).filter((s) => s.startsWith("switch:"))).toEqual(["switch:passed"]);
    await expectServes(fx, "green", "2.0.0");
  });

  it("automatic and manual rollback at the same moment execute once (scenario 12)", async () => {
    const results = await Promise.allSettled([
      rollbackDeployment(fx.ctx, {
        deploymentId: waiting,
        reason: "error_rate 5 exceeded 1",
        by: "greenlight",
        automatic: true,
      }),
      rollbackDeployment(fx.ctx, { deploymentId: waiting, reason: "customer reports", by: "rm-1" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(ConflictError);
    expect((lost[0]!.reason as Error).message).toMatch(/already rolling back|already rolled back/);
    expect(stepsOf(fx, waiting).filter((s) => s.startsWith("rollback:"))).toEqual(["rollback:passed"]);
    const dep = getDeployment(fx.ctx.db, waiting);
    expect(dep.status).toBe("rolled_back");
    expect(["error_rate 5 exceeded 1", "customer reports"]).toContain(dep.rollbackReason);
    await expectServes(fx, "blue", "1.9.0");
    expect((await containersOf(fx)).map((c) => c.slot)).toEqual(["blue"]);
    expect(lockOf(fx)).toBeNull();
  });
});
