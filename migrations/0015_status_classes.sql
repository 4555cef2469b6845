-- Requests answered 400-499 per rollup, beside errors_5xx, so the board can stack requests by status class. Rows
-- stored before this column existed read as 0 4xx: their 4xx were counted among the other requests.
ALTER TABLE metric_points ADD COLUMN errors_4xx INTEGER NOT NULL DEFAULT 0;
ALTER TABLE metric_minutes ADD COLUMN errors_4xx INTEGER NOT NULL DEFAULT 0;
