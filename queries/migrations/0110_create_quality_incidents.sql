-- Incidents (故障预警, POST /api/sites/{site}/incidents): every version of an incident is kept
-- (created, bulletin published, resolved); the newest row per site and id is the one in force,
-- and open incidents are loaded back into the live engine at start-up.
CREATE TABLE IF NOT EXISTS {db}.quality_incidents
(
    site String,
    id String,
    saved_at DateTime64(3, 'UTC'),
    resolved UInt8,
    incident String CODEC(ZSTD(3))
)
ENGINE = MergeTree
ORDER BY (site, id, saved_at);
