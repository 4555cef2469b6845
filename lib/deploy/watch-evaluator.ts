import type { PhaseRun } from "./context";

export type Verdict = {
  verdict: "pass" | "breach" | "inconclusive";
  reasons: Array<{ metric: string; value: number | string; threshold: number | string; unit?: string }>;
  requests?: number;
};

export type WatchEvaluator = (run: PhaseRun) => Promise<Verdict>;

/** An engine without metric collectors has no metrics to judge: every evaluation is inconclusive, never a pass. */
export const watchVerdicts: WatchEvaluator = async () => ({ verdict: "inconclusive", reasons: [] });
