CREATE TABLE notification_outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  service TEXT NOT NULL,
  channel TEXT NOT NULL,
  channel_type TEXT NOT NULL CHECK (channel_type IN ('slack', 'pagerduty')),
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  sent_at INTEGER,
  dedup_key TEXT
);
CREATE INDEX notification_outbox_pending ON notification_outbox(status, service, channel, id);
CREATE INDEX notification_outbox_channel ON notification_outbox(service, channel, id);
