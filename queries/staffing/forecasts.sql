-- The uploaded forecast of a site in [from, to): the newest upload per interval and queue.
SELECT toUnixTimestamp64Milli(interval_start) AS start_ms, queue,
       argMax(calls, uploaded_at) AS calls, argMax(aht_s, uploaded_at) AS aht_s
FROM {db}.forecasts
WHERE site = {site:String} AND interval_start >= {from:DateTime64(3)} AND interval_start < {to:DateTime64(3)}
GROUP BY interval_start, queue
ORDER BY interval_start, queue
