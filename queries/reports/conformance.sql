-- Login conformance (登陆吻合度) report, API v1: per day and agent, team or site,
-- time-weighted (Σ logged-in ÷ Σ scheduled, never a mean of percentages).
-- The agent_days placeholder is queries/reports/conformance-agent-days.sql, inlined by queries/index.ts.
-- Its columns are the API's rows, which ClickHouse writes as JSON for the route to send as
-- they are. The route asks conformance-by-agent.sql for by = 'agent' (the same rows without
-- the grouping); this file's 'agent' branch is what that one is tested against.
WITH ad AS ({agent_days})
SELECT
    toString(day) AS date,
    multiIf({by:String} = 'agent', ad.agent, {by:String} = 'team', ad.team, {site:String}) AS key,
    sum(scheduled_ms) / 1000 AS scheduled_s,
    sum(logged_in_ms) / 1000 AS logged_in_s,
    sum(excused_ms) / 1000 AS excused_s,
    if(sum(scheduled_ms) > 0, sum(logged_in_ms) / sum(scheduled_ms), NULL) AS conformance,
    toUInt32(sum(late)) AS late_sign_ins,
    toUInt32(sum(early)) AS early_sign_outs,
    -- by=agent: the agent's rostered team that day (the history page's team filter); the
    -- other rows go without it (queries/workforce.ts).
    any(ad.team) AS team
FROM ad
GROUP BY date, key
ORDER BY date, key
