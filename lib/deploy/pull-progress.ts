import { processWide } from "@/lib/process-wide";
import type { PullProgress } from "@/lib/docker/pull-progress";
import { signalDeployment } from "./bus";

const live = () => processWide("pull-progress", () => new Map<string, PullProgress>());

/** The progress of a pull under way, kept in memory only: it changes several times a second and ends in the step. */
export function setPullProgress(deploymentId: string, service: string, progress: PullProgress): void {
  live().set(deploymentId, progress);
  signalDeployment({ deploymentId, service });
}

export function clearPullProgress(deploymentId: string): void {
  live().delete(deploymentId);
}

export function livePullProgress(deploymentId: string): PullProgress | null {
  return live().get(deploymentId) ?? null;
}
