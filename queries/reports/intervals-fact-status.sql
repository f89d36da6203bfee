-- Per UTC day in [lo, hi] with a stored build of its interval facts: the current build (the
-- newest version) and how many events of the days it read (the day before, for call.offered,
-- the day itself and the day after, for wrap-up) were stored when it began. queries/index.ts
-- compares that with the count now (ingest/src/core/event-days.ts): unchanged means fresh,
-- if it was also built with today's call_expiry_s (expiry_ms, migration 0150).
SELECT
    toString(d) AS day,
    toUnixTimestamp64Milli(max(version)) AS version_ms,
    argMax(events_seen, version) AS events_seen,
    argMax(expiry_ms, version) AS expiry_ms
FROM
(
    SELECT day AS d, version, events_seen, expiry_ms
    FROM {db}.interval_fact_days
    WHERE site = {site:String} AND day >= {lo:Date} AND day <= {hi:Date}
)
GROUP BY d
ORDER BY d
