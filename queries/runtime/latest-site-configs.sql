-- The configuration in force for every site: the newest saved row per site.
SELECT site, argMax(config, saved_at) AS config, toUnixTimestamp64Milli(max(saved_at)) AS saved_ms
FROM {db}.site_configs
GROUP BY site
ORDER BY site
