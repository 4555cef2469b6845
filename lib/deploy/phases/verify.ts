import type { ServiceConfig, Slot } from "@/lib/config/schema";
import { trafficDriver } from "@/lib/traffic";
import type { EngineContext } from "../context";
import { PhaseFailure, type PhaseResult, type PhaseRun } from "../context";

/** Probes the service through its load balancer the way its users reach it: its own port, path prefix or Host name. */
export function verifyServes(ctx: EngineContext, service: ServiceConfig, slot: Slot, version: string) {
  return trafficDriver(ctx.config, service).verify(slot, version);
}

export async function verify(run: PhaseRun): Promise<PhaseResult> {
  const { deployment } = run;
  const driver = trafficDriver(run.ctx.config, run.service);
  const { label } = driver;
  // At a weighted step the old colour answers in between: one answer from the target through the load balancer.
  const share = deployment.splitPercent;
  const split = share !== null && share < 100;
  const result = split
    ? await driver.verify(deployment.toSlot, deployment.version, { requiredSuccesses: 1 })
    : await verifyServes(run.ctx, run.service, deployment.toSlot, deployment.version);
  if (!result.ok)
    throw new PhaseFailure(
      `Traffic did not reach ${deployment.toSlot} through ${label} within ${run.service.health.verifyDeadlineSeconds} s (last answer: ${result.lastStatus ?? "none"}, version ${result.lastVersion ?? "?"}, upstream ${result.lastUpstream ?? "?"})`,
      result,
    );
  return {
    status: "passed",
    summary: `${label} serves ${deployment.version} from ${deployment.toSlot}${split ? ` at its ${share} % share` : ""} (${result.attempts} probe(s), ${Math.round(result.elapsedMs)} ms)`,
    detail: result,
  };
}
