-- The newest row of every user (deleted ones included: the caller drops them).
SELECT name, argMax(display_name, updated_at) AS display_name, argMax(password_hash, updated_at) AS password_hash,
       argMax(grants, updated_at) AS grants, argMax(source, updated_at) AS source, argMax(disabled, updated_at) AS disabled,
       argMax(deleted, updated_at) AS deleted, toUnixTimestamp64Milli(min(created_at)) AS created_ms,
       toUnixTimestamp64Milli(max(updated_at)) AS updated_ms
FROM {db}.auth_users
GROUP BY name
