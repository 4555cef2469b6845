import { verifyThroughNginx } from "@/lib/nginx/verify-live";
import type { ServiceConfig, Slot } from "@/lib/config/schema";
import type { EngineContext } from "../context";
import { PhaseFailure, type PhaseResult, type PhaseRun } from "../context";

export async function verifyServes(ctx: EngineContext, service: ServiceConfig, slot: Slot, version: string) {
  return verifyThroughNginx({
    lbUrl: ctx.config.nginx.lbUrl,
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
