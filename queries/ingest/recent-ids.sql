-- Ids and times of events stored since {since}, oldest first, to rebuild the in-memory dedupe
-- index (its generations are filled in event-time order) and the per-site newest event time
-- after a restart.
SELECT site, id, toUnixTimestamp64Milli(ts) AS ts_ms
FROM {db}.events
WHERE ts >= {since:DateTime64(3)}
ORDER BY ts
