-- The newest row of every token.
SELECT id, argMax(kind, updated_at) AS kind, argMax(site, updated_at) AS site, argMax(board, updated_at) AS board,
       argMax(label, updated_at) AS label, argMax(hash, updated_at) AS hash, argMax(created_by, updated_at) AS created_by,
       toUnixTimestamp64Milli(min(created_at)) AS created_ms,
       toUnixTimestamp64Milli(argMax(revoked_at, updated_at)) AS revoked_ms,
       toUnixTimestamp64Milli(max(last_seen_at)) AS last_seen_ms,
       toUnixTimestamp64Milli(max(updated_at)) AS updated_ms
FROM {db}.auth_tokens
GROUP BY id
