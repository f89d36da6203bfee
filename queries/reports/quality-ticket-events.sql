-- Work-order events of one site since {since}, for the restart rebuild of the quality engine:
-- orders stay open for days and repeat complaints look back 30, while the queue replay covers
-- only today (which brings today's surveys, calls and sign-ins). {received_after} > 0 (a restart
-- from a checkpoint, which holds the orders of every event that arrived by then) reads only the
-- events that arrived after it.
SELECT raw, toUnixTimestamp64Milli(ts) AS ts_ms
FROM {db}.events
WHERE site = {site:String} AND ts >= {since:DateTime64(3)} AND ts <= {now:DateTime64(3)} AND startsWith(type, 'ticket.')
  AND received_at > {received_after:DateTime64(3)}
ORDER BY ts
