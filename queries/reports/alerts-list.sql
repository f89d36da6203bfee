-- Alerts of a site (GET /api/alerts): the latest state of every alert that was in effect
-- during [from, to): raised before `to` and not cleared before `from`. active_only = 1
-- keeps the ones not cleared. Newest first, at most `limit`.
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
    WHERE site = {site:String}
      AND raised_at < {to:DateTime64(3, 'UTC')}
    ORDER BY id, at DESC, rank DESC
    LIMIT 1 BY id
)
WHERE (cleared_at IS NULL OR cleared_at >= {from:DateTime64(3, 'UTC')})
  AND ({active_only:UInt8} = 0 OR cleared_at IS NULL)
ORDER BY raised_at DESC, id
LIMIT {limit:UInt32}
