-- Alert lifecycle (issue 5): one row per change (raised, escalated, acked, cleared), each
-- carrying the alert's whole state after that change, so the latest row per id is its
-- current state (ORDER BY at, rank DESC … LIMIT 1 BY id) and the rows are its history.
-- rank orders changes made in the same millisecond: raised 0 < escalated 1 < acked 2 < cleared 3.
CREATE TABLE IF NOT EXISTS {db}.alerts
(
    site LowCardinality(String),
    id String,
    change LowCardinality(String),
    at DateTime64(3, 'UTC'),
    rank UInt8,
    kind LowCardinality(String),
    level LowCardinality(String),
    queue Nullable(String),
    agent Nullable(String),
    team Nullable(String),
    rule Nullable(String),
    raised_at DateTime64(3, 'UTC'),
    acked_at Nullable(DateTime64(3, 'UTC')),
    acked_by Nullable(String),
    ack_note Nullable(String),
    cleared_at Nullable(DateTime64(3, 'UTC')),
    clear_reason Nullable(String),
    escalated_at Nullable(DateTime64(3, 'UTC')),
    message String,
    message_zh String DEFAULT '',
    action Nullable(String),
    action_zh Nullable(String),
    -- The structured action (JSON), '' when none.
    action_detail String DEFAULT ''
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(raised_at)
ORDER BY (site, raised_at, id, at, rank);
