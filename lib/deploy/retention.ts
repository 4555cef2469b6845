import { and, eq, isNull, isNotNull, lt } from "drizzle-orm";
import { checkHealthOnce } from "@/lib/checks/health";
import { findContainers, removeContainer, stopContainer } from "@/lib/docker/containers";
import { inspectImage, pruneImages } from "@/lib/docker/images";
import { deployments } from "@/lib/db/schema";
import { serviceFor, slotUrl, type EngineContext } from "./context";
import { failBeforeSwitch } from "./finish";
import { utcMoment } from "./failure-kinds";
import { readLiveState } from "./live-slot";
import { LABELS } from "@/lib/docker/labels";
import { addEvent, servingDeployment, unfinishedDeployments, updateDeployment } from "./store";

/** The warm colour's time is up: stop and remove it (never the colour nginx serves). */
export async function expireWarmSlots(ctx: EngineContext, now = Date.now()): Promise<string[]> {
  const due = ctx.db
    .select()
    .from(deployments)
    .where(
      and(
        eq(deployments.status, "succeeded"),
        isNotNull(deployments.oldSlotUntil),
        isNull(deployments.oldSlotRemovedAt),
        lt(deployments.oldSlotUntil, now),
      ),
    )
    .all();
  const removed: string[] = [];
  for (const dep of due) {
    const service = serviceFor(ctx, dep);
    const live = await readLiveState(ctx, service);
    // A later deployment has taken over the slot (as its target or as its own warm colour): this record's warm
    // colour is already gone, and what runs there now belongs to someone else.
    const superseded = servingDeployment(ctx.db, dep.service)?.id !== dep.id;
    const busy = new Set(unfinishedDeployments(ctx.db).map((d) => d.id));
    if (!superseded && dep.fromSlot && live?.slot !== dep.fromSlot) {
      for (const c of await findContainers({ service: dep.service, slot: dep.fromSlot, all: true })) {
        if (busy.has(c.labels[LABELS.deployment] ?? "")) continue;
        await stopContainer(c.id, service.container.stopGraceSeconds);
        await removeContainer(c.id);
        removed.push(c.name);
      }
    }
    updateDeployment(ctx.db, dep.id, { oldSlotRemovedAt: now });
    addEvent(
      ctx.db,
      dep.id,
      "info",
      superseded
        ? `Retention over; the ${dep.fromSlot} slot had already been taken over by a later deployment`
        : `Retention over: removed the ${dep.fromSlot} slot (${dep.fromVersion})`,
    );
  }
  return removed;
}

/** Previews nobody promoted in time are cleaned up by policy, with a clear final state. */
export async function expirePreviews(ctx: EngineContext, now = Date.now()): Promise<string[]> {
  const expired: string[] = [];
  for (const dep of unfinishedDeployments(ctx.db)) {
    if (dep.status !== "awaiting_promotion" || !dep.gateReachedAt) continue;
    const limit = serviceFor(ctx, dep).promotion.previewExpiresMinutes * 60_000;
    if (now - dep.gateReachedAt < limit) continue;
    if (
      await failBeforeSwitch(
        ctx,
        dep.id,
        `Nobody promoted it within ${limit / 60_000} min; the preview expired.`,
        "expired",
      )
    )
      expired.push(dep.id);
  }
  return expired;
}

/** Targets kept after a failed switch that nobody retried in time are removed, with a clear final state. */
export async function expireKeptTargets(ctx: EngineContext, now = Date.now()): Promise<string[]> {
  const expired: string[] = [];
  for (const dep of unfinishedDeployments(ctx.db)) {
    if (dep.status !== "switch_failed" || dep.keptUntil === null || dep.keptUntil > now) continue;
    const reason = `Nobody retried the switch by ${utcMoment(dep.keptUntil, now)}; the kept target was removed. Deploy ${dep.version} again once nginx is fixed.`;
    if (await failBeforeSwitch(ctx, dep.id, reason, "expired")) expired.push(dep.id);
  }
  return expired;
}

/** Hourly: is the warm rollback target still healthy? Alert once when it is lost. */
export async function checkWarmSlots(
  ctx: EngineContext,
): Promise<Array<{ service: string; ok: boolean; reason?: string }>> {
  const out: Array<{ service: string; ok: boolean; reason?: string }> = [];
  for (const service of ctx.config.services) {
    const dep = servingDeployment(ctx.db, service.name);
    if (!dep || dep.status !== "succeeded" || !dep.fromSlot || dep.oldSlotRemovedAt || !dep.oldSlotUntil) continue;
    const result = await checkHealthOnce({
      url: `${slotUrl(service, dep.fromSlot)}${service.health.path}`,
      expectedVersion: dep.fromVersion ?? undefined,
      versionField: service.health.versionField,
      requestTimeoutMs: 3000,
    });
    out.push({ service: service.name, ok: result.ok, reason: result.reason });
    if (!result.ok) {
      addEvent(
        ctx.db,
        dep.id,
        "error",
        `Rollback target ${dep.fromSlot} (${dep.fromVersion}) is not healthy: ${result.reason}`,
      );
      ctx.notify?.({
        kind: "rollback_target_lost",
        service: service.name,
        deploymentId: dep.id,
        message: `Rollback target ${dep.fromSlot} of ${service.name} is unhealthy: ${result.reason}`,
      });
    }
  }
  return out;
}

/** Images of the service older than the retention go, except any a live, warm or in-flight colour uses. */
export async function pruneOldImages(ctx: EngineContext): Promise<string[]> {
  const removed: string[] = [];
  for (const service of ctx.config.services) {
    const keep = new Set<string>();
    for (const c of await findContainers({ service: service.name, all: true })) keep.add(c.image);
    for (const d of unfinishedDeployments(ctx.db).filter((d) => d.service === service.name)) {
      keep.add(d.image);
      if (d.imageDigest) keep.add(d.imageDigest);
    }
    const serving = servingDeployment(ctx.db, service.name);
    if (serving) {
      keep.add(serving.image);
      if (serving.imageDigest) keep.add(serving.imageDigest);
      if (serving.fromImage && !serving.oldSlotRemovedAt) keep.add(serving.fromImage);
    }
    // A pinned digest (`repo@sha256:…`) names no tag: keep the image it resolves to, whatever its tags are now.
    for (const ref of [...keep]) {
      if (!ref.includes("@")) continue;
      const image = await inspectImage(ref).catch(() => null);
      if (image) keep.add(image.id);
    }
    removed.push(
      ...(await pruneImages({
        repository: service.image,
        olderThanMs: service.retention.pruneImagesDays * 86_400_000,
        keep: [...keep],
      })),
    );
  }
  return removed;
}
