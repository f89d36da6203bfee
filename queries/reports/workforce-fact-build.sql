-- Stores one variant of the workforce figures of one closed operating day as build `version`
-- (the agent-day query, run for that day alone with events read from 48 h before its start
-- up to its last segment end + grace; variant 1 for the agents in only_agents, starting in
-- their state before that). queries/workforce-facts.ts then records the build in workforce_fact_days.
INSERT INTO {db}.workforce_day_facts (site, cfg, day, version, agent, team, scheduled_ms, logged_in_ms, excused_ms, late, early, scheduled, attended, adh_sched_ms, in_adh_ms, variant, prior_ms)
SELECT {site:String}, {cfg:String}, day, {version:DateTime64(3)}, agent, team, scheduled_ms, logged_in_ms, excused_ms, late, early, scheduled, attended, adh_sched_ms, in_adh_ms,
       {variant:UInt8}, transform(agent, {prior_agents:Array(String)}, {prior_ms:Array(Int64)}, toInt64(0))
FROM
(
    {agent_days}
)
