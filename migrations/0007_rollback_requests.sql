CREATE TABLE rollback_requests (
  id TEXT PRIMARY KEY,
  service TEXT NOT NULL,
  deployment_id TEXT NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
  requested_by TEXT NOT NULL,
  requested_role TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (length(reason) BETWEEN 10 AND 500),
  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'expired', 'superseded', 'executed', 'failed')),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  decided_by TEXT,
  decided_at INTEGER,
  decision_reason TEXT,
  result TEXT
);
CREATE INDEX rollback_requests_service ON rollback_requests(service, created_at);
-- At most one open request per service: a second one is refused by the database, not only by a read-then-write.
CREATE UNIQUE INDEX rollback_requests_one_pending ON rollback_requests(service) WHERE status = 'pending';
