-- The derived tables are written inside each insert into events again, not through Buffer
-- tables (0050), and event_days is gone. A Buffer held the newest derived rows in memory for
-- 1-5 s: a read racing its flush could miss them, a crash lost them, and freshness marked
-- from event_days could say a day's stored facts were newer than inserts they never saw
-- (a back-filled day stayed wrong for good). Now a committed insert's derived rows are
-- visible when the insert returns, and the stored facts record how many events of the days
-- they read were stored when their build began (events_seen), compared with the writer's
-- own count (ingest/src/core/event-days.ts); facts built before this have 0 and are rebuilt.
-- The cost is one part per derived table per insert again (docs/benchmarks.md).
--
-- A Buffer is written out when it is dropped; OPTIMIZE first writes it out explicitly.
DROP VIEW IF EXISTS {db}.calls_facts_mv;

OPTIMIZE TABLE {db}.calls_facts;

DROP TABLE {db}.calls_facts;

RENAME TABLE {db}.calls_facts_data TO {db}.calls_facts;

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

DROP VIEW IF EXISTS {db}.agent_last_events_mv;

OPTIMIZE TABLE {db}.agent_last_events;

DROP TABLE {db}.agent_last_events;

RENAME TABLE {db}.agent_last_events_data TO {db}.agent_last_events;

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

DROP VIEW IF EXISTS {db}.event_days_mv;

DROP TABLE IF EXISTS {db}.event_days;

DROP TABLE IF EXISTS {db}.event_days_data;

ALTER TABLE {db}.interval_fact_days ADD COLUMN IF NOT EXISTS events_seen UInt64 DEFAULT 0;

ALTER TABLE {db}.workforce_fact_days ADD COLUMN IF NOT EXISTS events_seen UInt64 DEFAULT 0;
