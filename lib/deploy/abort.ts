import { assertMayDrive } from "./lease";
import { ConflictError } from "@/lib/errors";
import type { EngineContext } from "./context";
import { failBeforeSwitch } from "./finish";
import { runningPipelines } from "./running";
import { addEvent, getDeployment } from "./store";
import { deployBus } from "./bus";

/** Stops a deployment before its switch: the target goes, the live colour never notices. After the switch, use rollback. */
export async function abortDeployment(ctx: EngineContext, id: string, by: string): Promise<void> {
  const dep = getDeployment(ctx.db, id);
  assertMayDrive(ctx.db);
  if (dep.switchedAt !== null && dep.status === "running")
    throw new ConflictError(`Traffic already moved to ${dep.toSlot}; request a rollback instead of an abort.`);
  if (dep.status === "awaiting_promotion") {
    if (!(await failBeforeSwitch(ctx, id, `Aborted by ${by} at the promotion gate.`, "aborted"))) {
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
  controller.abort();
  await idle;
}
