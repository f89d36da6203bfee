-- Break requests (工作状态管理, issue 24): one row per step of a request (requested,
-- granted, deferred, refused, started, cancelled) with who took it and when, carrying the
-- request's state after that step. A restart replays agent.break_requested events and
-- re-derives the rule's steps: the same (site, id, action, at) collapses on merge.
CREATE TABLE IF NOT EXISTS {db}.break_requests
(
    site LowCardinality(String),
    id String,
    action LowCardinality(String),
    at DateTime64(3, 'UTC'),
    by String,
    agent String,
    team String,
    reason String,
    minutes Nullable(UInt16),
    source LowCardinality(String),
    requested_at DateTime64(3, 'UTC'),
    requested_by String,
    status LowCardinality(String),
    note String DEFAULT ''
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(requested_at)
ORDER BY (site, requested_at, id, action, at);
