-- Sites that have stored events at or after {since}, with the newest event time. Reads only
-- the site and ts columns of the recent partitions.
SELECT site, toUnixTimestamp64Milli(max(ts)) AS last_ts
FROM {db}.events
WHERE ts >= {since:DateTime64(3)}
GROUP BY site
ORDER BY site
