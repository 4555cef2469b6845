-- Per-second rollups per service and colour, kept at full resolution for 72 h.
CREATE TABLE metric_points (
  service TEXT NOT NULL,
  slot TEXT NOT NULL,
  ts INTEGER NOT NULL,
  requests INTEGER NOT NULL DEFAULT 0,
  errors_5xx INTEGER NOT NULL DEFAULT 0,
  latency_sum_ms REAL NOT NULL DEFAULT 0,
  hist TEXT NOT NULL DEFAULT '[]',
  samples INTEGER NOT NULL DEFAULT 0,
  cpu_pct_sum REAL NOT NULL DEFAULT 0,
  mem_bytes_sum REAL NOT NULL DEFAULT 0,
  mem_bytes_max INTEGER,
  db_errors INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (service, slot, ts)
) WITHOUT ROWID;
CREATE INDEX metric_points_ts ON metric_points(ts);

-- Per-minute rollups of the same shape (ts = start of the minute), kept for the long windows.
CREATE TABLE metric_minutes (
  service TEXT NOT NULL,
  slot TEXT NOT NULL,
  ts INTEGER NOT NULL,
  requests INTEGER NOT NULL DEFAULT 0,
  errors_5xx INTEGER NOT NULL DEFAULT 0,
  latency_sum_ms REAL NOT NULL DEFAULT 0,
  hist TEXT NOT NULL DEFAULT '[]',
  samples INTEGER NOT NULL DEFAULT 0,
  cpu_pct_sum REAL NOT NULL DEFAULT 0,
  mem_bytes_sum REAL NOT NULL DEFAULT 0,
  mem_bytes_max INTEGER,
  db_errors INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (service, slot, ts)
) WITHOUT ROWID;
CREATE INDEX metric_minutes_ts ON metric_minutes(ts);

-- Progress of the per-minute rollup: every minute before rolled_until is in metric_minutes.
CREATE TABLE metric_meta (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
