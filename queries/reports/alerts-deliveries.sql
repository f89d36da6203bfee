-- Webhook delivery attempts of a site, optionally of one alert ('' = all), oldest first.
SELECT
    site, alert_id, rule, event, idempotency_key, url, attempt,
    toUnixTimestamp64Milli(at) AS at_ms,
    status, outcome, error, duration_ms
FROM {db}.webhook_deliveries
WHERE site = {site:String}
  AND ({alert_id:String} = '' OR alert_id = {alert_id:String})
ORDER BY at, alert_id, attempt
LIMIT {limit:UInt32}
