import { logger } from "@/lib/log";
import { assertMayDrive } from "./lease";
import { ConflictError } from "@/lib/errors";
import type { Actor } from "./audit-verb";
import type { EngineContext } from "./context";
import { failBeforeSwitch } from "./finish";
import { runningPipelines } from "./running";
import { addEvent, getDeployment } from "./store";
import { deployBus } from "./bus";
import { rollbackDeployment } from "./rollback";
import { supersedePending } from "@/lib/approvals/supersede";

const log = logger("abort");

/** How long an abort asked through the console or the API may take before it answers "requested". */
export const ABORT_WAIT_MS = 1_500;

/** Why a pipeline's signal was aborted, when a person did it: the pipeline's final state is audited as theirs. */
export type AbortReason = { actor: Actor };

export type AbortOptions = {
  actor?: Actor;
  /** Answer after this long even if the target is still being stopped; the rest continues and logs its failure. */
  waitMs?: number;
};

/**
 * Stops a deployment before its switch: the target goes, the live colour never notices. After the switch, use
 * rollback. Refusals are thrown; `finished` says whether the target was gone within `waitMs`.
 */
export async function abortDeployment(
  ctx: EngineContext,
  id: string,
  by: string,
  options: AbortOptions = {},
): Promise<{ finished: boolean }> {
  const aborting = abort(ctx, id, by, options.actor);
  if (options.waitMs === undefined) return aborting.then(() => ({ finished: true }));
  const finished = await Promise.race([
    aborting.then(() => true),
    new Promise<false>((r) => setTimeout(() => r(false), options.waitMs)),
  ]);
  if (!finished) aborting.catch((error) => log.error({ err: error, deploymentId: id }, `abort of ${id} failed`));
  return { finished };
}

async function abort(ctx: EngineContext, id: string, by: string, actor?: Actor): Promise<void> {
  const dep = getDeployment(ctx.db, id);
  assertMayDrive(ctx.db);
  // During weighted steps an abort returns every new request to the old colour: the rollback path (0 %).
  if (dep.switchedAt !== null && dep.status === "running" && dep.phase === "split") {
    const reason = `Aborted by ${by} at the ${dep.splitPercent ?? "?"} % step`;
    supersedePending(ctx.db, dep.service, `abort of ${id} during its weighted steps`);
    await rollbackDeployment(ctx, { deploymentId: id, reason, by, ...(actor && { actor }) });
    return;
  }
  if (dep.switchedAt !== null && dep.status === "running")
    throw new ConflictError(`Traffic already moved to ${dep.toSlot}; request a rollback instead of an abort.`);
  if (dep.status === "awaiting_promotion" || dep.status === "switch_failed") {
    const where = dep.status === "awaiting_promotion" ? "at the promotion gate" : "after its switch failed";
    if (!(await failBeforeSwitch(ctx, id, `Aborted by ${by} ${where}.`, "aborted", actor))) {
      const now = getDeployment(ctx.db, id);
      throw new ConflictError(
        `Deployment ${id} is ${now.status.replace("_", " ")} now${now.promotedBy ? ` (promoted by ${now.promotedBy})` : ""}; it can no longer be aborted.`,
      );
    }
    return;
  }
  if (dep.status !== "running")
    throw new ConflictError(`Deployment ${id} is ${dep.status.replace("_", " ")}; there is nothing to abort.`);
  const controller = runningPipelines().get(id);
  if (!controller)
    throw new ConflictError(
      `Deployment ${id} is not driven by this Greenlight process; it will be resolved by recovery.`,
    );
  addEvent(ctx.db, id, "warn", `${by} aborted the deployment during ${dep.phase}`);
  const idle = new Promise<void>((resolve) => {
    const onIdle = (doneId: string) => doneId === id && (deployBus().off("pipeline-idle", onIdle), resolve());
    deployBus().on("pipeline-idle", onIdle);
  });
  controller.abort(actor ? ({ actor } satisfies AbortReason) : undefined);
  await idle;
}
