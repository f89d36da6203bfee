-- Each agent's last event (by ts, id) per UTC day, kept at insert time: a stored workforce
-- day's second variant needs each agent's state before its look-back, however old
-- (queries/reports/workforce-fact-prior.sql). Reading it from the events scanned every earlier
-- day of the site for every day built (30 days x 2,000 agents: ~80 CPU-s cold instead of ~27);
-- from here it reads ~1 row per agent and day. key names states as conformance-agent-days.sql.
CREATE TABLE IF NOT EXISTS {db}.agent_last_events
(
    site LowCardinality(String),
    agent String,
    day Date,
    last SimpleAggregateFunction(max, Tuple(DateTime64(3, 'UTC'), String, String))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (site, agent, day);

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.agent_last_events_mv TO {db}.agent_last_events AS
SELECT
    site,
    agent,
    toDate(ts) AS day,
    max(tuple(ts, id, multiIf(type = 'agent.login', 'not_ready', type = 'agent.logout', 'logged_out',
                              state = 'not_ready' AND reason != '', concat('not_ready:', reason), toString(state)))) AS last
FROM {db}.events
WHERE type IN ('agent.login', 'agent.logout', 'agent.state')
GROUP BY site, agent, day;

INSERT INTO {db}.agent_last_events
SELECT
    site,
    agent,
    toDate(ts),
    max(tuple(ts, id, multiIf(type = 'agent.login', 'not_ready', type = 'agent.logout', 'logged_out',
                              state = 'not_ready' AND reason != '', concat('not_ready:', reason), toString(state))))
FROM {db}.events
WHERE type IN ('agent.login', 'agent.logout', 'agent.state')
GROUP BY site, agent, toDate(ts);
