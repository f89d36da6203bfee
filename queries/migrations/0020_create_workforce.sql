-- Rosters (排班) and excused time (问题时长).
-- roster_segments keeps every uploaded version: re-uploading an agent's day adds rows with
-- a higher `version`, and reads take the newest version per (site, day, agent). Nothing is
-- deleted, so the history of changes stays (who changed which day, when, in which upload).
CREATE TABLE IF NOT EXISTS {db}.roster_segments
(
    site LowCardinality(String),
    day Date,
    agent String,
    team String,
    start DateTime64(3, 'UTC'),
    end DateTime64(3, 'UTC'),
    activity LowCardinality(String),
    -- Monotonic per server: upload time in ms * 1000 + a counter, so two uploads in one ms still order.
    version UInt64,
    upload_id String,
    uploaded_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (site, day, agent, version, start);

-- One row per upload: what it replaced, for the change history.
CREATE TABLE IF NOT EXISTS {db}.roster_uploads
(
    site LowCardinality(String),
    upload_id String,
    version UInt64,
    uploaded_at DateTime64(3, 'UTC'),
    rows UInt32,
    agent_days UInt32,
    replaced_agent_days UInt32,
    source LowCardinality(String)
)
ENGINE = MergeTree
ORDER BY (site, uploaded_at);

-- Excused spans entered by team leads; spans of one agent never overlap (checked on entry).
CREATE TABLE IF NOT EXISTS {db}.excused_spans
(
    site LowCardinality(String),
    id String,
    agent String,
    start DateTime64(3, 'UTC'),
    end DateTime64(3, 'UTC'),
    reason String,
    entered_by String,
    entered_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(start)
ORDER BY (site, agent, start);
