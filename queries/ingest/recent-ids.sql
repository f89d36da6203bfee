-- Ids and times of events received since {since}, newest first and at most {limit}, to
-- rebuild the in-memory dedupe sets and the per-site newest event time after a restart.
SELECT site, id, toUnixTimestamp64Milli(ts) AS ts_ms, toUnixTimestamp64Milli(received_at) AS received_ms
FROM {db}.events
WHERE received_at >= {since:DateTime64(3)}
ORDER BY received_at DESC
LIMIT {limit:UInt64}
