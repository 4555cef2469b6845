-- A deployment with a weighted promotion records the share of requests (percent) its new colour is set to get,
-- written before the load balancer is changed, so recovery after a crash knows a split may be live. NULL: the
-- deployment switches all at once (or has not reached its first step).
ALTER TABLE deployments ADD COLUMN split_percent INTEGER;
