import { runSmokeTests } from "@/lib/checks/smoke";
import { smokeTestsFor } from "../release-scope";
import { keptSmokeResults, lastLogLines } from "../app-answer";
import { PhaseFailure, slotUrl, type PhaseResult, type PhaseRun } from "../context";

export async function smoke(run: PhaseRun): Promise<PhaseResult> {
  const { service, deployment } = run;
  const tests = smokeTestsFor(service.smoke, deployment.version);
  if (tests.length === 0) return { status: "skipped", summary: `no smoke tests apply to ${deployment.version}` };
  const result = await runSmokeTests({ baseUrl: slotUrl(service, deployment.toSlot), tests, signal: run.signal });
  const failed = result.results.filter((r) => !r.ok);
  if (failed.length > 0)
    throw new PhaseFailure(
      `Smoke test failed, aborting deployment: ${failed.map((r) => `${r.method} ${r.path} ${r.reason}`).join("; ")}`,
      {
        kind: "smoke_failed",
        results: keptSmokeResults(service, result.results),
        logs: await lastLogLines(service, deployment.targetContainer),
      },
    );
  const slowest = Math.max(...result.results.map((r) => r.ms));
  return {
    status: "passed",
    summary: `${result.results.length}/${result.results.length} passed, slowest ${Math.round(slowest)} ms`,
    detail: { results: result.results },
  };
}
