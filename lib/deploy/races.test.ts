import { buildPrivatetradeImages } from "@/examples/privatetrade/build-images";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployAndWait, engineFixture, lbHealth, type Fixture } from "@/tests/support/engine-fixture";
import { findContainers, stopContainer } from "@/lib/docker/containers";
import { LABELS } from "@/lib/docker/labels";
import { abortDeployment } from "./abort";
import { promoteDeployment } from "./promote";
import { expireWarmSlots } from "./retention";
import { reconcileContainers } from "./recovery";
import { getDeployment, servingDeployment, updateDeployment } from "./store";

let fx: Fixture;
const running = async () =>
  (await findContainers({ service: fx.service.name }))
    .map((c) => `${c.labels[LABELS.slot]}:${c.labels[LABELS.version]}`)
    .sort();

beforeAll(async () => {
  await buildPrivatetradeImages({ versions: ["2.0.1"] });
  fx = await engineFixture(45080, "gl-race");
  expect((await deployAndWait(fx, "privatetrade:1.9.0", { autoPromote: true })).status).toBe("succeeded");
});
afterAll(async () => {
  await fx?.cleanup();
});

describe("races at the gate and in retention", () => {
  it("Promote and Abort at the same moment: the record, nginx and the containers agree, whoever wins", async () => {
    const dep = await deployAndWait(fx, "privatetrade:2.0.0");
    expect(dep.status).toBe("awaiting_promotion");
    const [promoted, aborted] = await Promise.allSettled([
      (async () => promoteDeployment(fx.ctx, dep.id, "rm").pipeline)(),
      abortDeployment(fx.ctx, dep.id, "rm2"),
    ]);
    // Wait for whatever pipeline the winner left running.
    for (let i = 0; i < 100 && ["running", "rolling_back"].includes(getDeployment(fx.ctx.db, dep.id).status); i++)
      await new Promise((r) => setTimeout(r, 100));
    const final = getDeployment(fx.ctx.db, dep.id);
    expect([promoted.status, aborted.status]).toContain("fulfilled");
    // Whoever won, what nginx serves and what runs agree with the record: never a switch to a removed target.
    if (final.status === "succeeded") {
      expect(aborted.status).toBe("rejected");
      expect((await lbHealth(fx)).version).toBe("2.0.0");
      expect(await running()).toEqual(["blue:1.9.0", "green:2.0.0"]);
    } else {
      expect(["aborted", "rolled_back"]).toContain(final.status);
      expect((await lbHealth(fx)).version).toBe("1.9.0");
      expect(await running()).toEqual(["blue:1.9.0"]);
    }
  });

  it("an old deployment's warm time running out never removes what a later deployment put in that slot", async () => {
    // Make sure the live colour is green with blue warm, then start a deployment into blue and leave it at the gate.
    if ((await lbHealth(fx)).version !== "2.0.0")
      expect((await deployAndWait(fx, "privatetrade:2.0.0", { autoPromote: true })).status).toBe("succeeded");
    const earlier = (await deployAndWait(fx, "privatetrade:2.0.1", { autoPromote: true }))!;
    expect(earlier.status, earlier.error ?? "").toBe("succeeded");
    const pending = await deployAndWait(fx, "privatetrade:2.0.0");
    expect(pending.status).toBe("awaiting_promotion");
    const removed = await expireWarmSlots(fx.ctx, Date.now() + 48 * 3_600_000);
    expect(removed).toEqual([]);
    expect(await running()).toEqual(expect.arrayContaining([`${pending.toSlot}:2.0.0`]));
    await promoteDeployment(fx.ctx, pending.id, "rm").pipeline;
    expect(getDeployment(fx.ctx.db, pending.id).status).toBe("succeeded");
    expect((await lbHealth(fx)).version).toBe("2.0.0");
  });

  it("a deployment into the warm slot ends the old colour's warm time in the record before it stops that colour", async () => {
    const serving = servingDeployment(fx.ctx.db, fx.service.name)!;
    expect(serving.status).toBe("succeeded");
    expect(serving.fromSlot).not.toBeNull();
    expect(serving.oldSlotRemovedAt).toBeNull();
    const next = await deployAndWait(fx, "privatetrade:2.0.1");
    expect(next.status, next.error ?? "").toBe("awaiting_promotion");
    expect(next.toSlot).toBe(serving.fromSlot);
    expect(getDeployment(fx.ctx.db, serving.id).oldSlotRemovedAt).not.toBeNull();
    await abortDeployment(fx.ctx, next.id, "rm");
    expect(await running()).toEqual([`${serving.toSlot}:2.0.0`]);
  });

  it("recovery removes a stopped container of a colour whose warm time the record has ended", async () => {
    // A console killed while the engine was still stopping the warm colour leaves it exited; the record already
    // says it is gone, so recovery must not keep it as a rollback target.
    if ((await lbHealth(fx)).version !== "2.0.0")
      expect((await deployAndWait(fx, "privatetrade:2.0.0", { autoPromote: true })).status).toBe("succeeded");
    const warm = (await deployAndWait(fx, "privatetrade:2.0.1", { autoPromote: true }))!;
    expect(warm.status, warm.error ?? "").toBe("succeeded");
    const old = (await findContainers({ service: fx.service.name, slot: warm.fromSlot!, all: true }))[0]!;
    await stopContainer(old.id, 1);
    updateDeployment(fx.ctx.db, warm.id, { oldSlotRemovedAt: Date.now() });
    const { removed } = await reconcileContainers(fx.ctx);
    expect(removed).toEqual([old.name]);
    expect(await findContainers({ service: fx.service.name, slot: warm.fromSlot!, all: true })).toEqual([]);
    expect((await lbHealth(fx)).version).toBe("2.0.1");
  });
});
