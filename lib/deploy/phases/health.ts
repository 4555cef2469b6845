import { pollHealth } from "@/lib/checks/health";
import { inspectContainer } from "@/lib/docker/containers";
import { appAnswer } from "../app-answer";
import { PhaseFailure, slotUrl, type PhaseResult, type PhaseRun } from "../context";

const CRASH_CHECK_MS = 500;
/** Restarts after which a target is taken for crashing, not for starting slowly. */
const CRASH_RESTARTS = 2;

/**
 * What is wrong with the target container, if anything: gone, exited, crashing, or unknown because Docker itself
 * does not answer (which says nothing about the target, and is worded so).
 */
export async function targetTrouble(id: string, inspect = inspectContainer): Promise<string | null> {
  let c;
  try {
    c = await inspect(id);
  } catch (error) {
    return `Docker is not answering, so the target's state is unknown (${(error as Error).message})`;
  }
  if (!c) return "the target container is gone";
  if (c.state === "exited" || c.state === "dead")
    return `the target exited with code ${c.exitCode}${c.oomKilled ? " (out of memory)" : ""}`;
  if (c.restartCount >= CRASH_RESTARTS)
    return `the target keeps crashing (restarted ${c.restartCount} times, last exit code ${c.exitCode})`;
  return null;
}

/**
 * Polls the target directly until it reports the release's version, and watches its container meanwhile: a target
 * that exits or keeps restarting fails at once instead of waiting out the whole deadline.
 */
export async function health(run: PhaseRun): Promise<PhaseResult> {
  const { service, deployment } = run;
  const h = service.health;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  run.signal.addEventListener("abort", onAbort, { once: true });
  let crashed: string | null = null;
  const watcher = setInterval(async () => {
    if (!deployment.targetContainer || crashed) return;
    crashed = await targetTrouble(deployment.targetContainer);
    if (crashed) stop.abort();
  }, CRASH_CHECK_MS);
  try {
    const result = await pollHealth({
      url: `${slotUrl(service, deployment.toSlot)}${h.path}`,
      expectedVersion: deployment.version,
      versionField: h.versionField,
      firstIntervalMs: h.firstIntervalMs,
      maxIntervalMs: h.maxIntervalMs,
      deadlineMs: h.deadlineSeconds * 1000,
      wrongVersionAfter: h.certainAfter,
      signal: stop.signal,
    });
    if (crashed || !result.ok) {
      const seen = {
        attempts: result.attempts,
        elapsedMs: result.elapsedMs,
        answer: await appAnswer(service, result, deployment.targetContainer),
      };
      if (crashed)
        throw new PhaseFailure(`${deployment.toSlot} never became healthy: ${crashed}`, {
          kind: "never_healthy",
          ...seen,
        });
      if (result.certain === "wrong_version") {
        const reported = result.version === undefined ? `no ${h.versionField}` : result.version;
        throw new PhaseFailure(
          `The image reports ${reported}; this release expects ${deployment.version} (is the tag right?). ${result.attempts} healthy answer(s) in ${Math.round(result.elapsedMs)} ms, the last ${h.certainAfter} alike.`,
          { kind: "wrong_version", ...seen },
        );
      }
      throw new PhaseFailure(
        `${deployment.toSlot} never became healthy within ${h.deadlineSeconds} s: ${result.reason}`,
        { kind: "never_healthy", ...seen },
      );
    }
    return {
      status: "passed",
      summary: `healthy, version ${result.version} after ${result.attempts} attempt(s) in ${Math.round(result.elapsedMs)} ms`,
      detail: { attempts: result.attempts, elapsedMs: result.elapsedMs },
    };
  } finally {
    clearInterval(watcher);
    run.signal.removeEventListener("abort", onAbort);
  }
}
