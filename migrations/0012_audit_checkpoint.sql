-- The last audit row whose chain was verified, so the audit page checks only rows added since.
CREATE TABLE audit_checkpoint (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  last_id INTEGER NOT NULL,
  last_hash TEXT NOT NULL,
  verified_at INTEGER NOT NULL
);
