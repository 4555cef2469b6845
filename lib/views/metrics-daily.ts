import type { Db } from "@/lib/db/client";
import { ValidationError } from "@/lib/errors";
import {
  addToTally,
  copyTally,
  emptyTally,
  reportOfTally,
  type DailyReport,
  type DailyTally,
} from "@/lib/metrics/daily-report";
import { readSettled, SETTLE_SECONDS, storeSettled } from "@/lib/metrics/settled-cache";
import { loadRange, rangeChunks } from "@/lib/metrics/query-window";
import { toCsv } from "./metrics-report-format";

/** [from, to) epoch seconds of a UTC day given as YYYY-MM-DD; default the current UTC day. */
export function dayRange(
  date: string | null | undefined,
  now: number = Date.now(),
): { date: string; from: number; to: number } {
  const day = date ?? new Date(now).toISOString().slice(0, 10);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const from = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 1000 : NaN;
  if (!m || !Number.isFinite(from) || new Date(from * 1000).toISOString().slice(0, 10) !== day) {
    throw new ValidationError(`date must be a day as YYYY-MM-DD, not "${day}".`);
  }
  return { date: day, from, to: from + 86_400 };
}

export type ServiceDailyReport = DailyReport & { service: string; date: string };

/**
 * A service's daily report over one UTC day, from per-minute rows where compacted and per-second rows after. The
 * tally of the day's settled minutes is kept (settled-cache.ts), so a finished day is read once and today only
 * from its last settled minute on.
 */
export function serviceDailyReport(
  db: Db,
  service: string,
  date?: string | null,
  now: number = Date.now(),
): ServiceDailyReport {
  const range = dayRange(date, now);
  const settled = Math.min(range.to, Math.max(range.from, Math.floor((now / 1000 - SETTLE_SECONDS) / 60) * 60));
  const key = `daily\u0000${service}\u0000${range.date}`;
  const cached = readSettled<DailyTally>(db, key);
  const reuseUntil = cached ? Math.min(cached.cover.to, settled) : range.from;
  const tally = cached && reuseUntil === cached.cover.to ? copyTally(cached.value) : emptyTally();
  const start = cached && reuseUntil === cached.cover.to ? reuseUntil : range.from;
  for (const [a, b] of rangeChunks(start, settled)) addToTally(tally, loadRange(db, service, a, b, true), a, b);
  storeSettled(db, key, { from: range.from, to: settled }, copyTally(tally));
  for (const [a, b] of rangeChunks(settled, range.to)) addToTally(tally, loadRange(db, service, a, b, true), a, b);
  return { service, date: range.date, ...reportOfTally(tally, range.from, range.to) };
}

const fixed = (n: number | null, digits: number) => (n === null ? null : Number(n.toFixed(digits)));

export function dailyReportCsv(r: ServiceDailyReport): string {
  return toCsv(
    [
      "service",
      "date",
      "requests",
      "successful",
      "failed",
      "success_percent",
      "avg_ms",
      "p95_ms",
      "uptime_percent",
      "observed_minutes",
      "down_minutes",
    ],
    [
      [
        r.service,
        r.date,
        r.requests,
        r.successful,
        r.failed,
        fixed(r.successPercent, 3),
        fixed(r.avgMs, 1),
        fixed(r.p95Ms, 1),
        fixed(r.uptimePercent, 3),
        r.observedMinutes,
        r.downMinutes,
      ],
    ],
  );
}

/** The last `count` UTC days' reports of a service, today first. */
export function recentDailyReports(
  db: Parameters<typeof serviceDailyReport>[0],
  service: string,
  count: number,
  now = Date.now(),
) {
  return Array.from({ length: count }, (_, back) =>
    serviceDailyReport(db, service, new Date(now - back * 86_400_000).toISOString().slice(0, 10), now),
  );
}
