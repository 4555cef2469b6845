-- A deployment whose switch failed for a reason outside the release (nginx refused its configuration or was not
-- running) keeps its checked target until this moment, so "Retry the switch" need not redo backup and migration.
ALTER TABLE deployments ADD COLUMN kept_until INTEGER;
