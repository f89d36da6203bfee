-- Login conformance (登陆吻合度) report by agent, API v1: the rows of conformance.sql with
-- by = 'agent', the same text byte for byte (test/integration/conformance-by-agent.test.ts).
-- An agent-day is one row of the agent days already, so there is nothing to group: over 90
-- days x 5,000 agents, grouping the 346,000 (date, key) string pairs took ~0.4 CPU-s and
-- the rest of the query 0.08 (docs/benchmarks.md, long history). Ordered by the Date, which
-- sorts as its text.
WITH ad AS ({agent_days})
SELECT
    toString(day) AS date,
    agent AS key,
    scheduled_ms / 1000 AS scheduled_s,
    logged_in_ms / 1000 AS logged_in_s,
    excused_ms / 1000 AS excused_s,
    if(scheduled_ms > 0, logged_in_ms / scheduled_ms, NULL) AS conformance,
    toUInt32(late) AS late_sign_ins,
    toUInt32(early) AS early_sign_outs,
    -- The agent's rostered team that day (the history page's team filter).
    team
FROM ad
ORDER BY day, agent
