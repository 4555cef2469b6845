import { findContainers, removeContainer, startContainer, stopContainer } from "@/lib/docker/containers";
import { LABELS } from "@/lib/docker/labels";
import { serviceFor, type EngineContext } from "./context";
import { acquireLease, deployLockName, INSTANCE, readLease } from "./lease";
import { holderGone } from "./holder";
import { isAlive } from "@/lib/process-alive";
import { closeOpenRecords } from "./recovery-records";
import { readLiveState } from "./live-slot";
import { failBeforeSwitch, finishSucceeded } from "./finish";
import { giveUp, launchPipeline } from "./pipeline";
import { rollbackDeployment } from "./rollback";
import { supersedePending } from "@/lib/approvals/supersede";
import { verifyServes } from "./phases/verify";
import { trafficDriver } from "@/lib/traffic";
import { addEvent, closeInterruptedSteps, servingDeployment, unfinishedDeployments } from "./store";

export type RecoveryAction = {
  deploymentId: string;
  action: "kept_waiting" | "failed" | "finished" | "rolled_back" | "resumed_watch" | "left_alone" | "error";
  detail: string;
};

/**
 * After a restart: every deployment not in a final state is compared with what Docker and the load balancer show, then finished
 * or rolled back. Afterwards exactly one colour serves and no container of ours is left without a purpose.
 */
export async function recoverDeployments(ctx: EngineContext): Promise<RecoveryAction[]> {
  const actions: RecoveryAction[] = [];
  const began = Date.now();
  for (const dep of unfinishedDeployments(ctx.db)) {
    const service = serviceFor(ctx, dep);
    try {
      const lease = readLease(ctx.db, deployLockName(dep.service));
      // A lock of another process that may still be alive (another host, or a live pid) is that process's work.
      // A lock written before holders recorded their host is judged by its pid alone, as it always was.
      const mayBeAlive = (l: NonNullable<typeof lease>) => (l.host ? !holderGone(l) : isAlive(l.ownerPid));
      if (lease && lease.instance !== INSTANCE && lease.expiresAt > Date.now() && mayBeAlive(lease)) {
        actions.push({
          deploymentId: dep.id,
          action: "left_alone",
          detail: `driven by live process ${lease.ownerPid}`,
        });
        continue;
      }
      // The lock of a dead engine's deployment is handed to recovery, not left to expire.
      acquireLease(ctx.db, { name: deployLockName(dep.service), holder: dep.id, reason: `recovery of ${dep.version}` });
      const target = (await findContainers({ service: dep.service, deployment: dep.id, all: true }))[0];
      const keepsWaiting = dep.status === "awaiting_promotion" && target?.running;
      // The step the dead process was in says so; the gate of a preview that still waits stays open.
      if (!keepsWaiting) closeInterruptedSteps(ctx.db, { deploymentId: dep.id, before: began });
      if (dep.status === "awaiting_promotion" || dep.status === "switch_failed") {
        // Waiting for a person: still so while its target runs (and, kept after a failed switch, while its time is
        // not up; the engine's tick removes it when it is). Without a running target there is nothing to wait on.
        const gate = dep.status === "awaiting_promotion";
        const inTime = gate || (dep.keptUntil ?? 0) > Date.now();
        if (target?.running && inTime) {
          const waits = gate ? "still waiting for promotion" : "the target is still kept for a retry of the switch";
          addEvent(ctx.db, dep.id, "info", `Greenlight restarted; ${waits}.`);
          actions.push({ deploymentId: dep.id, action: "kept_waiting", detail: "target running" });
        } else {
          const what = gate ? "The target waiting for promotion" : "The target kept for a retry of the switch";
          const why = target?.running ? "ran out of time while Greenlight was down" : "stopped (found after a restart)";
          await failBeforeSwitch(ctx, dep.id, `${what} ${why}.`, target?.running ? "expired" : "failed");
          actions.push({
            deploymentId: dep.id,
            action: "failed",
            detail: target?.running ? "out of time" : "target not running",
          });
        }
        continue;
      }
      if (dep.switchedAt === null) {
        await failBeforeSwitch(
          ctx,
          dep.id,
          `Interrupted by a Greenlight restart during ${dep.phase}; the live colour was never touched.`,
        );
        actions.push({ deploymentId: dep.id, action: "failed", detail: `interrupted in ${dep.phase}` });
        continue;
      }
      if (!dep.fromSlot) {
        // A first install has nothing to roll back to: it is done if nginx serves it, failed otherwise.
        const serves = await verifyServes(ctx, service, dep.toSlot, dep.version);
        if (serves.ok) await finishSucceeded(ctx, dep.id);
        else
          giveUp(
            ctx,
            dep.id,
            `Interrupted by a Greenlight restart during ${dep.phase}; ${trafficDriver(ctx.config, service).label} does not serve the first install`,
          );
        actions.push({
          deploymentId: dep.id,
          action: serves.ok ? "finished" : "failed",
          detail: `first install interrupted in ${dep.phase}`,
        });
        continue;
      }
      if (dep.status === "running" && dep.phase === "watch" && target?.running) {
        const serves = await verifyServes(ctx, service, dep.toSlot, dep.version);
        if (serves.ok) {
          addEvent(
            ctx.db,
            dep.id,
            "info",
            "Greenlight restarted during the watch window; watching again from the start.",
          );
          void launchPipeline(ctx, dep.id, "watch");
          actions.push({
            deploymentId: dep.id,
            action: "resumed_watch",
            detail: `target serves through ${trafficDriver(ctx.config, service).label}`,
          });
          continue;
        }
      }
      supersedePending(ctx.db, dep.service, `recovery rolled back ${dep.id} after a restart`);
      // A weighted promotion is never resumed: whatever share was set (or being set), all traffic goes back to
      // the old colour, and the record says which split the restart interrupted.
      const during =
        dep.status === "running" && dep.splitPercent !== null && dep.splitPercent < 100
          ? `at the ${dep.splitPercent} % step of its weighted promotion`
          : `during ${dep.phase}`;
      await rollbackDeployment(ctx, {
        deploymentId: dep.id,
        reason: `Interrupted by a Greenlight restart ${during}`,
        by: "greenlight",
        automatic: true,
        recovering: true,
      });
      actions.push({ deploymentId: dep.id, action: "rolled_back", detail: `interrupted ${during}` });
    } catch (error) {
      // Never left running with a lock nobody renews: the deployment ends failed and people take it from there.
      giveUp(ctx, dep.id, `Recovery after a restart could not resolve this deployment: ${(error as Error).message}`);
      actions.push({ deploymentId: dep.id, action: "error", detail: (error as Error).message });
    }
  }
  closeOpenRecords(ctx, began);
  await reconcileContainers(ctx);
  return actions;
}

/**
 * Containers are kept only with a purpose: the live colour, an unfinished deployment's target, and the warm
 * rollback target. The live colour is started again if the engine left it exited.
 */
export async function reconcileContainers(ctx: EngineContext): Promise<{ removed: string[]; started: string[] }> {
  const removed: string[] = [];
  const started: string[] = [];
  const unfinished = unfinishedDeployments(ctx.db);
  const active = new Set(unfinished.map((d) => d.id));
  for (const service of ctx.config.services) {
    const live = await readLiveState(ctx, service);
    const serving = servingDeployment(ctx.db, service.name);
    // The warm colour of a success, until its time is up; the old colour of a failed deployment that still serves
    // (its rollback was impossible) until someone decides.
    const warmSlot =
      serving?.status === "succeeded"
        ? serving.oldSlotUntil && serving.oldSlotUntil > Date.now() && !serving.oldSlotRemovedAt
          ? serving.fromSlot
          : null
        : serving?.status === "failed"
          ? serving.fromSlot
          : null;
    // An unfinished deployment's old colour is its rollback target, whichever deployment created it.
    const rollbackSlots = unfinished.filter((d) => d.service === service.name).map((d) => d.fromSlot);
    const containers = await findContainers({ service: service.name, all: true });
    const keepIds = new Set<string>();
    for (const slot of new Set([live?.slot, warmSlot, ...rollbackSlots])) {
      if (!slot) continue;
      const newest = containers
        .filter((c) => c.labels[LABELS.slot] === slot)
        .sort(
          (a, b) => Number(b.running) - Number(a.running) || (b.startedAt ?? "").localeCompare(a.startedAt ?? ""),
        )[0];
      if (newest) keepIds.add(newest.id);
    }
    for (const c of containers) {
      if (keepIds.has(c.id) || active.has(c.labels[LABELS.deployment] ?? "")) {
        if (!c.running && c.labels[LABELS.slot] === live?.slot) {
          await startContainer(c.id);
          started.push(c.name);
        }
        continue;
      }
      await stopContainer(c.id, service.container.stopGraceSeconds);
      await removeContainer(c.id);
      removed.push(c.name);
    }
  }
  return { removed, started };
}
