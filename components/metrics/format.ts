import type { MetricKey } from "@/lib/views/metrics-series";

export const METRIC_INFO: Record<MetricKey, { title: string; unit: string }> = {
  cpuPct: { title: "CPU", unit: "%" },
  memMb: { title: "Memory", unit: "MB" },
  p50Ms: { title: "P50 latency", unit: "ms" },
  p95Ms: { title: "P95 latency", unit: "ms" },
  p99Ms: { title: "P99 latency", unit: "ms" },
  errorRate: { title: "Error rate", unit: "%" },
  rps: { title: "Requests", unit: "req/s" },
  rpsUnder400: { title: "2xx/3xx (below 400)", unit: "req/s" },
  rps4xx: { title: "4xx", unit: "req/s" },
  rps5xx: { title: "5xx", unit: "req/s" },
  dbErrorsPerMin: { title: "DB errors", unit: "/min" },
};

/** A figure with sensible precision for its size: 0.012, 1.25, 42.3, 1234. */
export function formatNumber(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "–";
  const a = Math.abs(v);
  if (a === 0) return "0";
  if (a < 0.1) return v.toFixed(3);
  if (a < 10) return v.toFixed(2);
  if (a < 100) return v.toFixed(1);
  return Math.round(v).toLocaleString("en-GB");
}

/** An axis tick: whole numbers without decimals, others with at most two. */
export function formatTickValue(v: number): string {
  if (Number.isInteger(v)) return Math.abs(v) >= 1000 ? v.toLocaleString("en-GB") : String(v);
  return String(Number(v.toFixed(Math.abs(v) < 1 ? 3 : 2)));
}

export const formatValue = (metric: MetricKey, v: number | null | undefined) => {
  const text = formatNumber(v);
  return text === "–" ? text : `${text} ${METRIC_INFO[metric].unit}`;
};

/** An axis tick for epoch seconds: clock time for short spans, day and time for long ones (browser time zone). */
export function formatTick(t: number, spanSeconds: number): string {
  const d = new Date(t * 1000);
  if (spanSeconds <= 3 * 3600)
    return d.toLocaleTimeString("en-GB", {
      hour: "2-digit",
      minute: "2-digit",
      second: spanSeconds <= 900 ? "2-digit" : undefined,
    });
  return d.toLocaleString("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
}

/** The first word of a metric's title, lower case: "p50" for the median, "p99" for the tail. */
export const shortName = (metric: MetricKey) => METRIC_INFO[metric].title.split(" ")[0]!.toLowerCase();
