import type { PhaseRun } from "./context";

export type Verdict = {
  verdict: "pass" | "breach" | "inconclusive";
  reasons: Array<{ metric: string; value: number | string; threshold: number | string; unit?: string }>;
  requests?: number;
};

export type WatchEvaluator = ((run: PhaseRun) => Promise<Verdict>) & {
  /**
   * Evidence that need not wait for the next evaluation. Called once when the watch starts; calls `onBreach` with
   * a verdict the moment the evidence already amounts to the consecutive breaches the watch would count. Returns
   * the unsubscribe.
   */
  watchEvidence?: (run: PhaseRun, q: { sinceSec: number; onBreach: (verdict: Verdict) => void }) => () => void;
};

/** An engine without metric collectors has no metrics to judge: every evaluation is inconclusive, never a pass. */
export const watchVerdicts: WatchEvaluator = async () => ({ verdict: "inconclusive", reasons: [] });
