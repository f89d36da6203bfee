-- Agents ringing at an instant `at`, per queue they serve ('*' for agents who logged in with
-- no queue list: they serve every queue): an agent rings when its newest agent event by
-- (ts, id) is an agent.state "ringing"; its queues are those of its newest agent.login.
-- The live engine's ghost rule (no event for ghost_agent_s) is not applied here.
WITH agents AS
(
    SELECT
        agent,
        argMax((type, state), (ts, id)) AS last,
        argMaxIf(queues, (ts, id), type = 'agent.login') AS qs
    FROM {db}.events
    WHERE site = {site:String} AND type IN ('agent.login', 'agent.logout', 'agent.state') AND ts <= {at:DateTime64(3)}
    GROUP BY agent
)
SELECT q AS queue, count() AS ringing
FROM agents
ARRAY JOIN if(empty(qs), ['*'], qs) AS q
WHERE last.1 = 'agent.state' AND last.2 = 'ringing'
GROUP BY q
ORDER BY q
