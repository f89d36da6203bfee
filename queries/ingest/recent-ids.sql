-- Ids and times of events stored since {since}, to rebuild the in-memory dedupe index and
-- the per-site newest event time after a restart.
SELECT site, id, toUnixTimestamp64Milli(ts) AS ts_ms
FROM {db}.events
WHERE ts >= {since:DateTime64(3)}
