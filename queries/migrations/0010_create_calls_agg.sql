-- One row per call and UTC day: the call facts the interval report needs, kept by a
-- materialized view as events are inserted, so the report over 30 days reads ~1 row per
-- call instead of every call event (a call has 3-6 events). Partial aggregates merge in
-- the report (GROUP BY call), so a call spanning midnight UTC or an event that arrives
-- late lands correctly. The *If counters are only used as "present" flags, so an event
-- counted twice (the backfill below racing a live insert) changes nothing.
CREATE TABLE IF NOT EXISTS {db}.calls_agg
(
    site LowCardinality(String),
    day Date,
    call String,
    n_off AggregateFunction(countIf, UInt8),
    off_ts AggregateFunction(minIf, DateTime64(3, 'UTC'), UInt8),
    n_end AggregateFunction(countIf, UInt8),
    end_ev AggregateFunction(argMinIf, Tuple(String, String, DateTime64(3, 'UTC')), Tuple(DateTime64(3, 'UTC'), String), UInt8),
    n_ans AggregateFunction(countIf, UInt8),
    ans_ts AggregateFunction(minIf, DateTime64(3, 'UTC'), UInt8),
    n_ed AggregateFunction(countIf, UInt8),
    ed_ev AggregateFunction(argMaxIf, Tuple(String, String, DateTime64(3, 'UTC')), Tuple(DateTime64(3, 'UTC'), String), UInt8)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (site, day, call);

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.calls_agg_mv TO {db}.calls_agg AS
SELECT
    site,
    toDate(ts) AS day,
    call,
    countIfState(toUInt8(type = 'call.offered')) AS n_off,
    minIfState(ts, toUInt8(type = 'call.offered')) AS off_ts,
    countIfState(toUInt8(type IN ('call.answered', 'call.abandoned'))) AS n_end,
    argMinIfState(tuple(toString(type), toString(queue), ts), tuple(ts, id), toUInt8(type IN ('call.answered', 'call.abandoned'))) AS end_ev,
    countIfState(toUInt8(type = 'call.answered')) AS n_ans,
    minIfState(ts, toUInt8(type = 'call.answered')) AS ans_ts,
    countIfState(toUInt8(type = 'call.ended')) AS n_ed,
    argMaxIfState(tuple(toString(queue), agent, ts), tuple(ts, id), toUInt8(type = 'call.ended')) AS ed_ev
FROM {db}.events
WHERE call != ''
GROUP BY site, day, call;

INSERT INTO {db}.calls_agg
SELECT
    site,
    toDate(ts) AS day,
    call,
    countIfState(toUInt8(type = 'call.offered')),
    minIfState(ts, toUInt8(type = 'call.offered')),
    countIfState(toUInt8(type IN ('call.answered', 'call.abandoned'))),
    argMinIfState(tuple(toString(type), toString(queue), ts), tuple(ts, id), toUInt8(type IN ('call.answered', 'call.abandoned'))),
    countIfState(toUInt8(type = 'call.answered')),
    minIfState(ts, toUInt8(type = 'call.answered')),
    countIfState(toUInt8(type = 'call.ended')),
    argMaxIfState(tuple(toString(queue), agent, ts), tuple(ts, id), toUInt8(type = 'call.ended'))
FROM {db}.events
WHERE call != ''
GROUP BY site, day, call;
