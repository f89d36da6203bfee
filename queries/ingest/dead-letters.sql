-- Rejected lines, newest first: what was sent, by whom, and why it was refused.
SELECT toUnixTimestamp64Milli(received_at) AS received_ms, producer, site, line, reason, raw
FROM {db}.dead_letters
WHERE received_at >= {since:DateTime64(3)} AND ({site:String} = '' OR site = {site:String})
ORDER BY received_at DESC, line
LIMIT {limit:UInt32}
