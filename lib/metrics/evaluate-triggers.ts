import type { Thresholds } from "@/lib/config/schema";

/** What the triggers look at over one sliding window of one colour. */
export type WindowStats = {
  windowSeconds: number;
  requests: number;
  errors5xx: number;
  p95Ms: number | null;
  /** Latest memory sample in the window, MiB; null when Docker gave none. */
  memMb: number | null;
  /** null when the log scanner could not read the container's logs. */
  dbErrorsPerMin: number | null;
};

export type TriggerMetric =
  "error_rate" | "response_time_p95" | "memory_usage" | "database_connection_errors" | "requests";
export type TriggerReason = {
  metric: TriggerMetric;
  value: number | null;
  threshold: number;
  unit: string;
  detail?: string;
};
export type Verdict = "pass" | "breach" | "inconclusive";
export type Evaluation = { verdict: Verdict; reasons: TriggerReason[]; requests: number };

export type TriggerThresholds = Pick<
  Thresholds,
  "errorRatePercent" | "p95Ms" | "memoryMb" | "dbErrorsPerMinute" | "minRequests"
>;

const known = (v: number | null | undefined): v is number => typeof v === "number" && Number.isFinite(v);

/**
 * The seed's rollback triggers over one window. Any breach wins (memory and DB errors need no
 * traffic); otherwise a figure that is missing or NaN, or fewer requests than `minRequests`, makes
 * the verdict "inconclusive", never a pass.
 */
export function evaluateTriggers({
  stats,
  thresholds,
}: {
  stats: WindowStats;
  thresholds: TriggerThresholds;
}): Evaluation {
  const breaches: TriggerReason[] = [];
  const unknown: TriggerReason[] = [];
  const requests = known(stats.requests) ? stats.requests : 0;
  const check = (
    metric: TriggerMetric,
    value: number | null | undefined,
    threshold: number,
    unit: string,
    missing: string,
  ) => {
    if (!known(value)) unknown.push({ metric, value: null, threshold, unit, detail: missing });
    else if (value > threshold) breaches.push({ metric, value, threshold, unit });
  };

  if (!known(stats.requests) || !known(stats.errors5xx)) {
    unknown.push({
      metric: "requests",
      value: null,
      threshold: thresholds.minRequests,
      unit: "requests",
      detail: "request counts unavailable",
    });
  } else if (requests < thresholds.minRequests) {
    unknown.push({
      metric: "requests",
      value: requests,
      threshold: thresholds.minRequests,
      unit: "requests",
      detail: "no traffic",
    });
  } else {
    check("error_rate", (stats.errors5xx / requests) * 100, thresholds.errorRatePercent, "%", "error rate unavailable");
    check("response_time_p95", stats.p95Ms, thresholds.p95Ms, "ms", "latency unavailable");
  }
  check("memory_usage", stats.memMb, thresholds.memoryMb, "MiB", "no memory sample");
  check(
    "database_connection_errors",
    stats.dbErrorsPerMin,
    thresholds.dbErrorsPerMinute,
    "/min",
    "container logs unavailable",
  );

  if (breaches.length > 0) return { verdict: "breach", reasons: breaches, requests };
  if (unknown.length > 0) return { verdict: "inconclusive", reasons: unknown, requests };
  return { verdict: "pass", reasons: [], requests };
}

export function describeReason(r: TriggerReason): string {
  if (r.value === null) return `${r.metric}: ${r.detail ?? "unavailable"}`;
  if (r.metric === "requests") return `${r.detail ?? "too few requests"}: ${r.value} requests < ${r.threshold}`;
  return `${r.metric} ${round(r.value)}${r.unit} > ${r.threshold}${r.unit}`;
}

const round = (v: number) => Math.round(v * 100) / 100;
