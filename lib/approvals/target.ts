import type { Deployment } from "@/lib/db/schema";
import { serviceOf, type EngineContext } from "@/lib/deploy/context";
import { slotContainer } from "@/lib/deploy/live-slot";
import { servingDeployment } from "@/lib/deploy/store";
import { ConflictError } from "@/lib/errors";

/**
 * What a manual rollback of `service` would undo: the serving deployment, which must have replaced a colour
 * that is still there and running. Throws ConflictError saying why there is nothing to roll back to.
 */
export async function rollbackTarget(ctx: EngineContext, name: string): Promise<Deployment> {
  const service = serviceOf(ctx, name);
  const dep = servingDeployment(ctx.db, service.name);
  if (!dep) throw new ConflictError(`${service.name} has no deployment serving traffic that could be rolled back.`);
  if (dep.status === "rolling_back")
    throw new ConflictError(`${service.name} is already rolling back deployment ${dep.id}.`);
  if (!dep.fromSlot || !dep.fromVersion)
    throw new ConflictError(
      `${service.name} ${dep.version} was a first install; there is no previous release to roll back to.`,
    );
  const old = await slotContainer(service.name, dep.fromSlot);
  if (!old?.running)
    throw new ConflictError(
      `The ${dep.fromSlot} slot (${dep.fromVersion}) is ${old ? old.state : "gone"}, so there is nothing warm to roll back to. Deploy ${dep.fromImage ?? dep.fromVersion} as a new deployment instead.`,
    );
  return dep;
}
