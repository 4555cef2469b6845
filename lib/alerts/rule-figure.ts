import type { AlertMetric, AlertRule } from "@/lib/config/schema";
import type { WindowStats } from "@/lib/metrics/evaluate-triggers";

export const ALERT_UNITS: Record<AlertMetric, string> = {
  error_rate: "%",
  response_time_p95: "ms",
  memory_usage: "MiB",
  database_connection_errors: "/min",
};

export const ALERT_LABELS: Record<AlertMetric, string> = {
  error_rate: "error rate",
  response_time_p95: "p95 latency",
  memory_usage: "memory",
  database_connection_errors: "database errors",
};

/**
 * A rule's figure over one window of the live colour, counted as the rollback triggers count it; null when there is
 * nothing to judge (fewer requests than the rule asks for, no memory sample). Null never breaches.
 */
export function ruleFigure(rule: Pick<AlertRule, "metric" | "minRequests">, stats: WindowStats): number | null {
  const traffic = stats.requests >= rule.minRequests;
  switch (rule.metric) {
    case "error_rate":
      return traffic ? (stats.errors5xx / stats.requests) * 100 : null;
    case "response_time_p95":
      return traffic ? stats.p95Ms : null;
    case "memory_usage":
      return stats.memMb;
    case "database_connection_errors":
      return stats.dbErrorsPerMin;
  }
}

const round = (v: number) => Math.round(v * 100) / 100;

/** "error rate 12.5 % > 1 % for 5 min" */
export function describeRule(rule: Pick<AlertRule, "metric" | "above" | "forSeconds">, value?: number | null): string {
  const unit = ALERT_UNITS[rule.metric];
  const sep = unit.startsWith("/") ? "" : " ";
  const figure = value === undefined || value === null ? "" : ` ${round(value)}${sep}${unit}`;
  return `${ALERT_LABELS[rule.metric]}${figure} > ${rule.above}${sep}${unit} for ${duration(rule.forSeconds * 1000)}`;
}

/** "90 s", "5 min", "2 h 5 min" */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 120) return `${min} min`;
  return `${Math.floor(min / 60)} h${min % 60 ? ` ${min % 60} min` : ""}`;
}

export const alertDedupKey = (service: string, rule: string) => `greenlight-${service}-alert-${rule}`;
