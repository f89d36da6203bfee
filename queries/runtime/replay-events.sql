-- One time slice of a site's stored events for the restart rebuild, in event-time order
-- (ties in arrival order). The primary key (site, ts) keeps this to the slice's granules.
SELECT type, id, site, toUnixTimestamp64Milli(ts) AS ts_ms, agent, name, team, queues, state, reason, call, queue, to_queue, to_agent, raw
FROM {db}.events
WHERE site = {site:String}
  AND ts >= {from:DateTime64(3)} AND ts < {to:DateTime64(3)}
ORDER BY ts, received_at
