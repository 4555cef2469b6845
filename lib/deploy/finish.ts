import type { EngineContext } from "./context";
import { serviceOf } from "./context";
import { cleanupTarget } from "./cleanup-target";
import { deployLockName, releaseLease } from "./lease";
import { addEvent, endStep, getDeployment, listSteps, startStep, transition } from "./store";
import { failureOf, withNextStep } from "./failure-kinds";
import { scrub } from "./secrets-of";

/**
 * A failure before traffic moved: keep the target's logs, remove the target, leave the live slot alone.
 * `status` says whether a person aborted it, a check failed it or the preview expired. The final state is claimed
 * first: a Promote that lost the race can no longer switch to a target being removed, and a cleanup that lost it
 * (someone promoted first) touches nothing. Returns whether this call won. A crash mid-cleanup leaves a container
 * that no deployment needs, which reconcile removes at the next start.
 */
export async function failBeforeSwitch(
  ctx: EngineContext,
  id: string,
  reason: string,
  status: "failed" | "aborted" | "expired" = "failed",
): Promise<boolean> {
  const dep = getDeployment(ctx.db, id);
  const service = serviceOf(ctx, dep.service);
  if (
    !transition(ctx.db, id, ["running", "awaiting_promotion"], {
      status,
      error: scrub(service, reason),
      finishedAt: Date.now(),
    })
  )
    return false;
  const stepId = startStep(ctx.db, id, "cleanup");
  try {
    const { removed, logs } = await cleanupTarget(service, id);
    const summary =
      removed.length > 0
        ? `removed ${removed.join(", ")}; live slot untouched`
        : "nothing to remove; live slot untouched";
    endStep(ctx.db, stepId, { status: "passed", summary, detail: { logs: scrub(service, logs).slice(-20_000) } });
  } catch (error) {
    endStep(ctx.db, stepId, {
      status: "failed",
      summary: `could not remove the target: ${scrub(service, (error as Error).message)}`,
    });
  }
  const failure = status === "failed" ? failureOf(listSteps(ctx.db, id)) : null;
  const said = withNextStep(`${status}: ${scrub(service, reason)}`, failure);
  addEvent(ctx.db, id, status === "failed" ? "error" : "warn", said);
  releaseLease(ctx.db, deployLockName(dep.service), id);
  ctx.notify?.({
    kind: "failed",
    service: dep.service,
    deploymentId: id,
    message: `${dep.service} ${dep.version} ${said}`,
    ...(failure && { detail: { failure: failure.kind, nextStep: failure.nextStep } }),
  });
  return true;
}

export async function finishSucceeded(ctx: EngineContext, id: string): Promise<void> {
  const dep = getDeployment(ctx.db, id);
  const service = serviceOf(ctx, dep.service);
  const now = Date.now();
  // A rollback that started meanwhile owns the record and the lock: leave both to it.
  const won = transition(ctx.db, id, ["running"], {
    status: "succeeded",
    finishedAt: now,
    oldSlotUntil: dep.fromSlot ? now + service.retention.keepOldHours * 3_600_000 : null,
  });
  if (!won) return;
  const step = startStep(ctx.db, id, "done");
  endStep(ctx.db, step, {
    status: "passed",
    summary: `${dep.version} serves from ${dep.toSlot}${dep.fromSlot ? `; ${dep.fromSlot} stays warm for ${service.retention.keepOldHours} h` : ""}`,
  });
  releaseLease(ctx.db, deployLockName(dep.service), id);
  ctx.notify?.({
    kind: "succeeded",
    service: dep.service,
    deploymentId: id,
    message: `Deployment ${dep.service} ${dep.version} completed successfully. Monitoring in progress.`,
  });
}
