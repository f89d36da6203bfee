-- Stores the workforce figures of one closed operating day as build `version` (the agent-day
-- query, run for that day alone with events read from 48 h before its start up to its last
-- segment end + grace). queries/workforce-facts.ts then records the build in workforce_fact_days.
INSERT INTO {db}.workforce_day_facts (site, cfg, day, version, agent, team, scheduled_ms, logged_in_ms, excused_ms, late, early, scheduled, attended, adh_sched_ms, in_adh_ms)
SELECT {site:String}, {cfg:String}, day, {version:DateTime64(3)}, agent, team, scheduled_ms, logged_in_ms, excused_ms, late, early, scheduled, attended, adh_sched_ms, in_adh_ms
FROM
(
    {agent_days}
)
