-- Every saved version of one site's configuration, newest first.
SELECT toUnixTimestamp64Milli(saved_at) AS saved_ms, saved_by, config
FROM {db}.site_configs
WHERE site = {site:String}
ORDER BY saved_at DESC
LIMIT {limit:UInt32}
