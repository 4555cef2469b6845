import { trafficDriver } from "@/lib/traffic";
import { collectorStatus, CollectorError } from "@/lib/metrics/collector-status";
import { evaluateTriggers } from "@/lib/metrics/evaluate-triggers";
import { readWindowStats } from "@/lib/metrics/window-stats";
import { onMetricPoint } from "@/lib/metrics/bus";
import { readRollups } from "@/lib/metrics/rollup-store";
import type { Db } from "@/lib/db/client";
import type { Config, Slot } from "@/lib/config/schema";
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
export const metricsEvaluator: WatchEvaluator = async (run) => {
  const status = collectorStatus();
  if (status.accessLog.state === "error")
    throw new CollectorError(`Request log unreadable: ${status.accessLog.lastError ?? "unknown"}`);
  const t = run.service.thresholds;
  const stats = readWindowStats(run.ctx.db, {
    service: run.service.name,
    slot: run.deployment.toSlot,
    windowSeconds: t.windowSeconds,
    now: Math.floor(Date.now() / 1000) - 1,
  });
  const evaluation = evaluateTriggers({
    stats: status.dbErrors.state === "error" ? { ...stats, dbErrorsPerMin: null } : stats,
    thresholds: t,
  });
  return {
    verdict: evaluation.verdict,
    requests: evaluation.requests,
    reasons: evaluation.reasons.map((r) => ({
      metric: r.metric,
      value: r.value === null ? "n/a" : Math.round(r.value * 100) / 100,
      threshold: r.threshold,
      unit: r.unit,
    })),
  };
};

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
