-- Stored events of a site in a time range, oldest first, for drill-down and audits.
SELECT id, type, toUnixTimestamp64Milli(ts) AS ts_ms, toUnixTimestamp64Milli(received_at) AS received_ms, late, producer, raw
FROM {db}.events
WHERE site = {site:String} AND ts >= {from:DateTime64(3)} AND ts < {to:DateTime64(3)}
ORDER BY ts, id
LIMIT {limit:UInt32} OFFSET {offset:UInt32}
