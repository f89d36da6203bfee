-- Every accepted event, with its raw text and the time it was received. Ordered for the
-- per-site, per-time reads every report and the restart rebuild make. A resent event is
-- never stored twice: ingest checks ids before inserting (see ingest/src/core/dedupe.ts).
CREATE TABLE IF NOT EXISTS {db}.events
(
    site LowCardinality(String),
    id String,
    type LowCardinality(String),
    ts DateTime64(3, 'UTC'),
    received_at DateTime64(3, 'UTC'),
    agent String DEFAULT '',
    name String DEFAULT '',
    team String DEFAULT '',
    queues Array(String) DEFAULT [],
    state LowCardinality(String) DEFAULT '',
    reason String DEFAULT '',
    call String DEFAULT '',
    queue LowCardinality(String) DEFAULT '',
    to_queue String DEFAULT '',
    to_agent String DEFAULT '',
    -- 1 when the event arrived later than the lateness window (counted in history, flagged).
    late UInt8 DEFAULT 0,
    producer String DEFAULT '',
    raw String CODEC(ZSTD(3)),
    INDEX id_bf id TYPE bloom_filter(0.01) GRANULARITY 4
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (site, ts, type)
-- Lets a retried insert with the same insert_deduplication_token be stored once.
SETTINGS non_replicated_deduplication_window = 1000;

-- Every rejected line: the raw text, its line number in its batch, and the reason.
CREATE TABLE IF NOT EXISTS {db}.dead_letters
(
    received_at DateTime64(3, 'UTC'),
    producer String,
    site String DEFAULT '',
    line UInt32,
    reason String,
    raw String CODEC(ZSTD(3))
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(received_at)
ORDER BY (received_at);
