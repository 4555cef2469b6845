import type Database from "better-sqlite3";
import type { Db } from "@/lib/db/client";
import { decodeHistogram, encodeHistogram } from "./histogram";
import { emptyRollup, mergeRollup, type Rollup } from "./rollup";
import type { SlotOrUnknown } from "./attribute-upstream";
import { metricsWritten } from "./settled-cache";

export type RollupTable = "metric_points" | "metric_minutes";

type Row = {
  service: string;
  slot: string;
  ts: number;
  requests: number;
  errors_4xx: number;
  errors_5xx: number;
  latency_sum_ms: number;
  hist: string;
  samples: number;
  cpu_pct_sum: number;
  mem_bytes_sum: number;
  mem_bytes_max: number | null;
  db_errors: number;
};

export function rowToRollup(row: Row): Rollup {
  return {
    ...emptyRollup(row.service, row.slot as SlotOrUnknown, row.ts),
    requests: row.requests,
    errors4xx: row.errors_4xx,
    errors5xx: row.errors_5xx,
    latencySumMs: row.latency_sum_ms,
    hist: decodeHistogram(row.hist),
    samples: row.samples,
    cpuPctSum: row.cpu_pct_sum,
    memBytesSum: row.mem_bytes_sum,
    memBytesMax: row.mem_bytes_max,
    dbErrors: row.db_errors,
  };
}

function rollupToParams(r: Rollup) {
  return [
    r.service,
    r.slot,
    r.ts,
    r.requests,
    r.errors4xx,
    r.errors5xx,
    r.latencySumMs,
    encodeHistogram(r.hist),
    r.samples,
    r.cpuPctSum,
    r.memBytesSum,
    r.memBytesMax,
    r.dbErrors,
  ];
}

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

export function stmt(sqlite: Database.Database, sql: string): Database.Statement {
  let cache = statements.get(sqlite);
  if (!cache) statements.set(sqlite, (cache = new Map()));
  let s = cache.get(sql);
  if (!s) cache.set(sql, (s = sqlite.prepare(sql)));
  return s;
}

const COLUMNS =
  "service, slot, ts, requests, errors_4xx, errors_5xx, latency_sum_ms, hist, samples, cpu_pct_sum, mem_bytes_sum, mem_bytes_max, db_errors";

/**
 * Adds the rollups to what is stored for the same service, colour and interval (lines can arrive
 * after their second was first flushed), in one transaction; returns the stored rows after the merge.
 */
export function writeRollups(db: Db, rollups: Rollup[], table: RollupTable = "metric_points"): Rollup[] {
  const sqlite = db.$client;
  const select = stmt(sqlite, `SELECT ${COLUMNS} FROM ${table} WHERE service = ? AND slot = ? AND ts = ?`);
  const upsert = stmt(
    sqlite,
    `INSERT OR REPLACE INTO ${table} (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const written = sqlite.transaction(() =>
    rollups.map((r) => {
      const existing = select.get(r.service, r.slot, r.ts) as Row | undefined;
      const merged = existing ? mergeRollup(rowToRollup(existing), r) : r;
      upsert.run(...rollupToParams(merged));
      return merged;
    }),
  )();
  if (rollups.length > 0) {
    let first = Infinity;
    let last = -Infinity;
    for (const r of rollups) [first, last] = [Math.min(first, r.ts), Math.max(last, r.ts)];
    metricsWritten(db, first, last + (table === "metric_minutes" ? 60 : 1));
  }
  return written;
}

/**
 * Stored rollups of a service (every colour) with from <= ts < to, oldest first. The colours are named so that
 * SQLite seeks the (service, slot, ts) key to the range instead of reading every row of the service.
 */
export function readRollups(db: Db, q: { service: string; from: number; to: number; table?: RollupTable }): Rollup[] {
  const table = q.table ?? "metric_points";
  const slots = ["blue", "green", "unknown"] satisfies SlotOrUnknown[];
  const rows = stmt(
    db.$client,
    `SELECT ${COLUMNS} FROM ${table} WHERE service = ? AND slot IN (${slots.map(() => "?").join(", ")})
       AND ts >= ? AND ts < ? ORDER BY ts`,
  ).all(q.service, ...slots, q.from, q.to) as Row[];
  return rows.map(rowToRollup);
}
