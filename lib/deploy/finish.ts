import type { EngineContext } from "./context";
import { serviceOf } from "./context";
import { cleanupTarget } from "./cleanup-target";
import { deployLockName, releaseLease } from "./lease";
import { addEvent, endStep, getDeployment, startStep, transition } from "./store";
import { scrub } from "./secrets-of";

/**
 * A failure before traffic moved: keep the target's logs, remove the target, leave the live slot alone.
 * `status` says whether a person aborted it or a check failed it.
 */
export async function failBeforeSwitch(
  ctx: EngineContext,
  id: string,
  reason: string,
  status: "failed" | "aborted" | "expired" = "failed",
): Promise<void> {
  const dep = getDeployment(ctx.db, id);
  const service = serviceOf(ctx, dep.service);
  const stepId = startStep(ctx.db, id, "cleanup");
  let summary: string;
  try {
    const { removed, logs } = await cleanupTarget(service, id);
    summary = removed.length > 0 ? `removed ${removed.join(", ")}; live slot untouched` : "nothing to remove; live slot untouched";
    endStep(ctx.db, stepId, { status: "passed", summary, detail: { logs: scrub(service, logs).slice(-20_000) } });
  } catch (error) {
    summary = `could not remove the target: ${(error as Error).message}`;
    endStep(ctx.db, stepId, { status: "failed", summary });
  }
  transition(ctx.db, id, ["running", "awaiting_promotion"], { status, error: scrub(service, reason), finishedAt: Date.now() });
  addEvent(ctx.db, id, status === "failed" ? "error" : "warn", `${status}: ${scrub(service, reason)}`);
  releaseLease(ctx.db, deployLockName(dep.service), id);
  ctx.notify?.({ kind: "failed", service: dep.service, deploymentId: id, message: `${dep.service} ${dep.version} ${status}: ${scrub(service, reason)}` });
}

export async function finishSucceeded(ctx: EngineContext, id: string): Promise<void> {
  const dep = getDeployment(ctx.db, id);
  const service = serviceOf(ctx, dep.service);
  const now = Date.now();
  const step = startStep(ctx.db, id, "done");
  const won = transition(ctx.db, id, ["running"], {
    status: "succeeded",
    finishedAt: now,
    oldSlotUntil: dep.fromSlot ? now + service.retention.keepOldHours * 3_600_000 : null,
  });
  endStep(ctx.db, step, {
    status: won ? "passed" : "skipped",
    summary: won
      ? `${dep.version} serves from ${dep.toSlot}${dep.fromSlot ? `; ${dep.fromSlot} stays warm for ${service.retention.keepOldHours} h` : ""}`
      : "the deployment changed state before it could finish",
  });
  releaseLease(ctx.db, deployLockName(dep.service), id);
  if (won) ctx.notify?.({ kind: "succeeded", service: dep.service, deploymentId: id, message: `Deployment ${dep.service} ${dep.version} completed successfully. Monitoring in progress.` });
}
