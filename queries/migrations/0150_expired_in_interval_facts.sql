-- Expired calls (docs/definitions.md, "Live queue figures") become a field of the interval
-- report, served from stored facts like every other figure (issue #18: stored facts must
-- equal the derivation from events).
--
-- 1. calls_facts keeps the queue a call waited in: wq_ev = (ts, id, queue) of its newest
--    call.offered (its queue) or call.overflowed (its to_queue) by (ts, id), as the live
--    engine and calls-expired.sql choose it. A max aggregate, so any insert order gives the
--    same row. The view is replaced to write it; the rows already stored get it from the
--    events below (rows holding only wq_ev, every other column at its neutral sentinel, so
--    min/max of the existing columns are unchanged). Migrations run before any event is
--    taken, so no insert falls between the DROP and the CREATE.
DROP VIEW IF EXISTS {db}.calls_facts_mv;

ALTER TABLE {db}.calls_facts
    ADD COLUMN IF NOT EXISTS wq_ev SimpleAggregateFunction(max, Tuple(DateTime64(3, 'UTC'), String, String));

CREATE MATERIALIZED VIEW {db}.calls_facts_mv TO {db}.calls_facts AS
SELECT
    site,
    toDate(ts) AS day,
    call,
    if(type = 'call.offered', ts, toDateTime64('2299-12-31 00:00:00', 3, 'UTC')) AS off_ts,
    if(type IN ('call.answered', 'call.abandoned'), tuple(ts, id, toString(type), toString(queue)), tuple(toDateTime64('2299-12-31 00:00:00', 3, 'UTC'), '', '', '')) AS end_ev,
    if(type = 'call.answered', ts, toDateTime64('2299-12-31 00:00:00', 3, 'UTC')) AS ans_ts,
    if(type = 'call.ended', tuple(ts, id, toString(queue), agent), tuple(toDateTime64(0, 3, 'UTC'), '', '', '')) AS ed_ev,
    if(type IN ('call.offered', 'call.overflowed'), tuple(ts, id, if(type = 'call.overflowed', to_queue, toString(queue))), tuple(toDateTime64(0, 3, 'UTC'), '', '')) AS wq_ev
FROM {db}.events
WHERE call != '';

INSERT INTO {db}.calls_facts (site, day, call, off_ts, end_ev, ans_ts, ed_ev, wq_ev)
SELECT
    site,
    toDate(ts),
    call,
    toDateTime64('2299-12-31 00:00:00', 3, 'UTC'),
    tuple(toDateTime64('2299-12-31 00:00:00', 3, 'UTC'), '', '', ''),
    toDateTime64('2299-12-31 00:00:00', 3, 'UTC'),
    tuple(toDateTime64(0, 3, 'UTC'), '', '', ''),
    tuple(ts, id, if(type = 'call.overflowed', to_queue, toString(queue)))
FROM {db}.events
WHERE call != '' AND type IN ('call.offered', 'call.overflowed');

-- 2. Each stored quarter hour counts the calls that expired in it (interval facts of kind 2,
--    queries/reports/intervals-facts.sql).
ALTER TABLE {db}.interval_quarters ADD COLUMN IF NOT EXISTS expired UInt64 DEFAULT 0;

-- 3. Where an expired call is counted depends on the site's call_expiry_s (its deadline), so
--    each build records the expiry it used; a build made with another expiry is stale and is
--    rebuilt (queries/index.ts). Builds from before this migration have 0, never a valid
--    expiry (60 s to 6 h): every stored day is rebuilt with its expired calls, none is served
--    with expired = 0.
ALTER TABLE {db}.interval_fact_days ADD COLUMN IF NOT EXISTS expiry_ms UInt64 DEFAULT 0;
