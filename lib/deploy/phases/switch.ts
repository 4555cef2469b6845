import { failpoint } from "@/lib/failpoint";
import { NginxError } from "@/lib/nginx/nginx-ctl";
import { NginxConfigError, switchUpstream } from "@/lib/nginx/switch-upstream";
import { checkHealthOnce } from "@/lib/checks/health";
import { PhaseFailure, slotUrl, type PhaseResult, type PhaseRun } from "../context";
import { updateDeployment } from "../store";

export async function switchTraffic(run: PhaseRun): Promise<PhaseResult> {
  const { service, deployment } = run;
  // A preview may have waited an hour at the gate: the target must still answer before traffic goes to it.
  const target = await checkHealthOnce({
    url: `${slotUrl(service, deployment.toSlot)}${service.health.path}`,
    expectedVersion: deployment.version,
    versionField: service.health.versionField,
    requestTimeoutMs: 3000,
  });
  if (!target.ok)
    throw new PhaseFailure(
      `${deployment.toSlot} no longer answers as ${deployment.version} (${target.reason}); traffic was not moved.`,
    );
  const started = performance.now();
  // Recorded before nginx is touched: after a crash from here on, recovery treats traffic as possibly moved.
  updateDeployment(run.ctx.db, deployment.id, { switchedAt: Date.now() });
  let result;
  try {
    result = await switchUpstream({
      nginx: run.ctx.config.nginx,
      service: service.name,
      slot: deployment.toSlot,
      port: service.slots[deployment.toSlot].port,
      version: deployment.version,
      deploymentId: deployment.id,
    });
  } catch (error) {
    // nginx -t refused the file, or nginx was not running or refused the reload signal: the previous file is back
    // and nothing was reloaded, so traffic never moved. This is a failure before the switch, and nginx's rather than
    // the release's (the pipeline keeps the target for a retry); a rollback would only run nginx again.
    if (error instanceof NginxConfigError || error instanceof NginxError) {
      updateDeployment(run.ctx.db, deployment.id, { switchedAt: null });
      const kind = error instanceof NginxConfigError ? "nginx_config_invalid" : "reload_not_applied";
      throw new PhaseFailure(error.message, { kind, trafficMoved: false });
    }
    throw error;
  }
  failpoint("switch:reloaded");
  const port = service.slots[deployment.toSlot].port;
  return {
    status: result.reloadConfirmed ? "passed" : "warning",
    summary: `nginx now sends ${service.name} to ${deployment.toSlot} (127.0.0.1:${port}); test + reload ${Math.round(performance.now() - started)} ms${result.reloadConfirmed ? "" : "; nginx did not confirm the reload, verifying through nginx"}`,
    detail: { file: result.file, reloadConfirmed: result.reloadConfirmed },
  };
}
