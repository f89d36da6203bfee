-- The stored agent-day figures of the given builds (day, version), in the columns of
-- conformance-agent-days.sql, so the reports union them with the days computed from events.
-- Variant 1 where the report reads events from before the agent's last pre-look-back event
-- (range_ev_from_ms <= prior_ms), else variant 0: the figures of deriving the whole range.
SELECT agent, team, day, scheduled_ms, logged_in_ms, excused_ms, late, early, scheduled, attended, adh_sched_ms, in_adh_ms
FROM {db}.workforce_day_facts
WHERE site = {site:String} AND cfg = {cfg:String}
  AND day >= {c_from:Date} AND day <= {c_to:Date}
  AND (day, toUnixTimestamp64Milli(version)) IN
  (
      SELECT tupleElement(x, 1), tupleElement(x, 2) FROM (SELECT arrayJoin(arrayZip({c_days:Array(Date)}, {c_versions:Array(Int64)})) AS x)
  )
  AND variant = if(prior_ms > 0 AND prior_ms >= {range_ev_from_ms:Int64}, 1, 0)
