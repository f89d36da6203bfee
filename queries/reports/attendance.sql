-- Attendance (出勤率) report, API v1: per day and team or site, scheduled agents who signed
-- in during their shift ÷ scheduled agents (a shift not yet started today is not counted).
-- The agent_days placeholder is queries/reports/conformance-agent-days.sql, inlined by queries/index.ts.
WITH ad AS ({agent_days})
SELECT
    toString(day) AS date,
    multiIf({by:String} = 'team', team, {site:String}) AS key,
    sum(scheduled) AS n_scheduled,
    sum(scheduled AND attended) AS n_attended,
    groupArrayIf(agent, scheduled AND NOT attended) AS missing
FROM ad
GROUP BY date, key
ORDER BY date, key
