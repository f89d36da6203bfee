-- Site configurations (PUT /api/sites/{site}): every accepted version is kept, the newest
-- row per site is the one in force (saved_at is strictly increasing per process, and a
-- restart reads argMax by saved_at).
CREATE TABLE IF NOT EXISTS {db}.site_configs
(
    site String,
    saved_at DateTime64(3, 'UTC'),
    saved_by String DEFAULT '',
    config String CODEC(ZSTD(3))
)
ENGINE = MergeTree
ORDER BY (site, saved_at);
