import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPrivatetradeImages } from "@/examples/privatetrade/build-images";
import { deployAndWait, engineFixture, type Fixture } from "@/tests/support/engine-fixture";
import { findContainers, stopContainer } from "@/lib/docker/containers";
import { inspectImage, listImages, removeImage } from "@/lib/docker/images";
import type { NotifyEvent } from "./context";
import { checkWarmSlots, expireWarmSlots, pruneOldImages } from "./retention";
import { getDeployment } from "./store";

// Releases only this suite uses: an image shared with other suites is "in use" and never pruned.
const REPO = "gl-retain/privatetrade";
let fx: Fixture;
const events: NotifyEvent[] = [];

beforeAll(async () => {
  await buildPrivatetradeImages({ versions: ["0.9.0", "1.8.5", "1.8.6"], repo: REPO });
  fx = await engineFixture(45040, "gl-retain", (svc) => {
    svc.image = REPO;
    svc.retention.pruneImagesDays = 0;
  });
  fx.ctx.notify = (e) => events.push(e);
}, 180_000);
afterAll(async () => {
  await fx?.cleanup();
  for (const image of await listImages(REPO)) for (const tag of image.repoTags) await removeImage(tag);
});

describe("after a successful deployment: the warm colour, its health checks, image pruning", () => {
  let id: string;
  it("keeps blue warm and every image a rollback may need", async () => {
    expect((await deployAndWait(fx, `${REPO}:1.8.5`, { autoPromote: true })).status).toBe("succeeded");
    const dep = await deployAndWait(fx, `${REPO}:1.8.6`, { autoPromote: true });
    expect(dep.status, dep.error ?? "").toBe("succeeded");
    id = dep.id;
    expect(dep.oldSlotUntil! - dep.finishedAt!).toBe(24 * 3_600_000);
    expect(await expireWarmSlots(fx.ctx)).toEqual([]);
    expect(await checkWarmSlots(fx.ctx)).toEqual([{ service: fx.service.name, ok: true, reason: undefined }]);
    const pruned = await pruneOldImages(fx.ctx);
    expect(pruned).toEqual([`${REPO}:0.9.0`]);
    expect(await inspectImage(`${REPO}:1.8.5`)).not.toBeNull();
    expect(await inspectImage(`${REPO}:1.8.6`)).not.toBeNull();
  });

  it("alerts once the warm rollback target stops answering", async () => {
    const [blue] = await findContainers({ service: fx.service.name, slot: "blue" });
    await stopContainer(blue!.id, 5);
    const results = await checkWarmSlots(fx.ctx);
    expect(results[0]?.ok).toBe(false);
    expect(events.filter((e) => e.kind === "rollback_target_lost").map((e) => e.deploymentId)).toEqual([id]);
  });

  it("removes blue when its time is up, and only then lets its image go", async () => {
    const removed = await expireWarmSlots(fx.ctx, Date.now() + 25 * 3_600_000);
    expect(removed).toHaveLength(1);
    expect(removed[0]).toContain(`${fx.service.name}-blue-`);
    expect(getDeployment(fx.ctx.db, id).oldSlotRemovedAt).not.toBeNull();
    expect(
      (await findContainers({ service: fx.service.name, all: true })).map((c) => c.labels["greenlight.slot"]),
    ).toEqual(["green"]);
    expect(await pruneOldImages(fx.ctx)).toEqual([`${REPO}:1.8.5`]);
    expect(await inspectImage(`${REPO}:1.8.6`)).not.toBeNull();
  });
});
