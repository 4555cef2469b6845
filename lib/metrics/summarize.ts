import { percentile } from "./histogram";
import { emptyRollup, mergeRollup, type Rollup } from "./rollup";

export const MIB = 1024 * 1024;

/** One chart point over [t, t + span) seconds. Rates are per second, errorRate is in percent (0-100). */
export type SeriesPoint = {
  t: number;
  rps: number;
  /**
   * Requests per second by status class; they add up to `rps`. The first is every request below 400: 2xx and 3xx
   * (and the rare 1xx), since the rollups count 4xx and 5xx and leave the rest together.
   */
  rpsUnder400: number;
  rps4xx: number;
  rps5xx: number;
  errorRate: number | null;
  /** Latency percentiles from the same merged histogram. */
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  avgMs: number | null;
  cpuPct: number | null;
  /** Average memory of the Docker samples, in MiB (as the Docker CLI shows it). */
  memMb: number | null;
  dbErrorsPerMin: number;
};

/** Merges rollups (any colours, any intervals) into one: counts add, histograms merge. */
export function mergeAll(rollups: Iterable<Rollup>, service = "", slot: Rollup["slot"] = "unknown", ts = 0): Rollup {
  const total = emptyRollup(service, slot, ts);
  for (const r of rollups) mergeRollup(total, r);
  return total;
}

/** The chart figures of a merged rollup covering `spanSeconds`; p50, p95 and p99 from the merged histogram. */
export function toSeriesPoint(r: Rollup, t: number, spanSeconds: number): SeriesPoint {
  return {
    t,
    rps: r.requests / spanSeconds,
    rpsUnder400: Math.max(0, r.requests - r.errors4xx - r.errors5xx) / spanSeconds,
    rps4xx: r.errors4xx / spanSeconds,
    rps5xx: r.errors5xx / spanSeconds,
    errorRate: r.requests > 0 ? (r.errors5xx / r.requests) * 100 : null,
    p50Ms: r.requests > 0 ? percentile(r.hist, 0.5) : null,
    p95Ms: r.requests > 0 ? percentile(r.hist, 0.95) : null,
    p99Ms: r.requests > 0 ? percentile(r.hist, 0.99) : null,
    avgMs: r.requests > 0 ? r.latencySumMs / r.requests : null,
    cpuPct: r.samples > 0 ? r.cpuPctSum / r.samples : null,
    memMb: r.samples > 0 ? r.memBytesSum / r.samples / MIB : null,
    dbErrorsPerMin: (r.dbErrors * 60) / spanSeconds,
  };
}

/**
 * Groups rollups into consecutive steps of `stepSeconds` from `from` to `to` (exclusive) and
 * returns one point per step, steps without data included (null figures, zero rates).
 */
export function bucketSeries(rollups: Rollup[], from: number, to: number, stepSeconds: number): SeriesPoint[] {
  const steps = Math.max(0, Math.ceil((to - from) / stepSeconds));
  const merged: Rollup[] = Array.from({ length: steps }, (_, i) => emptyRollup("", "unknown", from + i * stepSeconds));
  for (const r of rollups) {
    const i = Math.floor((r.ts - from) / stepSeconds);
    const target = merged[i];
    if (target) mergeRollup(target, r);
  }
  return merged.map((m) => toSeriesPoint(m, m.ts, stepSeconds));
}
