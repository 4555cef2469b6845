CREATE TABLE deployments (
  id TEXT PRIMARY KEY,
  service TEXT NOT NULL,
  image TEXT NOT NULL,
  version TEXT NOT NULL,
  from_slot TEXT CHECK (from_slot IN ('blue', 'green')),
  to_slot TEXT NOT NULL CHECK (to_slot IN ('blue', 'green')),
  from_version TEXT,
  from_image TEXT,
  status TEXT NOT NULL,
  phase TEXT NOT NULL,
  auto_promote INTEGER NOT NULL DEFAULT 0,
  requested_by TEXT NOT NULL,
  promoted_by TEXT,
  target_container TEXT,
  backup_file TEXT,
  error TEXT,
  rollback_reason TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  gate_reached_at INTEGER,
  switched_at INTEGER,
  finished_at INTEGER,
  old_slot_until INTEGER,
  old_slot_removed_at INTEGER
);
CREATE INDEX deployments_service ON deployments(service, created_at DESC);
CREATE INDEX deployments_status ON deployments(status);

CREATE TABLE deployment_steps (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  deployment_id TEXT NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
  phase TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'passed', 'warning', 'failed', 'skipped')),
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  summary TEXT,
  detail TEXT
);
CREATE INDEX deployment_steps_deployment ON deployment_steps(deployment_id, id);

CREATE TABLE deployment_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  deployment_id TEXT NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('info', 'warn', 'error')),
  message TEXT NOT NULL
);
CREATE INDEX deployment_events_deployment ON deployment_events(deployment_id, id);

CREATE TABLE leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  owner_pid INTEGER NOT NULL,
  instance TEXT NOT NULL,
  reason TEXT NOT NULL,
  acquired_at INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
