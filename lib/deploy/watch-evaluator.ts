import type { PhaseRun } from "./context";

export type Verdict = {
  verdict: "pass" | "breach" | "inconclusive";
  reasons: Array<{ metric: string; value: number | string; threshold: number | string }>;
};

export type WatchEvaluator = (run: PhaseRun) => Promise<Verdict>;

/** Until metric collection is wired in, the watch has no metrics to judge: every evaluation is inconclusive. */
export const watchVerdicts: WatchEvaluator = async () => ({ verdict: "inconclusive", reasons: [] });
