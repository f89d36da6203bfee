-- Closed-day facts of the interval report, so a 30-day report reads ~2 small rows per call
-- instead of re-deriving every call and walking every agent event (measured: ~0.7 CPU-s per
-- day of a 2,000-agent site when derived from events). queries/index.ts builds a UTC day
-- once it is closed (its end + 6 h wrap-up look-ahead + lateness) and rebuilds it when
-- events for it or a neighbouring day arrive later (event_days below). Facts hold raw waits
-- and handle times in UTC, so thresholds, variants, zone and interval length still apply
-- at report time exactly as for the live engine.
CREATE TABLE IF NOT EXISTS {db}.interval_facts
(
    site LowCardinality(String),
    day Date,
    version DateTime64(3, 'UTC'),
    -- 0: the queue phase ended at t (answered or abandoned); 1: a handle (AHT) counted at t
    k UInt8,
    queue LowCardinality(String),
    t DateTime64(3, 'UTC'),
    is_answered UInt8,
    wait_ms Int64,
    handle_ms Int64
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (site, day, version, t);

-- Which build of a day is current (the newest version).
CREATE TABLE IF NOT EXISTS {db}.interval_fact_days
(
    site LowCardinality(String),
    day Date,
    version DateTime64(3, 'UTC'),
    facts UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (site, day);

-- When events of each UTC day were last inserted: a day built before that is stale.
CREATE TABLE IF NOT EXISTS {db}.event_days
(
    site LowCardinality(String),
    day Date,
    last_insert SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
ORDER BY (site, day);

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.event_days_mv TO {db}.event_days AS
SELECT site, toDate(ts) AS day, max(now64(3, 'UTC')) AS last_insert
FROM {db}.events
GROUP BY site, day;

INSERT INTO {db}.event_days
SELECT site, toDate(ts), now64(3, 'UTC') FROM {db}.events GROUP BY site, toDate(ts);
