-- Sessions still in force: the newest row per session, not revoked and not expired.
SELECT id_hash, user, csrf, created_ms, expires_ms
FROM
(
    SELECT id_hash, argMax(user, updated_at) AS user, argMax(csrf, updated_at) AS csrf,
           toUnixTimestamp64Milli(min(created_at)) AS created_ms,
           toUnixTimestamp64Milli(argMax(expires_at, updated_at)) AS expires_ms,
           argMax(revoked, updated_at) AS revoked
    FROM {db}.auth_sessions
    GROUP BY id_hash
)
WHERE revoked = 0 AND expires_ms > {now_ms:Int64}
