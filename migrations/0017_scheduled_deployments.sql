-- A deployment booked for a moment: the engine runs its preflight alone at T-preflight, posts the announcement at
-- T-announce and starts the deployment at T-0 on a fresh passing preflight. A schedule is not a deployment (it holds
-- no lock and no slot); once started it names the deployment it became.
CREATE TABLE scheduled_deployments (
  id TEXT PRIMARY KEY,
  service TEXT NOT NULL,
  image TEXT NOT NULL,
  version TEXT,
  auto_promote INTEGER NOT NULL DEFAULT 0,
  at INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('scheduled', 'starting', 'missed', 'started', 'failed', 'cancelled')),
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  preflight_at INTEGER,
  preflight_status TEXT,
  preflight_summary TEXT,
  announced_at INTEGER,
  deployment_id TEXT,
  reason TEXT
);
CREATE INDEX scheduled_deployments_by_status ON scheduled_deployments (status, at);
CREATE INDEX scheduled_deployments_by_service ON scheduled_deployments (service, at);
