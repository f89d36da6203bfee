-- Expired calls (docs/definitions.md, "Live queue figures"): a call whose first
-- call.answered / call.abandoned is not before offer + call_expiry_s (or never came) expired
-- at that deadline. Counted per queue it waited in (newest call.offered queue or
-- call.overflowed to_queue by (ts, id)) for deadlines in [from, to) and at or before `at`.
-- Decided on event time alone, as the live engine does.
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
          AND ts >= {from:DateTime64(3)} - INTERVAL 1 DAY AND ts <= {at:DateTime64(3)}
        GROUP BY call
    ),
    deadlines AS
    (
        SELECT wq, toUnixTimestamp64Milli(off_ts) + {expiry_ms:Int64} AS dl, end_ts
        FROM calls
        WHERE off_ts < never
    )
SELECT wq AS queue, count() AS expired
FROM deadlines
WHERE dl >= toUnixTimestamp64Milli({from:DateTime64(3)}) AND dl < toUnixTimestamp64Milli({to:DateTime64(3)})
  AND dl <= toUnixTimestamp64Milli({at:DateTime64(3)})
  AND toUnixTimestamp64Milli(end_ts) >= dl
GROUP BY wq
ORDER BY wq
