-- One page of a site's stored events for the restart rebuild, in event-time order (ties in
-- arrival order, then id), starting after the previous page's last row (keyset paging), so
-- the rebuild holds at most {limit} rows however many events share a second. The primary
-- key (site, ts) keeps this to the granules from {lo} to {to}, read in key order.
SELECT type, id, site, toUnixTimestamp64Milli(ts) AS ts_ms, toUnixTimestamp64Milli(received_at) AS received_ms, agent, name, team, queues, state, reason, call, queue, to_queue, to_agent, raw
FROM {db}.events
WHERE site = {site:String}
  AND ts >= {lo:DateTime64(3)} AND ts < {to:DateTime64(3)}
  AND (ts, received_at, id) > ({after_ts:DateTime64(3)}, {after_received:DateTime64(3)}, {after_id:String})
ORDER BY ts, received_at, id
LIMIT {limit:UInt32}
