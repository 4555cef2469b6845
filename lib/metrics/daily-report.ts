import { percentile } from "./histogram";
import { emptyRollup, mergeRollup, type Rollup } from "./rollup";
import { mergeAll } from "./summarize";

export type DailyReport = {
  from: number;
  to: number;
  requests: number;
  successful: number;
  failed: number;
  successPercent: number | null;
  avgMs: number | null;
  p95Ms: number | null;
  /** Share of observed minutes (minutes with traffic) that were up; null without traffic. */
  uptimePercent: number | null;
  observedMinutes: number;
  downMinutes: number;
};

/** A minute is down when more than this share of its requests failed. */
export const DOWN_MINUTE_FAILURE_SHARE = 0.5;

/**
 * The daily report over rollups (per second or per minute, every colour) in [from, to): totals,
 * success %, average and merged-histogram p95, and uptime by minute. A minute without requests is
 * not evidence either way and is left out of uptime.
 */
export function dailyReport(input: { rollups: Rollup[]; from: number; to: number }): DailyReport {
  const inRange = input.rollups.filter((r) => r.ts >= input.from && r.ts < input.to);
  const total = mergeAll(inRange);
  const minutes = new Map<number, Rollup>();
  for (const r of inRange) {
    const m = Math.floor(r.ts / 60) * 60;
    minutes.set(m, mergeRollup(minutes.get(m) ?? emptyRollup("", "unknown", m), r));
  }
  const observed = [...minutes.values()].filter((m) => m.requests > 0);
  const down = observed.filter((m) => m.errors5xx / m.requests > DOWN_MINUTE_FAILURE_SHARE).length;
  const has = total.requests > 0;
  return {
    from: input.from,
    to: input.to,
    requests: total.requests,
    successful: total.requests - total.errors5xx,
    failed: total.errors5xx,
    successPercent: has ? ((total.requests - total.errors5xx) / total.requests) * 100 : null,
    avgMs: has ? total.latencySumMs / total.requests : null,
    p95Ms: has ? percentile(total.hist, 0.95) : null,
    uptimePercent: observed.length > 0 ? ((observed.length - down) / observed.length) * 100 : null,
    observedMinutes: observed.length,
    downMinutes: down,
  };
}
