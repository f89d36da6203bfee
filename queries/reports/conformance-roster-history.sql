-- The change history of one operating day's roster: every uploaded version of each agent's
-- day (newest last), with its upload, time and span, and whether it is the one in force.
SELECT
    agent,
    upload_id,
    version,
    toUnixTimestamp64Milli(any(uploaded_at)) AS uploaded_at_ms,
    count() AS segments,
    toUnixTimestamp64Milli(min(start)) AS first_start_ms,
    toUnixTimestamp64Milli(max(end)) AS last_end_ms,
    version = max(version) OVER (PARTITION BY agent) AS in_force
FROM {db}.roster_segments
WHERE site = {site:String} AND day = {day:Date}
GROUP BY agent, upload_id, version
ORDER BY agent, version
