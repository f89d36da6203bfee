-- The earliest event time among a site's events of the replay range that arrived after
-- {received_after} (a checkpoint's newest arrival), or null when none did: a restart from the
-- checkpoint replays from there. Reads the site, ts and received_at columns of the range.
SELECT toUnixTimestamp64Milli(min(ts)) AS first_ts, count() AS n
FROM {db}.events
WHERE site = {site:String}
  AND ts >= {from:DateTime64(3)}
  AND received_at > {received_after:DateTime64(3)}
