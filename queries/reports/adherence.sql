-- Schedule adherence report, API v1: per day and agent, team or site, time in adherence ÷
-- scheduled time of non-neutral activities.
-- The agent_days placeholder is queries/reports/conformance-agent-days.sql, inlined by queries/index.ts.
WITH ad AS ({agent_days})
SELECT
    toString(day) AS date,
    multiIf({by:String} = 'agent', agent, {by:String} = 'team', team, {site:String}) AS key,
    sum(adh_sched_ms) AS scheduled_ms,
    sum(in_adh_ms) AS in_adherence_ms
FROM ad
GROUP BY date, key
ORDER BY date, key
