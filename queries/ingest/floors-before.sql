-- Per site, the newest event time of events received before {cut}: the dedupe floor when a
-- restart could not load every recent id (events at or below it are looked up in the store).
SELECT site, toUnixTimestamp64Milli(max(ts)) AS ts_ms
FROM {db}.events
WHERE received_at < {cut:DateTime64(3)}
GROUP BY site
