import { ConflictError } from "@/lib/errors";
import type { EngineContext } from "./context";
import { assertMayDrive } from "./lease";
import { enter, type Actor } from "./lifecycle";
import { splitControls, type SplitRequest } from "./split-control";
import { getDeployment } from "./store";

/**
 * During weighted steps: "continue" ends the step being judged (the next share follows), "promote" skips the rest
 * and sends 100 % to the target. The status stays running (the `advance` row of the lifecycle), audited as the
 * person's. Refused when this process walks no steps for the deployment.
 */
export function advanceSplit(ctx: EngineContext, id: string, request: SplitRequest, actor?: Actor): void {
  assertMayDrive(ctx.db);
  const dep = getDeployment(ctx.db, id);
  const control = splitControls().get(id);
  if (dep.status !== "running" || dep.phase !== "split" || !control)
    throw new ConflictError(
      dep.status === "running" && dep.phase === "split"
        ? `Deployment ${id} is not driven by this Greenlight process; it will be resolved by recovery.`
        : `Deployment ${id} is not in weighted steps (it is ${dep.status.replace(/_/g, " ")}, ${dep.phase}).`,
    );
  const what =
    request.how === "promote"
      ? `promoted ${dep.version} to 100 % on ${dep.toSlot} from the ${dep.splitPercent ?? "?"} % step`
      : `continued ${dep.version} past the ${dep.splitPercent ?? "?"} % step`;
  const advanced = enter(ctx, id, "running", {
    from: ["running"],
    ...(request.how === "promote" && { patch: { promotedBy: dep.promotedBy ?? request.by } }),
    event: { level: "info", message: `${request.by} ${what}` },
    ...(actor && { audit: { actor, details: { how: request.how, percent: dep.splitPercent } } }),
  });
  if (!advanced) throw new ConflictError(`Deployment ${id} changed state; nothing was advanced.`);
  control.ask(request);
}
