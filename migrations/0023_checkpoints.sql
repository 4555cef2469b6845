-- The monitoring plan's verdicts after a switch: one row per deployment and plan item (checkpoint, hourly or daily
-- report), written once when the item is judged, so a restart never judges or sends it twice.
CREATE TABLE deployment_checkpoints (
  deployment_id TEXT NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  due_at INTEGER NOT NULL,
  window_from INTEGER NOT NULL,
  window_to INTEGER NOT NULL,
  status TEXT NOT NULL,
  summary TEXT NOT NULL,
  checks TEXT NOT NULL,
  judged_at INTEGER NOT NULL,
  PRIMARY KEY (deployment_id, key)
);
