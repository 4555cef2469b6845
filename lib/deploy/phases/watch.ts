import { checkHealthOnce } from "@/lib/checks/health";
import type { Slot } from "@/lib/config/schema";
import { PhaseFailure, slotUrl, type PhaseResult, type PhaseRun } from "../context";
import { watchVerdicts, type Verdict, type WatchEvaluator } from "../watch-evaluator";

const SOURCE_ERROR_LIMIT = 3;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const onAbort = () => (clearTimeout(t), resolve());
    const t = setTimeout(() => (signal.removeEventListener("abort", onAbort), resolve()), ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });

export type Judged = { evaluations: number; inconclusive: number; last: Verdict | null };

/**
 * Judges the target for `durationMs` (null: until `until` fires) with the rollback triggers every few seconds:
 * throws a PhaseFailure on N consecutive breaches, or on evidence between evaluations that amounts to them.
 * "Inconclusive" (no traffic, no data) never counts as a pass but never rolls back either. `until` ends the
 * window early without a verdict against the release (a person continued or promoted).
 */
export async function judge(
  run: PhaseRun,
  evaluator: WatchEvaluator,
  options: { durationMs: number | null; until?: AbortSignal; compareWith?: Slot },
): Promise<Judged> {
  const { service } = run;
  const every = service.thresholds.evaluateEverySeconds * 1000;
  const needed = service.thresholds.consecutiveBreaches;
  const until = options.durationMs === null ? Infinity : Date.now() + options.durationMs;
  const judged: Judged = { evaluations: 0, inconclusive: 0, last: null };
  let breaches = 0;
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
  const stopped = () => run.signal.aborted || !!options.until?.aborted;
  const wake = AbortSignal.any([run.signal, woken.signal, ...(options.until ? [options.until] : [])]);
  const rollback = (verdict: Verdict, over: string) =>
    new PhaseFailure(
      `Automatic rollback: ${verdict.reasons.map((r) => `${r.metric} ${r.value} exceeded ${r.threshold}`).join(", ")} for ${needed} consecutive ${over}`,
      { trigger: verdict.reasons[0], reasons: verdict.reasons, evaluations: judged.evaluations },
    );
  try {
    while (Date.now() < until && !stopped()) {
      await sleep(Math.min(every, Math.max(0, until - Date.now())), wake);
      if (evidence) {
        run.log("warn", `Breach between evaluations: ${describe(evidence)}`);
        throw rollback(evidence, `windows of ${service.thresholds.windowSeconds} s`);
      }
      if (stopped()) break;
      judged.evaluations++;
      const verdict = await evaluateOnce(run, evaluator, options.compareWith);
      if (verdict instanceof Error) {
        sourceErrors++;
        run.log("warn", `Metrics unavailable (${sourceErrors}/${SOURCE_ERROR_LIMIT}): ${verdict.message}`);
        if (sourceErrors >= SOURCE_ERROR_LIMIT)
          throw new PhaseFailure(
            `Metrics unavailable for ${SOURCE_ERROR_LIMIT} evaluations in a row: the release cannot be judged`,
            { evaluations: judged.evaluations },
          );
        judged.inconclusive++;
        continue;
      }
      sourceErrors = 0;
      judged.last = verdict;
      if (verdict.verdict === "breach") {
        breaches++;
        run.log("warn", `Breach ${breaches}/${needed}: ${describe(verdict)}`);
        if (breaches >= needed) throw rollback(verdict, "evaluations");
      } else {
        breaches = 0;
        if (verdict.verdict === "inconclusive") judged.inconclusive++;
      }
    }
  } finally {
    unsubscribe?.();
  }
  if (run.signal.aborted) throw new PhaseFailure("Watch interrupted.");
  return judged;
}

/** The bake window: the target's health and the rollback triggers, evaluated every few seconds. */
export async function watch(run: PhaseRun, evaluator: WatchEvaluator = watchVerdicts): Promise<PhaseResult> {
  const { service, deployment } = run;
  const bakeMs = service.watch.bakeSeconds * 1000;
  if (bakeMs === 0) return { status: "skipped", summary: "no bake window configured" };
  if (!deployment.fromSlot)
    return { status: "skipped", summary: "first install: there is no previous colour to roll back to" };
  const { evaluations, inconclusive } = await judge(run, evaluator, { durationMs: bakeMs });
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
async function evaluateOnce(run: PhaseRun, evaluator: WatchEvaluator, compareWith?: Slot): Promise<Verdict | Error> {
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
    return await evaluator(run, compareWith ? { compareWith } : undefined);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
