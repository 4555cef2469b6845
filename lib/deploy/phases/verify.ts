import { routeProbe } from "@/lib/nginx/route-probe";
import { verifyThroughNginx } from "@/lib/nginx/verify-live";
import type { ServiceConfig, Slot } from "@/lib/config/schema";
import type { EngineContext } from "../context";
import { PhaseFailure, type PhaseResult, type PhaseRun } from "../context";

/** Probes the service through nginx the way its users reach it: its own port, path prefix or Host name. */
export async function verifyServes(ctx: EngineContext, service: ServiceConfig, slot: Slot, version: string) {
  const entry = routeProbe(ctx.config.nginx.lbUrl, service.route);
  return verifyThroughNginx({
    lbUrl: entry.baseUrl,
    hostHeader: entry.hostHeader,
    healthPath: service.health.path,
    versionField: service.health.versionField,
    expectedVersion: version,
    expectedPort: service.slots[slot].port,
    deadlineMs: service.health.verifyDeadlineSeconds * 1000,
  });
}

export async function verify(run: PhaseRun): Promise<PhaseResult> {
  const { deployment } = run;
  const result = await verifyServes(run.ctx, run.service, deployment.toSlot, deployment.version);
  if (!result.ok)
    throw new PhaseFailure(
      `Traffic did not reach ${deployment.toSlot} through nginx within ${run.service.health.verifyDeadlineSeconds} s (last answer: ${result.lastStatus ?? "none"}, version ${result.lastVersion ?? "?"}, upstream ${result.lastUpstream ?? "?"})`,
      result,
    );
  return {
    status: "passed",
    summary: `nginx serves ${deployment.version} from ${deployment.toSlot} (${result.attempts} probe(s), ${Math.round(result.elapsedMs)} ms)`,
    detail: result,
  };
}
