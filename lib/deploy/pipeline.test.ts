import { PRE_GATE_STEPS } from "@/tests/support/scenario-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { deployAndWait, engineFixture, lbHealth, type Fixture } from "@/tests/support/engine-fixture";
import { promoteDeployment } from "./promote";
import { listEvents, listSteps, getDeployment } from "./store";
import { findContainers } from "@/lib/docker/containers";
import { readLease, deployLockName } from "./lease";

let fx: Fixture;

beforeAll(async () => {
  fx = await engineFixture(45000, "gl-pipe");
});
afterAll(async () => {
  await fx?.cleanup();
});

describe("the blue-green pipeline against Docker, nginx and SQLite", () => {
  it("installs 1.9.0 on blue as a first deployment, auto-promoted, without 2.0.0's migration", async () => {
    const dep = await deployAndWait(fx, "privatetrade:1.9.0", { autoPromote: true });
    expect(dep.status, dep.error ?? "").toBe("succeeded");
    expect(dep.toSlot).toBe("blue");
    expect(dep.fromSlot).toBeNull();
    const served = await lbHealth(fx);
    expect(served).toMatchObject({ status: 200, version: "1.9.0" });
    expect(served.upstream).toBe(`127.0.0.1:${fx.service.slots.blue.port}`);
    const migrate = listSteps(fx.ctx.db, dep.id).find((s) => s.phase === "migrate");
    expect(migrate?.status).toBe("skipped");
  });

  it("deploys 2.0.0 to green, waits at the gate, and switches on Promote", async () => {
    const dep = await deployAndWait(fx, "privatetrade:2.0.0");
    expect(dep.status, dep.error ?? "").toBe("awaiting_promotion");
    expect(dep.toSlot).toBe("green");
    expect(dep.backupFile).toBeTruthy();
    // Still blue through nginx while waiting; the lock is held.
    expect((await lbHealth(fx)).version).toBe("1.9.0");
    expect(readLease(fx.ctx.db, deployLockName(fx.service.name))?.holder).toBe(dep.id);
    const phases = listSteps(fx.ctx.db, dep.id).map((s) => `${s.phase}:${s.status}`);
    expect(phases).toEqual(PRE_GATE_STEPS);
    const cols = (
      new Database(fx.appDbPath, { readonly: true }).prepare("PRAGMA table_info(config)").all() as { name: string }[]
    ).map((c) => c.name);
    expect(cols).toEqual(expect.arrayContaining(["stock_mode", "selected_specific_stocks"]));
    const rehearsed = listEvents(fx.ctx.db, dep.id).map((e) => e.message);
    expect(rehearsed).toContain(
      "Rehearsed 001_add_specific_stock_selection.sql on a copy of the backup, with the live 1.9.0 passing on it",
    );

    await promoteDeployment(fx.ctx, dep.id, "rm").pipeline;
    const done = getDeployment(fx.ctx.db, dep.id);
    expect(done.status, done.error ?? "").toBe("succeeded");
    expect(done.promotedBy).toBe("rm");
    const served = await lbHealth(fx);
    expect(served).toMatchObject({
      status: 200,
      version: "2.0.0",
      upstream: `127.0.0.1:${fx.service.slots.green.port}`,
    });
    // Blue stays warm for rollback; the lock is free again.
    const blue = await findContainers({ service: fx.service.name, slot: "blue" });
    expect(blue.map((c) => c.running)).toEqual([true]);
    expect(readLease(fx.ctx.db, deployLockName(fx.service.name))).toBeNull();
  });
});
