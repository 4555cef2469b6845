import { failpoint } from "@/lib/failpoint";
import { switchUpstream } from "@/lib/nginx/switch-upstream";
import type { PhaseResult, PhaseRun } from "../context";
import { updateDeployment } from "../store";

export async function switchTraffic(run: PhaseRun): Promise<PhaseResult> {
  const { service, deployment } = run;
  const started = performance.now();
  // Recorded before nginx is touched: after a crash from here on, recovery treats traffic as possibly moved.
  updateDeployment(run.ctx.db, deployment.id, { switchedAt: Date.now() });
  const result = await switchUpstream({
    nginx: run.ctx.config.nginx,
    service: service.name,
    slot: deployment.toSlot,
    port: service.slots[deployment.toSlot].port,
    version: deployment.version,
    deploymentId: deployment.id,
  });
  failpoint("switch:reloaded");
  return {
    status: "passed",
    summary: `nginx now sends ${service.name} to ${deployment.toSlot} (127.0.0.1:${service.slots[deployment.toSlot].port}); test + reload ${Math.round(performance.now() - started)} ms`,
    detail: { file: result.file },
  };
}
