-- Absences (缺勤) per agent over a month: days scheduled and never signed in during the
-- shift; `flagged` above the site's threshold (缺勤天数5天以上需报备: more than 5 days).
-- The agent_days placeholder is queries/reports/conformance-agent-days.sql, inlined by queries/index.ts.
WITH ad AS ({agent_days})
SELECT
    agent,
    any(team) AS team,
    countIf(scheduled AND NOT attended) AS absent_days,
    arraySort(groupArrayIf(toString(day), scheduled AND NOT attended)) AS days,
    absent_days > {flag_above:UInt32} AS flagged
FROM ad
GROUP BY agent
HAVING absent_days > 0
ORDER BY absent_days DESC, agent
