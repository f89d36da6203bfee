-- The queue side of "Live queue figures" (docs/definitions.md) recomputed from the stored
-- events at an instant `at`, for holding the live engine against it: per queue, the calls
-- waiting now (offered, no answer or abandon yet, and not past the expiry deadline), with
-- the oldest offer. A call waits in its newest queue by (ts, id) of call.offered (queue) or
-- call.overflowed (to_queue). Calls offered before at - expiry are expired, so one day of
-- events is enough (call_expiry_s is below a day).
WITH
    toDateTime64('2299-01-01 00:00:00', 3, 'UTC') AS never,
    calls AS
    (
        SELECT
            call,
            min(if(type = 'call.offered', ts, never)) AS off_ts,
            min(if(type IN ('call.answered', 'call.abandoned'), ts, never)) AS end_ts,
            argMaxIf(if(type = 'call.overflowed', to_queue, toString(queue)), (ts, id), type IN ('call.offered', 'call.overflowed')) AS wq
        FROM {db}.events
        WHERE site = {site:String} AND call != ''
          AND ts >= {at:DateTime64(3)} - INTERVAL 1 DAY AND ts <= {at:DateTime64(3)}
        GROUP BY call
    )
SELECT wq AS queue, count() AS waiting, toFloat64(toUnixTimestamp64Milli(min(off_ts))) AS oldest_ms
FROM calls
WHERE off_ts < never AND end_ts = never
  AND toUnixTimestamp64Milli(off_ts) + {expiry_ms:Int64} > toUnixTimestamp64Milli({at:DateTime64(3)})
GROUP BY wq
ORDER BY wq
