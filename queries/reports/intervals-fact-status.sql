-- Per UTC day in [lo, hi]: the current build of its interval facts (0 = none) and the last
-- time events of that day or a neighbouring day were inserted (a day's facts read events
-- from the day before, for call.offered, and after, for wrap-up).
SELECT
    toString(d) AS day,
    toUnixTimestamp64Milli(maxIf(v, src = 0)) AS version_ms,
    toUnixTimestamp64Milli(maxIf(v, src = 1)) AS touched_ms
FROM
(
    SELECT day AS d, version AS v, 0 AS src
    FROM {db}.interval_fact_days
    WHERE site = {site:String} AND day >= {lo:Date} AND day <= {hi:Date}
    UNION ALL
    SELECT arrayJoin([day - 1, day, day + 1]) AS d, last_insert AS v, 1 AS src
    FROM {db}.event_days
    WHERE site = {site:String} AND day >= {lo:Date} - 1 AND day <= {hi:Date} + 1
)
WHERE d >= {lo:Date} AND d <= {hi:Date}
GROUP BY d
ORDER BY d
