import { checkHealthOnce } from "@/lib/checks/health";
import { PhaseFailure, slotUrl, type PhaseResult, type PhaseRun } from "../context";
import { watchVerdicts, type Verdict, type WatchEvaluator } from "../watch-evaluator";

const SOURCE_ERROR_LIMIT = 3;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const onAbort = () => (clearTimeout(t), resolve());
    const t = setTimeout(() => (signal.removeEventListener("abort", onAbort), resolve()), ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });

/**
 * The bake window: the target's health and the rollback triggers, evaluated every few seconds. Only N consecutive
 * breaches fail it; "inconclusive" (no traffic, no data) never counts as a pass but never rolls back either.
 */
export async function watch(run: PhaseRun, evaluator: WatchEvaluator = watchVerdicts): Promise<PhaseResult> {
  const { service, deployment } = run;
  const bakeMs = service.watch.bakeSeconds * 1000;
  if (bakeMs === 0) return { status: "skipped", summary: "no bake window configured" };
  if (!deployment.fromSlot)
    return { status: "skipped", summary: "first install: there is no previous colour to roll back to" };
  const every = service.thresholds.evaluateEverySeconds * 1000;
  const needed = service.thresholds.consecutiveBreaches;
  const until = Date.now() + bakeMs;
  let breaches = 0;
  let evaluations = 0;
  let inconclusive = 0;
  let sourceErrors = 0;
  // Evidence between evaluations (a DB error the moment it is logged) ends the wait for the next evaluation.
  let evidence: Verdict | null = null;
  const woken = new AbortController();
  const unsubscribe = evaluator.watchEvidence?.(run, {
    sinceSec: Math.floor(Date.now() / 1000),
    onBreach: (verdict) => {
      evidence ??= verdict;
      woken.abort();
    },
  });
  const wake = AbortSignal.any([run.signal, woken.signal]);
  const rollback = (verdict: Verdict, over: string) =>
    new PhaseFailure(
      `Automatic rollback: ${verdict.reasons.map((r) => `${r.metric} ${r.value} exceeded ${r.threshold}`).join(", ")} for ${needed} consecutive ${over}`,
      { trigger: verdict.reasons[0], reasons: verdict.reasons, evaluations },
    );
  try {
    while (Date.now() < until && !run.signal.aborted) {
      await sleep(Math.min(every, Math.max(0, until - Date.now())), wake);
      if (evidence) {
        run.log("warn", `Breach between evaluations: ${describe(evidence)}`);
        throw rollback(evidence, `windows of ${service.thresholds.windowSeconds} s`);
      }
      if (run.signal.aborted) break;
      evaluations++;
      const verdict = await evaluateOnce(run, evaluator);
      if (verdict instanceof Error) {
        sourceErrors++;
        run.log("warn", `Metrics unavailable (${sourceErrors}/${SOURCE_ERROR_LIMIT}): ${verdict.message}`);
        if (sourceErrors >= SOURCE_ERROR_LIMIT)
          throw new PhaseFailure(
            `Metrics unavailable for ${SOURCE_ERROR_LIMIT} evaluations in a row: the release cannot be judged`,
            { evaluations },
          );
        inconclusive++;
        continue;
      }
      sourceErrors = 0;
      if (verdict.verdict === "breach") {
        breaches++;
        run.log("warn", `Breach ${breaches}/${needed}: ${describe(verdict)}`);
        if (breaches >= needed) throw rollback(verdict, "evaluations");
      } else {
        breaches = 0;
        if (verdict.verdict === "inconclusive") inconclusive++;
      }
    }
  } finally {
    unsubscribe?.();
  }
  if (run.signal.aborted) throw new PhaseFailure("Watch interrupted.");
  return {
    status: inconclusive === evaluations && evaluations > 0 ? "warning" : "passed",
    summary:
      inconclusive === evaluations && evaluations > 0
        ? `bake window of ${service.watch.bakeSeconds} s passed health checks, but metrics were inconclusive (no traffic)`
        : `bake window of ${service.watch.bakeSeconds} s clean (${evaluations} evaluations, ${inconclusive} inconclusive)`,
    detail: { evaluations, inconclusive },
  };
}

const describe = (verdict: Verdict) =>
  verdict.reasons.map((r) => `${r.metric}=${r.value} (threshold ${r.threshold})`).join(", ");

/** One evaluation: the target's health first, then the evaluator; a metrics source that fails is counted apart. */
async function evaluateOnce(run: PhaseRun, evaluator: WatchEvaluator): Promise<Verdict | Error> {
  const { service, deployment } = run;
  const health = await checkHealthOnce({
    url: `${slotUrl(service, deployment.toSlot)}${service.health.path}`,
    expectedVersion: deployment.version,
    versionField: service.health.versionField,
    requestTimeoutMs: 2000,
  });
  if (!health.ok)
    return {
      verdict: "breach",
      reasons: [{ metric: "health", value: health.reason ?? "unhealthy", threshold: "healthy" }],
    };
  try {
    return await evaluator(run);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
