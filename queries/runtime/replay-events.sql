-- One page of a site's stored events for the restart rebuild: those with {lo} <= ts < {hi}
-- (one window of event time), in event-time order (ties in arrival order, then id), after the
-- previous page's last row of the same window (keyset paging), at most {limit} rows. The
-- replay keeps each window small enough for one or a few pages: the primary key (site, ts)
-- then limits the read to that window's granules, where a cursor over the rest of the day made
-- every page read and sort everything after it.
-- {received_after} > 0 (a restart from a checkpoint) reads only the events that arrived after
-- the checkpoint: the ones it holds are in its state already.
-- Columns by position (JSONCompactEachRow). Rows stored with their raw line are rebuilt from it
-- alone, so the other columns are sent empty for them: a third of the text to read and parse.
SELECT
    type,
    id,
    toUnixTimestamp64Milli(ts),
    toUnixTimestamp64Milli(received_at),
    raw,
    if(raw = '', agent, ''),
    if(raw = '', name, ''),
    if(raw = '', team, ''),
    if(raw = '', queues, []),
    if(raw = '', state, ''),
    if(raw = '', reason, ''),
    if(raw = '', call, ''),
    if(raw = '', queue, ''),
    if(raw = '', to_queue, ''),
    if(raw = '', to_agent, '')
FROM {db}.events
WHERE site = {site:String}
  AND ts >= {lo:DateTime64(3)} AND ts < {hi:DateTime64(3)}
  AND (ts, received_at, id) > ({after_ts:DateTime64(3)}, {after_received:DateTime64(3)}, {after_id:String})
  AND received_at > {received_after:DateTime64(3)}
ORDER BY ts, received_at, id
LIMIT {limit:UInt32}
