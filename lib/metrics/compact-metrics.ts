import type { Db } from "@/lib/db/client";
import { readRollups, stmt, writeRollups } from "./rollup-store";
import { emptyRollup, mergeRollup, type Rollup } from "./rollup";
import { metricsWritten } from "./settled-cache";

export const FULL_RESOLUTION_SECONDS = 72 * 3600;
export const MINUTE_RETENTION_SECONDS = 30 * 86_400;
/** Seconds a minute waits before its rollup, so late access-log lines are still counted. */
const GRACE_SECONDS = 120;
/** At most this many minutes per call, so one call never holds the database for long. */
const MAX_MINUTES_PER_CALL = 24 * 60;

export function rolledUntil(db: Db): number {
  const row = stmt(db.$client, "SELECT value FROM metric_meta WHERE name = 'rolled_until'").get() as
    { value: number } | undefined;
  return row?.value ?? 0;
}

/**
 * The retention job: rolls complete minutes of per-second rows into per-minute rows, then deletes
 * per-second rows older than 72 h and per-minute rows older than 30 days, so the database stays
 * bounded. Idempotent; call it every minute or so. Returns what it did.
 */
export function compactMetrics(
  db: Db,
  now: number = Date.now() / 1000,
  opts: { fullResolutionSeconds?: number; minuteRetentionSeconds?: number } = {},
): { minutesRolled: number; secondsDeleted: number; minutesDeleted: number } {
  const sqlite = db.$client;
  const nowSec = Math.floor(now);
  const cutoff = Math.floor((nowSec - GRACE_SECONDS) / 60) * 60;
  let start = rolledUntil(db);
  if (start === 0) {
    const first = stmt(sqlite, "SELECT MIN(ts) AS ts FROM metric_points").get() as { ts: number | null };
    start = first.ts === null ? cutoff : Math.floor(first.ts / 60) * 60;
  }
  const end = Math.min(cutoff, start + MAX_MINUTES_PER_CALL * 60);
  let minutesRolled = 0;
  sqlite.transaction(() => {
    if (end > start) {
      const services = stmt(sqlite, "SELECT DISTINCT service FROM metric_points WHERE ts >= ? AND ts < ?").all(
        start,
        end,
      ) as { service: string }[];
      const minutes = new Map<string, Rollup>();
      for (const { service } of services) {
        for (const r of readRollups(db, { service, from: start, to: end })) {
          const ts = Math.floor(r.ts / 60) * 60;
          const key = `${r.service}\u0000${r.slot}\u0000${ts}`;
          const m = minutes.get(key) ?? emptyRollup(r.service, r.slot, ts);
          minutes.set(key, mergeRollup(m, r));
        }
      }
      // Replace rather than add: a minute is rolled from its seconds exactly once.
      stmt(sqlite, "DELETE FROM metric_minutes WHERE ts >= ? AND ts < ?").run(start, end);
      metricsWritten(db, start, end);
      writeRollups(db, [...minutes.values()], "metric_minutes");
      minutesRolled = minutes.size;
    }
    if (end > start || rolledUntil(db) === 0) {
      stmt(sqlite, "INSERT OR REPLACE INTO metric_meta (name, value) VALUES ('rolled_until', ?)").run(
        Math.max(end, start),
      );
    }
  })();
  const keepSeconds = nowSec - (opts.fullResolutionSeconds ?? FULL_RESOLUTION_SECONDS);
  const keepMinutes = nowSec - (opts.minuteRetentionSeconds ?? MINUTE_RETENTION_SECONDS);
  // Only seconds already rolled into minutes may go.
  const secondsDeleted = stmt(sqlite, "DELETE FROM metric_points WHERE ts < ? AND ts < ?").run(
    keepSeconds,
    rolledUntil(db),
  ).changes;
  const minutesDeleted = stmt(sqlite, "DELETE FROM metric_minutes WHERE ts < ?").run(keepMinutes).changes;
  if (minutesDeleted > 0) metricsWritten(db, 0, keepMinutes);
  return { minutesRolled, secondsDeleted, minutesDeleted };
}
