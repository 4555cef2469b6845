import { percentile } from "./histogram";
import { emptyRollup, mergeRollup, type Rollup } from "./rollup";

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

/** What a daily report is made of, so far: totals and per-minute counts. Rollups add into it in any order. */
export type DailyTally = { total: Rollup; minutes: Map<number, { requests: number; errors: number }> };

export const emptyTally = (): DailyTally => ({ total: emptyRollup("", "unknown", 0), minutes: new Map() });

/** A copy that can be added to without changing the original. */
export const copyTally = (t: DailyTally): DailyTally => ({
  total: mergeRollup(emptyRollup("", "unknown", 0), t.total),
  minutes: new Map([...t.minutes].map(([m, c]) => [m, { ...c }])),
});

/** Adds the rollups in [from, to) (per second or per minute, any colour) to the tally; returns it. */
export function addToTally(tally: DailyTally, rollups: Rollup[], from: number, to: number): DailyTally {
  for (const r of rollups) {
    if (r.ts < from || r.ts >= to) continue;
    mergeRollup(tally.total, r);
    const m = Math.floor(r.ts / 60) * 60;
    const counts = tally.minutes.get(m) ?? { requests: 0, errors: 0 };
    counts.requests += r.requests;
    counts.errors += r.errors5xx;
    tally.minutes.set(m, counts);
  }
  return tally;
}

/**
 * The daily report of a tally over [from, to): totals, success %, average and merged-histogram p95, and uptime by
 * minute. A minute without requests is not evidence either way and is left out of uptime.
 */
export function reportOfTally(tally: DailyTally, from: number, to: number): DailyReport {
  const total = tally.total;
  const observed = [...tally.minutes.values()].filter((m) => m.requests > 0);
  const down = observed.filter((m) => m.errors / m.requests > DOWN_MINUTE_FAILURE_SHARE).length;
  const has = total.requests > 0;
  return {
    from,
    to,
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

/** The daily report over rollups (per second or per minute, every colour) in [from, to). */
export function dailyReport(input: { rollups: Rollup[]; from: number; to: number }): DailyReport {
  return reportOfTally(addToTally(emptyTally(), input.rollups, input.from, input.to), input.from, input.to);
}
