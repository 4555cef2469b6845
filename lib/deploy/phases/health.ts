import { pollHealth } from "@/lib/checks/health";
import { PhaseFailure, slotUrl, type PhaseResult, type PhaseRun } from "../context";

export async function health(run: PhaseRun): Promise<PhaseResult> {
  const { service, deployment } = run;
  const h = service.health;
  const result = await pollHealth({
    url: `${slotUrl(service, deployment.toSlot)}${h.path}`,
    expectedVersion: deployment.version,
    versionField: h.versionField,
    firstIntervalMs: h.firstIntervalMs,
    maxIntervalMs: h.maxIntervalMs,
    deadlineMs: h.deadlineSeconds * 1000,
    signal: run.signal,
  });
  if (!result.ok)
    throw new PhaseFailure(`${deployment.toSlot} never became healthy within ${h.deadlineSeconds} s: ${result.reason}`, {
      attempts: result.attempts,
      elapsedMs: result.elapsedMs,
    });
  return {
    status: "passed",
    summary: `healthy, version ${result.version} after ${result.attempts} attempt(s) in ${Math.round(result.elapsedMs)} ms`,
    detail: { attempts: result.attempts, elapsedMs: result.elapsedMs },
  };
}
