-- Every webhook delivery attempt of an overflow rule's action (issue 5): one row per HTTP
-- attempt, with its outcome, so "did the routing system get it, and when" has an answer.
-- outcome: delivered (2xx), retry (failed, another attempt follows), failed (last attempt failed).
CREATE TABLE IF NOT EXISTS {db}.webhook_deliveries
(
    site LowCardinality(String),
    alert_id String,
    rule String,
    event LowCardinality(String),
    idempotency_key String,
    url String,
    attempt UInt16,
    at DateTime64(3, 'UTC'),
    -- HTTP status, 0 when no response (connection refused, timeout).
    status UInt16,
    outcome LowCardinality(String),
    error String DEFAULT '',
    duration_ms UInt32,
    body String CODEC(ZSTD(3))
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(at)
ORDER BY (site, at, alert_id, attempt);
