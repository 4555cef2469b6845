import { sqliteTable, text, integer, real, primaryKey, index } from "drizzle-orm/sqlite-core";

/** Columns shared by the per-second and per-minute rollups; `hist` is the sparse latency histogram as JSON. */
const rollupColumns = () => ({
  service: text("service").notNull(),
  slot: text("slot").notNull(),
  ts: integer("ts").notNull(),
  requests: integer("requests").notNull().default(0),
  errors4xx: integer("errors_4xx").notNull().default(0),
  errors5xx: integer("errors_5xx").notNull().default(0),
  latencySumMs: real("latency_sum_ms").notNull().default(0),
  hist: text("hist").notNull().default("[]"),
  samples: integer("samples").notNull().default(0),
  cpuPctSum: real("cpu_pct_sum").notNull().default(0),
  memBytesSum: real("mem_bytes_sum").notNull().default(0),
  memBytesMax: integer("mem_bytes_max"),
  dbErrors: integer("db_errors").notNull().default(0),
});

export const metricPoints = sqliteTable("metric_points", rollupColumns(), (t) => [
  primaryKey({ columns: [t.service, t.slot, t.ts] }),
  index("metric_points_ts").on(t.ts),
]);

export const metricMinutes = sqliteTable("metric_minutes", rollupColumns(), (t) => [
  primaryKey({ columns: [t.service, t.slot, t.ts] }),
  index("metric_minutes_ts").on(t.ts),
]);
