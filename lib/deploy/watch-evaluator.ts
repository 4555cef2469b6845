import type { Slot } from "@/lib/config/schema";
import type { PhaseRun } from "./context";

export type Verdict = {
  verdict: "pass" | "breach" | "inconclusive";
  reasons: Array<{ metric: string; value: number | string; threshold: number | string; unit?: string }>;
  requests?: number;
  /** During a weighted step: each colour's requests and error rate (percent) over the same window. */
  colours?: Record<"new" | "old", { requests: number; errorRatePercent: number | null }>;
};

/** During a weighted step the new colour is judged against the old one's figures too (`compareWith`). */
export type EvaluateOptions = { compareWith?: Slot };

export type WatchEvaluator = ((run: PhaseRun, options?: EvaluateOptions) => Promise<Verdict>) & {
  /**
   * Evidence that need not wait for the next evaluation. Called once when the watch starts; calls `onBreach` with
   * a verdict the moment the evidence already amounts to the consecutive breaches the watch would count. Returns
   * the unsubscribe.
   */
  watchEvidence?: (run: PhaseRun, q: { sinceSec: number; onBreach: (verdict: Verdict) => void }) => () => void;
};

/** An engine without metric collectors has no metrics to judge: every evaluation is inconclusive, never a pass. */
export const watchVerdicts: WatchEvaluator = async () => ({ verdict: "inconclusive", reasons: [] });
