-- Identity (#19): people, machine tokens and sign-in sessions. Small tables read whole at
-- start-up and written through on every change; each change is a new row with a newer
-- updated_at, and the newest row per key is the one in force (argMax), so no row is ever
-- updated in place. Secrets are stored only as hashes: passwords as argon2id, tokens and
-- session ids as SHA-256 of their 256 random bits.
CREATE TABLE IF NOT EXISTS {db}.auth_users
(
    name String,
    display_name String,
    password_hash String,
    -- JSON array of {site, role, teams?}
    grants String,
    source LowCardinality(String) DEFAULT 'local',
    disabled UInt8 DEFAULT 0,
    deleted UInt8 DEFAULT 0,
    created_at DateTime64(3, 'UTC'),
    updated_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (name, updated_at);

CREATE TABLE IF NOT EXISTS {db}.auth_tokens
(
    id String,
    kind LowCardinality(String),
    site String,
    board String DEFAULT '',
    label String DEFAULT '',
    hash String,
    created_by String,
    created_at DateTime64(3, 'UTC'),
    revoked_at Nullable(DateTime64(3, 'UTC')),
    last_seen_at Nullable(DateTime64(3, 'UTC')),
    updated_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (id, updated_at);

CREATE TABLE IF NOT EXISTS {db}.auth_sessions
(
    id_hash String,
    user String,
    csrf String,
    created_at DateTime64(3, 'UTC'),
    expires_at DateTime64(3, 'UTC'),
    revoked UInt8 DEFAULT 0,
    updated_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (id_hash, updated_at);
