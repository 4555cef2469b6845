-- The exact image a deployment runs: repo@sha256:… after a pull (or the local image id), never a movable tag.
ALTER TABLE deployments ADD COLUMN image_digest TEXT;
