import { failpoint } from "@/lib/failpoint";
import { checkHealthOnce } from "@/lib/checks/health";
import { trafficDriver, TrafficRefusedError } from "@/lib/traffic";
import { PhaseFailure, slotUrl, type PhaseResult, type PhaseRun } from "../context";
import type { FailureKind } from "../failure-kinds";
import { updateDeployment } from "../store";
import { setSplit } from "./split";

// Every kind a load balancer may refuse with is one the deployment page can explain.
type RefusalIsExplained<K extends FailureKind> = K;
export type SwitchRefusal = RefusalIsExplained<TrafficRefusedError["kind"]>;

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
  const driver = trafficDriver(run.ctx.config, service);
  // Recorded before the load balancer is touched: after a crash from here on, recovery treats traffic as possibly moved.
  updateDeployment(run.ctx.db, deployment.id, { switchedAt: Date.now() });
  // A weighted promotion starts at the plan's first share; without a plan all traffic moves at once.
  const first = deployment.fromSlot ? service.promotion.steps?.[0] : undefined;
  let result;
  try {
    result = first
      ? await setSplit(run, first.percent)
      : await driver.apply({ slot: deployment.toSlot, version: deployment.version, deploymentId: deployment.id });
  } catch (error) {
    // The load balancer refused the change (nginx -t or haproxy -c refused the configuration, it was not running,
    // it refused the reload or the runtime command) and nothing moved. This is a failure before the switch, and the
    // load balancer's rather than the release's (the pipeline keeps the target for a retry); a rollback would only
    // run the load balancer again.
    if (error instanceof TrafficRefusedError) {
      updateDeployment(run.ctx.db, deployment.id, { switchedAt: null, splitPercent: null });
      throw new PhaseFailure(error.message, { kind: error.kind, trafficMoved: false });
    }
    throw error;
  }
  failpoint("switch:reloaded");
  return {
    status: result.confirmed ? "passed" : "warning",
    summary: result.summary,
    detail: result.detail,
  };
}
