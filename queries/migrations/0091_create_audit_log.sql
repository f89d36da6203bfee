-- Audit log (#19): who changed what and when. One row per successful state-changing call
-- (site configuration with a diff, rosters, excused time, overflow rules, acknowledgements,
-- users, tokens, and any route added later), written after the change is stored. Never
-- updated or deleted by Floorwatch; secrets and passwords are never in `detail`.
CREATE TABLE IF NOT EXISTS {db}.audit_log
(
    at DateTime64(3, 'UTC'),
    site String,
    actor String,
    actor_kind LowCardinality(String),
    action LowCardinality(String),
    target String,
    detail String CODEC(ZSTD(3)),
    address String DEFAULT ''
)
ENGINE = MergeTree
ORDER BY (site, at);
