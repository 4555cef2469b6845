import type { EngineContext } from "./context";
import { serviceFor } from "./context";
import { cleanupTarget } from "./cleanup-target";
import { enter, settle, type Actor } from "./lifecycle";
import { getDeployment, listSteps } from "./store";
import { failureOf, RETRY_SWITCH_STEPS, utcMoment, withNextStep } from "./failure-kinds";
import { scrub } from "./secrets-of";

/**
 * A failure before traffic moved: keep the target's logs, remove the target, leave the live slot alone.
 * `status` says whether a person aborted it, a check failed it or the preview expired. The final state is claimed
 * first (the lock stays with the deployment while its target is removed): a Promote that lost the race can no
 * longer switch to a target being removed, and a cleanup that lost it (someone promoted first) touches nothing.
 * Returns whether this call won. A crash mid-cleanup leaves a container that no deployment needs, which reconcile
 * removes at the next start.
 */
export async function failBeforeSwitch(
  ctx: EngineContext,
  id: string,
  reason: string,
  status: "failed" | "aborted" | "expired" = "failed",
  actor?: Actor,
): Promise<boolean> {
  const claimed = enter(ctx, id, status, {
    from: ["running", "awaiting_promotion", "switch_failed"],
    patch: { error: reason, finishedAt: Date.now() },
    step: { phase: "cleanup" },
    lease: "keep",
    ...(actor && { audit: { actor, reason } }),
  });
  if (!claimed) return false;
  const dep = claimed.deployment;
  const service = serviceFor(ctx, dep);
  let cleaned;
  try {
    const { removed, logs } = await cleanupTarget(service, id);
    const summary =
      removed.length > 0
        ? `removed ${removed.join(", ")}; live slot untouched`
        : "nothing to remove; live slot untouched";
    cleaned = { status: "passed" as const, summary, detail: { logs: scrub(service, logs).slice(-20_000) } };
  } catch (error) {
    cleaned = { status: "failed" as const, summary: `could not remove the target: ${(error as Error).message}` };
  }
  const failure = status === "failed" ? failureOf(listSteps(ctx.db, id)) : null;
  const said = withNextStep(`${status}: ${scrub(service, reason)}`, failure);
  settle(ctx, id, {
    closeStep: { id: claimed.stepId!, outcome: cleaned },
    event: { level: status === "failed" ? "error" : "warn", message: said },
    notify: {
      kind: "failed",
      message: `${dep.service} ${dep.version} ${said}`,
      ...(failure && { detail: { failure: failure.kind, nextStep: failure.nextStep } }),
      // The person who aborted it already has the audit row of this end (written when it was claimed).
      ...(actor && { audited: true }),
    },
  });
  return true;
}

/**
 * The switch failed before traffic moved, for a reason that is nginx's and not the release's (nginx -t refused the
 * configuration, nginx was not running or refused the reload): the checked target is kept for the service's
 * `promotion.keepTargetAfterSwitchFailureMinutes` and the deployment waits in switch_failed, holding its lock. Returns
 * false, having changed nothing, for any other failure or when the service keeps no target (0 minutes).
 */
export function holdForRetry(ctx: EngineContext, id: string, reason: string): boolean {
  const dep = getDeployment(ctx.db, id);
  const minutes = serviceFor(ctx, dep).promotion.keepTargetAfterSwitchFailureMinutes;
  const steps = listSteps(ctx.db, id);
  const failed = steps.at(-1);
  const failure = failureOf(steps);
  if (minutes <= 0 || dep.switchedAt !== null || failed?.phase !== "switch" || failed.status !== "failed") return false;
  if (!failure || !RETRY_SWITCH_STEPS[failure.kind]) return false;
  const keptUntil = Date.now() + minutes * 60_000;
  const next = `${RETRY_SWITCH_STEPS[failure.kind]} (the checked target ${dep.toSlot} is kept until ${utcMoment(keptUntil)}).`;
  const said = withNextStep(`switch failed: ${reason}`, { ...failure, nextStep: next });
  return (
    enter(ctx, id, "switch_failed", {
      from: ["running"],
      patch: { error: reason, keptUntil },
      event: { level: "error", message: said },
      notify: {
        kind: "failed",
        message: `${dep.service} ${dep.version} ${said}`,
        detail: { failure: failure.kind, nextStep: next, keptUntil },
      },
    }) !== null
  );
}

export async function finishSucceeded(ctx: EngineContext, id: string): Promise<void> {
  const dep = getDeployment(ctx.db, id);
  const service = serviceFor(ctx, dep);
  const now = Date.now();
  // A rollback that started meanwhile owns the record and the lock: enter() refuses, and both are left to it.
  enter(ctx, id, "succeeded", {
    from: ["running"],
    patch: { finishedAt: now, oldSlotUntil: dep.fromSlot ? now + service.retention.keepOldHours * 3_600_000 : null },
    step: {
      phase: "done",
      outcome: {
        status: "passed",
        summary: `${dep.version} serves from ${dep.toSlot}${dep.fromSlot ? `; ${dep.fromSlot} stays warm for ${service.retention.keepOldHours} h` : ""}`,
      },
    },
    notify: {
      kind: "succeeded",
      message: `Deployment ${dep.service} ${dep.version} completed successfully. Monitoring in progress.`,
    },
  });
}
