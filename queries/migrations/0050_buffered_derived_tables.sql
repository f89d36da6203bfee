-- The three materialized views on events write into Buffer tables instead of MergeTree
-- tables. Each view used to make a part of its own for every insert into events, and a part
-- costs ~15 ms of CPU to write and merge whatever its size: on this 2-core machine the views
-- took ~3.6 of ~9.6 µs of the engine's CPU per event at 15k-row inserts (docs/benchmarks.md).
-- A Buffer holds their rows in memory and writes one part per table every 1-5 s.
--
-- Readers keep their table names: `calls_facts` etc. are now the Buffers, which read both
-- what they hold and the table behind them (`*_data`). Events are still committed to
-- MergeTree before they are acknowledged; what a Buffer holds is derived from them, so a
-- crash loses none of it for good: at start-up the server derives it again from the newest
-- inserts into events (ingest/src/adapters/clickhouse/derived.ts), and a clean shutdown
-- flushes the Buffers (store.close).
--
-- Buffer(db, table, layers, min_time, max_time, min_rows, max_rows, min_bytes, max_bytes):
-- flushed when 1 s, 100k rows and 10 MB are all reached, or when any of 5 s, 1M rows or
-- 100 MB is.
DROP VIEW IF EXISTS {db}.calls_facts_mv;

RENAME TABLE {db}.calls_facts TO {db}.calls_facts_data;

CREATE TABLE {db}.calls_facts AS {db}.calls_facts_data
ENGINE = Buffer({db}, calls_facts_data, 1, 1, 5, 100000, 1000000, 10000000, 100000000);

CREATE MATERIALIZED VIEW {db}.calls_facts_mv TO {db}.calls_facts AS
SELECT
    site,
    toDate(ts) AS day,
    call,
    if(type = 'call.offered', ts, toDateTime64('2299-12-31 00:00:00', 3, 'UTC')) AS off_ts,
    if(type IN ('call.answered', 'call.abandoned'), tuple(ts, id, toString(type), toString(queue)), tuple(toDateTime64('2299-12-31 00:00:00', 3, 'UTC'), '', '', '')) AS end_ev,
    if(type = 'call.answered', ts, toDateTime64('2299-12-31 00:00:00', 3, 'UTC')) AS ans_ts,
    if(type = 'call.ended', tuple(ts, id, toString(queue), agent), tuple(toDateTime64(0, 3, 'UTC'), '', '', '')) AS ed_ev
FROM {db}.events
WHERE call != '';

DROP VIEW IF EXISTS {db}.event_days_mv;

RENAME TABLE {db}.event_days TO {db}.event_days_data;

CREATE TABLE {db}.event_days AS {db}.event_days_data
ENGINE = Buffer({db}, event_days_data, 1, 1, 5, 100000, 1000000, 10000000, 100000000);

CREATE MATERIALIZED VIEW {db}.event_days_mv TO {db}.event_days AS
SELECT site, toDate(ts) AS day, max(now64(3, 'UTC')) AS last_insert
FROM {db}.events
GROUP BY site, day;

DROP VIEW IF EXISTS {db}.agent_last_events_mv;

RENAME TABLE {db}.agent_last_events TO {db}.agent_last_events_data;

CREATE TABLE {db}.agent_last_events AS {db}.agent_last_events_data
ENGINE = Buffer({db}, agent_last_events_data, 1, 1, 5, 100000, 1000000, 10000000, 100000000);

CREATE MATERIALIZED VIEW {db}.agent_last_events_mv TO {db}.agent_last_events AS
SELECT
    site,
    agent,
    toDate(ts) AS day,
    max(tuple(ts, id, multiIf(type = 'agent.login', 'not_ready', type = 'agent.logout', 'logged_out',
                              state = 'not_ready' AND reason != '', concat('not_ready:', reason), toString(state)))) AS last
FROM {db}.events
WHERE type IN ('agent.login', 'agent.logout', 'agent.state')
GROUP BY site, agent, day;
