-- The newest receive time of any stored event (0 when none): where start-up re-derivation
-- counts back from (ingest/src/adapters/clickhouse/derived.ts).
SELECT toUnixTimestamp64Milli(max(received_at)) AS newest_ms
FROM {db}.events
