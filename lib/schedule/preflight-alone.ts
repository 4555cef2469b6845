import type { Deployment, ScheduledDeployment } from "@/lib/db/schema";
import { serviceOf, type EngineContext } from "@/lib/deploy/context";
import { readLiveState, type LiveState } from "@/lib/deploy/live-slot";
import { preflight, type CheckResult } from "@/lib/deploy/phases/preflight";
import { inspectImage } from "@/lib/docker/images";
import { publicMessage } from "@/lib/errors";

export type PreflightVerdict = {
  status: "passed" | "warning" | "failed";
  summary: string;
  checks: CheckResult[];
  live: LiveState | null;
};

/**
 * Preflight's checks for a scheduled release, outside any deployment: nothing is pulled, locked or recorded as a
 * deployment. An image not on the host yet is pulled when the deployment starts, so its checks are skipped then.
 */
export async function preflightAlone(ctx: EngineContext, schedule: ScheduledDeployment): Promise<PreflightVerdict> {
  const service = serviceOf(ctx, schedule.service);
  let live: LiveState | null = null;
  try {
    live = await readLiveState(ctx, service);
  } catch (error) {
    const detail = `the live colour could not be read: ${publicMessage(error)}`;
    const checks: CheckResult[] = [{ id: "live_container", label: "Live container running", status: "fail", detail }];
    return { status: "failed", summary: `Preflight failed: ${detail}`, checks, live };
  }
  const image = await inspectImage(schedule.image).catch(() => null);
  const deployment = {
    id: schedule.id,
    service: schedule.service,
    image: schedule.image,
    imageDigest: null,
    version: schedule.version,
  } as Deployment;
  const run = {
    ctx,
    deployment,
    service,
    signal: new AbortController().signal,
    log: () => undefined,
  };
  const ready = Promise.resolve(image ? (true as const) : "the image is pulled when the deployment starts");
  try {
    const result = await preflight(run, live, ready);
    const checks = (result.detail as { checks: CheckResult[] }).checks;
    return { status: result.status === "warning" ? "warning" : "passed", summary: result.summary, checks, live };
  } catch (error) {
    const checks = ((error as { detail?: { checks?: CheckResult[] } }).detail?.checks ?? []) as CheckResult[];
    return { status: "failed", summary: publicMessage(error), checks, live };
  }
}
