import type { Deployment, DeploymentEvent, DeploymentStep } from "@/lib/db/schema";
import type { EngineContext } from "@/lib/deploy/context";
import { getDeployment, listEvents, listSteps } from "@/lib/deploy/store";
import { livePullProgress } from "@/lib/deploy/pull-progress";
import type { PullProgress } from "@/lib/docker/pull-progress";

export type DeploymentSnapshot = {
  deployment: Deployment;
  steps: DeploymentStep[];
  events: DeploymentEvent[];
  /** The pull under way: per-layer bytes and the overall percent (null when no pull runs). */
  pull: PullProgress | null;
  readAt: number;
};

/** The deployment with its steps and events, as the deployment page and its stream show them. */
export function deploymentSnapshot(ctx: EngineContext, id: string): DeploymentSnapshot {
  const deployment = getDeployment(ctx.db, id);
  return {
    deployment,
    steps: listSteps(ctx.db, id),
    events: listEvents(ctx.db, id),
    pull: livePullProgress(id),
    readAt: Date.now(),
  };
}
