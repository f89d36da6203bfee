-- The roster in force: the newest uploaded version of each (day, agent) for days
-- from_day..to_day (inclusive). Used by GET /api/sites/{site}/roster and the restart restore.
SELECT agent, team, toString(day) AS day_str, toUnixTimestamp64Milli(start) AS start_ms, toUnixTimestamp64Milli(end) AS end_ms, activity, upload_id, version
FROM {db}.roster_segments
WHERE site = {site:String} AND day >= {from_day:Date} AND day <= {to_day:Date}
  AND (day, agent, version) IN
  (
      SELECT day, agent, max(version)
      FROM {db}.roster_segments
      WHERE site = {site:String} AND day >= {from_day:Date} AND day <= {to_day:Date}
      GROUP BY day, agent
  )
ORDER BY agent, start
