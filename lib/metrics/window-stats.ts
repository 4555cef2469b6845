import type { Db } from "@/lib/db/client";
import type { Slot } from "@/lib/config/schema";
import { readRollups } from "./rollup-store";
import { percentile } from "./histogram";
import { mergeAll, MIB } from "./summarize";
import { collectorStatus, CollectorError } from "./collector-status";
import type { Rollup } from "./rollup";
import type { WindowStats } from "./evaluate-triggers";

/** Trigger figures of one colour's rollups over a window: p95 from the merged histogram, the latest memory sample. */
export function windowStatsOf(rollups: Rollup[], windowSeconds: number): WindowStats {
  const total = mergeAll(rollups);
  const latest = rollups.filter((r) => r.samples > 0).sort((a, b) => b.ts - a.ts)[0];
  return {
    windowSeconds,
    requests: total.requests,
    errors5xx: total.errors5xx,
    p95Ms: total.requests > 0 ? percentile(total.hist, 0.95) : null,
    memMb: latest ? latest.memBytesSum / latest.samples / MIB : null,
    dbErrorsPerMin: (total.dbErrors * 60) / windowSeconds,
  };
}

/** The complete seconds (now - window, now] of one colour as stored. */
export function readWindowStats(
  db: Db,
  q: { service: string; slot: Slot; windowSeconds: number; now?: number },
): WindowStats {
  const to = Math.floor(q.now ?? Date.now() / 1000);
  const rollups = readRollups(db, { service: q.service, from: to - q.windowSeconds, to }).filter(
    (r) => r.slot === q.slot,
  );
  return windowStatsOf(rollups, q.windowSeconds);
}

/**
 * The sampler a TriggerWatcher uses during a watch: throws while the access-log collector is in its
 * error state (a source error, never a pass); DB errors count as unknown while the log scanner fails.
 */
export function windowSampler(q: { db: Db; service: string; slot: Slot; windowSeconds: number }): () => WindowStats {
  return () => {
    const status = collectorStatus();
    if (status.accessLog.state === "error")
      throw new CollectorError(`Access log unreadable: ${status.accessLog.lastError ?? "unknown error"}`);
    const stats = readWindowStats(q.db, q);
    return status.dbErrors.state === "error" ? { ...stats, dbErrorsPerMin: null } : stats;
  };
}
