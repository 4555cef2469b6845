-- Alert rules on the live colour (greenlight.yaml, per service): each rule's state, kept across restarts so a firing
-- is paged once. `notified_at` says the firing went to the outbox; `resolved` keeps the last firing's times.
CREATE TABLE alert_states (
  service TEXT NOT NULL,
  rule TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('inactive', 'pending', 'firing', 'resolved')),
  slot TEXT CHECK (slot IN ('blue', 'green')),
  value REAL,
  pending_since INTEGER,
  firing_since INTEGER,
  resolved_at INTEGER,
  notified_at INTEGER,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (service, rule)
);

-- An on-call's silence of one rule (rule set) or of all a service's rules (rule null) until ends_at, with a reason.
CREATE TABLE alert_silences (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  service TEXT NOT NULL,
  rule TEXT,
  reason TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL
);
CREATE INDEX alert_silences_service ON alert_silences(service, ends_at);
