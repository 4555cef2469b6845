import { WAITING_STATUSES } from "@/lib/db/schema";
import { pollHealth } from "@/lib/checks/health";
import { serviceOf, slotUrl, type EngineContext } from "@/lib/deploy/context";
import { assertMayDrive } from "@/lib/deploy/lease";
import { readLiveState } from "@/lib/deploy/live-slot";
import { servingDeployment, unfinishedDeployments } from "@/lib/deploy/store";
import { restartContainer, startContainer } from "@/lib/docker/containers";
import { signalDeployment } from "@/lib/deploy/bus";
import { ConflictError } from "@/lib/errors";

/**
 * The fitting action when the live colour is down: start the release nginx points at again, on its own colour, and
 * wait (bounded) until it is healthy with its version. Not a deployment: nothing moves between colours.
 */
export async function restartLive(ctx: EngineContext, name: string): Promise<{ message: string }> {
  const service = serviceOf(ctx, name);
  assertMayDrive(ctx.db);
  const moving = unfinishedDeployments(ctx.db).find(
    (d) => d.service === service.name && !WAITING_STATUSES.includes(d.status),
  );
  if (moving)
    throw new ConflictError(`Deployment ${moving.id} is ${moving.status.replace("_", " ")}; let it finish first.`);
  const live = await readLiveState(ctx, service);
  if (!live)
    throw new ConflictError(`nginx's upstream for ${service.name} points at no colour; deploy a release instead.`);
  if (!live.container) {
    const image = servingDeployment(ctx.db, service.name)?.image;
    throw new ConflictError(
      `The live colour ${live.slot} has no container left to start; deploy ${image ?? "the release"} as a new deployment.`,
    );
  }
  try {
    if (live.container.running) await restartContainer(live.container.id, service.container.stopGraceSeconds);
    else await startContainer(live.container.id);
  } finally {
    // Pages and streams read containers through a short cache; they look again now.
    signalDeployment({ deploymentId: servingDeployment(ctx.db, service.name)?.id ?? "", service: service.name });
  }
  const health = await pollHealth({
    url: `${slotUrl(service, live.slot)}${service.health.path}`,
    expectedVersion: live.version ?? undefined,
    versionField: service.health.versionField,
    deadlineMs: service.health.deadlineSeconds * 1000,
  });
  if (!health.ok)
    throw new ConflictError(
      `${live.container.name} started but is not healthy: ${health.reason ?? "no answer"}; roll back to the warm colour or deploy a fix.`,
    );
  return {
    message: `${live.container.name} runs again and answers ${health.version ?? live.version ?? "?"} on ${live.slot}.`,
  };
}
