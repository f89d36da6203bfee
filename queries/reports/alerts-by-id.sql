-- The latest state of one alert (POST /api/alerts/{id}/ack when the live engine does not
-- hold it). Ids start with "site:", so the site narrows the read to its part of the key.
SELECT
    id, site, kind, level, queue, agent, team, rule,
    toUnixTimestamp64Milli(raised_at) AS raised_ms,
    toUnixTimestamp64Milli(acked_at) AS acked_ms,
    acked_by, ack_note,
    toUnixTimestamp64Milli(cleared_at) AS cleared_ms,
    clear_reason,
    toUnixTimestamp64Milli(escalated_at) AS escalated_ms,
    message, message_zh, action, action_zh, action_detail
FROM {db}.alerts
WHERE site = {site:String} AND id = {id:String}
ORDER BY at DESC, rank DESC
LIMIT 1
