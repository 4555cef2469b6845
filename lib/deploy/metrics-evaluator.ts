import { trafficDriver } from "@/lib/traffic";
import { collectorStatus, CollectorError } from "@/lib/metrics/collector-status";
import { evaluateTriggers } from "@/lib/metrics/evaluate-triggers";
import { readWindowStats } from "@/lib/metrics/window-stats";
import { onMetricPoint } from "@/lib/metrics/bus";
import { readRollups } from "@/lib/metrics/rollup-store";
import type { Db } from "@/lib/db/client";
import type { Config, Slot, Thresholds } from "@/lib/config/schema";
import type { WindowStats } from "@/lib/metrics/evaluate-triggers";
import type { Verdict, WatchEvaluator } from "./watch-evaluator";

/** The colour each service's load balancer was last set to, read synchronously for the access-log attribution. */
export function liveSlotsOf(config: Config): () => Record<string, Slot | undefined> {
  const drivers = config.services.map((s) => [s.name, trafficDriver(config, s)] as const);
  return () => Object.fromEntries(drivers.map(([name, driver]) => [name, driver.persistedLive()]));
}

/**
 * The seed's rollback triggers over the target colour's last window of complete seconds (the one in progress is
 * still being flushed). A metrics source in its error state throws: the watch counts that as a source error.
 */
export const metricsEvaluator: WatchEvaluator = async (run, options = {}) => {
  const status = collectorStatus();
  if (status.accessLog.state === "error")
    throw new CollectorError(`Request log unreadable: ${status.accessLog.lastError ?? "unknown"}`);
  const t = run.service.thresholds;
  const now = Math.floor(Date.now() / 1000) - 1;
  const window = (slot: Slot) =>
    readWindowStats(run.ctx.db, { service: run.service.name, slot, windowSeconds: t.windowSeconds, now });
  const stats = window(run.deployment.toSlot);
  const evaluation = evaluateTriggers({
    stats: status.dbErrors.state === "error" ? { ...stats, dbErrorsPerMin: null } : stats,
    thresholds: t,
  });
  const round = (v: number) => Math.round(v * 100) / 100;
  const verdict: Verdict = {
    verdict: evaluation.verdict,
    requests: evaluation.requests,
    reasons: evaluation.reasons.map((r) => ({
      metric: r.metric,
      value: r.value === null ? "n/a" : round(r.value),
      threshold: r.threshold,
      unit: r.unit,
    })),
  };
  if (!options.compareWith) return verdict;
  const old = window(options.compareWith);
  const relative = relativeErrorRate(stats, old, t);
  verdict.colours = {
    new: { requests: stats.requests, errorRatePercent: rate(stats) },
    old: { requests: old.requests, errorRatePercent: rate(old) },
  };
  if (relative.breach) {
    const reason = {
      metric: `error_rate_above_${options.compareWith}`,
      value: round(relative.points),
      threshold: t.relativeErrorRatePoints,
      unit: "points",
    };
    // A breach of the absolute triggers stays a breach; this one adds its reason (or turns a pass into a breach).
    verdict.reasons = verdict.verdict === "breach" ? [...verdict.reasons, reason] : [reason];
    verdict.verdict = "breach";
  }
  return verdict;
};

const rate = (s: WindowStats) => (s.requests > 0 ? Math.round((s.errors5xx / s.requests) * 10_000) / 100 : null);

/**
 * The relative rule of a weighted step: the new colour's 5xx rate may be at most `relativeErrorRatePoints` above the
 * old colour's over the same window. Judged only when both colours served at least `minRequests`.
 */
export function relativeErrorRate(
  next: Pick<WindowStats, "requests" | "errors5xx">,
  old: Pick<WindowStats, "requests" | "errors5xx">,
  t: Pick<Thresholds, "minRequests" | "relativeErrorRatePoints">,
): { breach: boolean; points: number } {
  if (next.requests < t.minRequests || old.requests < t.minRequests) return { breach: false, points: 0 };
  const points = (next.errors5xx / next.requests - old.errors5xx / old.requests) * 100;
  return { breach: points > t.relativeErrorRatePoints, points };
}

/**
 * DB connection errors are events, not a level: the scanner sees each one the moment the target logs it, while
 * the evaluations come every few seconds and judge complete seconds only. So each stored second that holds a DB
 * error of the watched colour is judged at once, by the same rule the evaluations apply: the last
 * `consecutiveBreaches` windows, ending with that second, each over the threshold. Windows that end before the
 * watch began do not count, so evidence from before the switch never decides alone.
 */
metricsEvaluator.watchEvidence = (run, { sinceSec, onBreach }) => {
  const t = run.service.thresholds;
  return onMetricPoint((point) => {
    if (point.service !== run.service.name || point.slot !== run.deployment.toSlot) return;
    if (point.dbErrorsPerMin <= 0 || collectorStatus().dbErrors.state === "error") return;
    const verdict = dbErrorWindows(run.ctx.db, {
      service: run.service.name,
      slot: run.deployment.toSlot,
      endSec: point.t,
      sinceSec,
      windowSeconds: t.windowSeconds,
      windows: t.consecutiveBreaches,
      perMinute: t.dbErrorsPerMinute,
    });
    if (verdict) onBreach(verdict);
  });
};

/** A breach when each of the `windows` windows ending with `endSec` has more DB errors a minute than allowed. */
export function dbErrorWindows(
  db: Db,
  q: {
    service: string;
    slot: Slot;
    endSec: number;
    sinceSec: number;
    windowSeconds: number;
    windows: number;
    perMinute: number;
  },
): Verdict | null {
  const to = q.endSec + 1;
  const from = to - q.windowSeconds * q.windows;
  if (to - q.windowSeconds * (q.windows - 1) <= q.sinceSec) return null;
  const rollups = readRollups(db, { service: q.service, from, to }).filter((r) => r.slot === q.slot);
  const rates: number[] = [];
  for (let k = 0; k < q.windows; k++) {
    const end = to - k * q.windowSeconds;
    const errors = rollups
      .filter((r) => r.ts >= end - q.windowSeconds && r.ts < end)
      .reduce((n, r) => n + r.dbErrors, 0);
    const rate = (errors * 60) / q.windowSeconds;
    if (!(rate > q.perMinute)) return null;
    rates.push(rate);
  }
  return {
    verdict: "breach",
    reasons: [
      {
        metric: "database_connection_errors",
        value: Math.round(Math.min(...rates) * 100) / 100,
        threshold: q.perMinute,
        unit: "/min",
      },
    ],
  };
}
