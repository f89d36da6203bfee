-- agent_last_events (migrations 0023, 0070) derived again from the events received since
-- {since}: the rows of an insert that a crash cut off between the events and its materialized
-- views. Same expressions as agent_last_events_mv; a max aggregate, so deriving twice changes
-- nothing. Events are chosen by their stored receive time, never by part names.
INSERT INTO {db}.agent_last_events
SELECT
    site,
    agent,
    toDate(ts) AS day,
    max(tuple(ts, id, multiIf(type = 'agent.login', 'not_ready', type = 'agent.logout', 'logged_out',
                              state = 'not_ready' AND reason != '', concat('not_ready:', reason), toString(state)))) AS last
FROM {db}.events
WHERE type IN ('agent.login', 'agent.logout', 'agent.state') AND received_at >= {since:DateTime64(3)}
GROUP BY site, agent, day
