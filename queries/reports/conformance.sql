-- Login conformance (登陆吻合度) report, API v1: per day and agent, team or site,
-- time-weighted (Σ logged-in ÷ Σ scheduled, never a mean of percentages).
-- The agent_days placeholder is queries/reports/conformance-agent-days.sql, inlined by queries/index.ts.
WITH ad AS ({agent_days})
SELECT
    toString(day) AS date,
    multiIf({by:String} = 'agent', agent, {by:String} = 'team', team, {site:String}) AS key,
    -- by=agent: the agent's rostered team that day (the history page's team filter).
    any(team) AS agent_team,
    sum(scheduled_ms) AS scheduled_ms,
    sum(logged_in_ms) AS logged_in_ms,
    sum(excused_ms) AS excused_ms,
    sum(late) AS late_sign_ins,
    sum(early) AS early_sign_outs
FROM ad
GROUP BY date, key
ORDER BY date, key
