import { processWide } from "@/lib/process-wide";

/** What a person asked of a deployment in its weighted steps: the next step now, or straight to 100 %. */
export type SplitRequest = { how: "continue" | "promote"; by: string };

/**
 * The weighted steps a pipeline of this process walks, by deployment id. A person's continue or promote ends the
 * step being judged (its `until` signal) and, for a promote, every step after it.
 */
export class SplitControl {
  promotedBy: string | null = null;
  private step = new AbortController();
  /** Ends when a person continues or promotes; renewed for each step. */
  get until(): AbortSignal {
    return this.step.signal;
  }
  nextStep(): void {
    if (this.step.signal.aborted) this.step = new AbortController();
  }
  ask(request: SplitRequest): void {
    if (request.how === "promote") this.promotedBy ??= request.by;
    this.step.abort(request);
  }
}

export function splitControls(): Map<string, SplitControl> {
  return processWide("split-controls", () => new Map<string, SplitControl>());
}
