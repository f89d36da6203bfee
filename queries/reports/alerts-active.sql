-- Every alert not yet cleared, for every site: the start-up loader restores these into the
-- live engines so a restart neither loses nor re-raises them.
SELECT
    id, site, kind, level, queue, agent, team, rule,
    toUnixTimestamp64Milli(raised_at) AS raised_ms,
    toUnixTimestamp64Milli(acked_at) AS acked_ms,
    acked_by, ack_note,
    toUnixTimestamp64Milli(cleared_at) AS cleared_ms,
    clear_reason,
    toUnixTimestamp64Milli(escalated_at) AS escalated_ms,
    message, message_zh, action, action_zh, action_detail
FROM
(
    SELECT *
    FROM {db}.alerts
    ORDER BY id, at DESC, rank DESC
    LIMIT 1 BY id
)
WHERE cleared_at IS NULL
ORDER BY site, raised_at, id
