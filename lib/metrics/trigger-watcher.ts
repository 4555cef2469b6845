import {
  evaluateTriggers,
  type Evaluation,
  type TriggerReason,
  type TriggerThresholds,
  type WindowStats,
} from "./evaluate-triggers";

export type WatcherStatus = "idle" | "pass" | "inconclusive" | "breaching" | "breached" | "error";

export type WatcherState = {
  status: WatcherStatus;
  evaluations: number;
  passes: number;
  consecutiveBreaches: number;
  consecutiveInconclusive: number;
  consecutiveErrors: number;
  last: Evaluation | null;
  lastError: string | null;
  /** The breach that fired onBreach, once. */
  fired: { reason: TriggerReason; evaluation: Evaluation } | null;
};

export type TriggerWatcherOptions = {
  thresholds: TriggerThresholds & { consecutiveBreaches: number; evaluateEverySeconds?: number };
  /** Reads the current window; throwing (or returning a rejected promise) counts as a source error. */
  sample: () => WindowStats | Promise<WindowStats>;
  onBreach: (reason: TriggerReason, evaluation: Evaluation) => void | Promise<void>;
  /** Called once when `errorLimit` evaluations in a row could not read their source. */
  onError?: (message: string) => void | Promise<void>;
  errorLimit?: number;
};

/**
 * Evaluates the triggers repeatedly and acts on N consecutive breaches only, so one bad window never
 * rolls back. A pass resets the breach streak; an inconclusive window (no traffic, missing figure)
 * or a source error pauses it without resetting it, and is never counted as a pass. After
 * `errorLimit` source errors in a row the watcher enters the "error" state (Argo's
 * consecutiveErrorLimit). onBreach and onError fire at most once each.
 */
export class TriggerWatcher {
  readonly state: WatcherState = {
    status: "idle",
    evaluations: 0,
    passes: 0,
    consecutiveBreaches: 0,
    consecutiveInconclusive: 0,
    consecutiveErrors: 0,
    last: null,
    lastError: null,
    fired: null,
  };
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<WatcherState> | null = null;
  private erroredOnce = false;

  constructor(private readonly opts: TriggerWatcherOptions) {}

  /** One evaluation; concurrent calls share the one in flight. */
  tick(): Promise<WatcherState> {
    this.running ??= this.evaluate().finally(() => (this.running = null));
    return this.running;
  }

  start(): this {
    const every = (this.opts.thresholds.evaluateEverySeconds ?? 2) * 1000;
    this.timer ??= setInterval(() => void this.tick().catch(() => undefined), every);
    this.timer.unref?.();
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The watch's result so far: "pass" only if the last evaluation passed. */
  outcome(): "pass" | "breach" | "inconclusive" | "error" {
    if (this.state.fired) return "breach";
    if (this.state.status === "error") return "error";
    return this.state.last?.verdict === "pass" ? "pass" : "inconclusive";
  }

  private async evaluate(): Promise<WatcherState> {
    const s = this.state;
    let stats: WindowStats;
    try {
      stats = await this.opts.sample();
    } catch (error) {
      s.evaluations++;
      s.consecutiveErrors++;
      s.lastError = error instanceof Error ? error.message : String(error);
      if (s.consecutiveErrors >= (this.opts.errorLimit ?? 3)) {
        if (!s.fired) s.status = "error";
        if (!this.erroredOnce) {
          this.erroredOnce = true;
          await this.opts.onError?.(s.lastError);
        }
      }
      return s;
    }
    const evaluation = evaluateTriggers({ stats, thresholds: this.opts.thresholds });
    s.evaluations++;
    s.last = evaluation;
    s.consecutiveErrors = 0;
    if (evaluation.verdict === "pass") {
      s.passes++;
      s.consecutiveBreaches = 0;
      s.consecutiveInconclusive = 0;
    } else if (evaluation.verdict === "inconclusive") {
      s.consecutiveInconclusive++;
    } else {
      s.consecutiveInconclusive = 0;
      s.consecutiveBreaches++;
    }
    if (!s.fired) s.status = nextStatus(s, evaluation);
    if (!s.fired && s.consecutiveBreaches >= this.opts.thresholds.consecutiveBreaches) {
      const reason = evaluation.reasons[0]!;
      s.fired = { reason, evaluation };
      s.status = "breached";
      await this.opts.onBreach(reason, evaluation);
    }
    return s;
  }
}

function nextStatus(s: WatcherState, e: Evaluation): WatcherStatus {
  if (e.verdict === "breach") return "breaching";
  return e.verdict;
}
