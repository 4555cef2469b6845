import type { Deployment, DeploymentEvent, DeploymentStep } from "@/lib/db/schema";
import type { EngineContext } from "@/lib/deploy/context";
import { getDeployment, listEvents, listSteps } from "@/lib/deploy/store";

export type DeploymentSnapshot = { deployment: Deployment; steps: DeploymentStep[]; events: DeploymentEvent[]; readAt: number };

/** The deployment with its steps and events, as the deployment page and its stream show them. */
export function deploymentSnapshot(ctx: EngineContext, id: string): DeploymentSnapshot {
  const deployment = getDeployment(ctx.db, id);
  return { deployment, steps: listSteps(ctx.db, id), events: listEvents(ctx.db, id), readAt: Date.now() };
}
