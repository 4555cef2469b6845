-- Who holds a lease, precisely enough to prove on the same host that the holder is dead: a pid that is gone, a pid
-- now owned by a process with another start time, or a machine that booted since.
ALTER TABLE leases ADD COLUMN host TEXT;
ALTER TABLE leases ADD COLUMN boot_id TEXT;
ALTER TABLE leases ADD COLUMN pid_start TEXT;

-- A service that does not serve as it should (live colour down, nginx not answering, a failed release still
-- serving): opened once, updated while it lasts, resolved when it recovers. At most one open per service.
CREATE TABLE incidents (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  service TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('live_down', 'failed_release')),
  problem TEXT NOT NULL,
  deployment_id TEXT,
  opened_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  resolved_at INTEGER,
  resolution TEXT,
  retry_attempts INTEGER NOT NULL DEFAULT 0,
  next_retry_at INTEGER
);
CREATE UNIQUE INDEX incidents_open_service ON incidents(service) WHERE resolved_at IS NULL;
CREATE INDEX incidents_service ON incidents(service, opened_at DESC);
