-- Stored per agent-day workforce figures of closed operating days, so a 30-day report reads
-- ~60k small rows instead of re-deriving every agent's state timeline from the events
-- (measured: ~2 CPU-s per 30-day report of a 300-agent site, 3.6M events; ~7x that for
-- 2,000 agents). queries/workforce-facts.ts builds a day once it is closed (now is past
-- its last roster segment end + the sign-out grace) and rebuilds it when anything it was
-- derived from changed: events of the UTC days it reads (event_days, migration 0012), a
-- newer roster version of the day, or the excused spans near it. `cfg` fingerprints the
-- site settings the figures depend on (work activities, adherence map, grace, zone), so a
-- settings change reads (and builds) other facts instead of stale ones.
CREATE TABLE IF NOT EXISTS {db}.workforce_day_facts
(
    site LowCardinality(String),
    cfg String,
    day Date,
    version DateTime64(3, 'UTC'),
    agent String,
    team String,
    scheduled_ms Int64,
    logged_in_ms Int64,
    excused_ms Int64,
    late UInt8,
    early UInt8,
    scheduled UInt8,
    attended UInt8,
    adh_sched_ms Int64,
    in_adh_ms Int64
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (site, cfg, day, version, agent);

-- Which build of a (site, cfg, day) is current (the newest version), and the roster version
-- and excused-span fingerprint it was built from.
CREATE TABLE IF NOT EXISTS {db}.workforce_fact_days
(
    site LowCardinality(String),
    cfg String,
    day Date,
    version DateTime64(3, 'UTC'),
    roster_v UInt64,
    excused_fp String,
    rows UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (site, cfg, day);
