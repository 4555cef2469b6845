import { trafficDriver } from "@/lib/traffic";
import { collectorStatus, CollectorError } from "@/lib/metrics/collector-status";
import { evaluateTriggers } from "@/lib/metrics/evaluate-triggers";
import { readWindowStats } from "@/lib/metrics/window-stats";
import type { Config, Slot } from "@/lib/config/schema";
import type { WatchEvaluator } from "./watch-evaluator";

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
    throw new CollectorError(`nginx access log unreadable: ${status.accessLog.lastError ?? "unknown"}`);
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
