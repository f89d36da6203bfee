-- Per queue, over calls whose queue phase ended in [from, to): the time every caller waited
-- (answered or abandoned) and the abandons. Total wait / abandons estimates the mean
-- patience when patience is exponential (answered callers' patience is censored at their
-- wait). Same call facts and queue-phase rule as the interval report (calls_facts, 0011).
SELECT queue, sum(wait_ms) AS wait_ms, countIf(kind = 'call.abandoned') AS abandons, count() AS calls
FROM
(
    SELECT call, min(off_ts) AS off, min(end_ev) AS e,
           tupleElement(e, 4) AS queue, tupleElement(e, 3) AS kind,
           greatest(toInt64(toUnixTimestamp64Milli(tupleElement(e, 1))) - toInt64(toUnixTimestamp64Milli(off)), 0) AS wait_ms
    FROM {db}.calls_facts
    WHERE site = {site:String} AND day >= toDate({from:DateTime64(3)}) - 1 AND day <= toDate({to:DateTime64(3)})
    GROUP BY call
)
WHERE tupleElement(e, 1) >= {from:DateTime64(3)} AND tupleElement(e, 1) < {to:DateTime64(3)}
  AND off < toDateTime64('2299-01-01 00:00:00', 3, 'UTC')
GROUP BY queue
