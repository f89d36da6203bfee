-- Work-order events of one site since {since}, for the restart rebuild of the quality engine:
-- orders stay open for days and repeat complaints look back 30, while the queue replay covers
-- only today (which brings today's surveys, calls and sign-ins).
SELECT raw, toUnixTimestamp64Milli(ts) AS ts_ms
FROM {db}.events
WHERE site = {site:String} AND ts >= {since:DateTime64(3)} AND ts <= {now:DateTime64(3)} AND startsWith(type, 'ticket.')
ORDER BY ts
