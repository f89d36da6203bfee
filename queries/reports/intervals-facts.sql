-- The facts of the interval report for calls whose queue phase ended, or which ended, or
-- which expired, in [ev_from, ev_to): one row per fact (k = 0 queue phase, 1 handle for AHT,
-- 2 expired) with its UTC time, queue, wait and handle time. Used by intervals.sql for the days not yet stored in
-- interval_facts, and by queries/index.ts to build those days. Definitions: intervals.sql.
WITH
    calls AS
    (
        SELECT
            call,
            min(off_ts) AS off_ts,
            min(end_ev) AS end_ev,
            min(ans_ts) AS ans_ts,
            max(ed_ev) AS ed_ev,
            max(wq_ev) AS wq_ev,
            toDateTime64('2299-01-01 00:00:00', 3, 'UTC') AS never
        FROM ({calls})
        WHERE site = {site:String}
          AND day >= toDate({ev_from:DateTime64(3)} - INTERVAL 1 DAY)
          AND day <= toDate({ev_to:DateTime64(3)} + INTERVAL 6 HOUR)
        GROUP BY call
    ),
    -- One row per counted fact: k = 0 the queue phase, k = 1 the handle (AHT) part, k = 2 an
    -- expiry (docs/definitions.md, "Expired"; the same rule as calls-expired.sql and the live
    -- engine): no answer or abandon before offer + call_expiry_s, counted at that deadline in
    -- the queue the call waited in (newest call.offered / call.overflowed by (ts, id)), once
    -- the deadline is not after {expired_by} (the report's now; a stored day is closed, so
    -- all its deadlines are past). A call answered after its deadline is expired AND answered.
    facts AS
    (
        SELECT
            k,
            multiIf(k = 0, end_ev.4, k = 1, ed_ev.3, wq_ev.3) AS queue,
            multiIf(k = 0, end_ev.1, k = 1, ed_ev.1, addMilliseconds(off_ts, {expiry_ms:Int64})) AS t,
            if(k = 1, ed_ev.4, '') AS agent,
            k != 2 AND end_ev.3 = 'call.answered' AS is_answered,
            if(k = 2, toInt64(0), greatest(toInt64(0), toUnixTimestamp64Milli(end_ev.1) - toUnixTimestamp64Milli(off_ts))) AS wait_ms,
            greatest(toInt64(0), toUnixTimestamp64Milli(ed_ev.1) - toUnixTimestamp64Milli(ans_ts)) AS talk_ms
        FROM calls
        ARRAY JOIN [0, 1, 2] AS k
        -- A wait or a talk of a day or more is not counted: every read window (a stored day
        -- reads calls from the UTC day before) then sees the same calls.
        WHERE (k = 0 AND off_ts < never AND off_ts > end_ev.1 - INTERVAL 1 DAY AND end_ev.1 >= {ev_from:DateTime64(3)} AND end_ev.1 < {ev_to:DateTime64(3)})
           OR (k = 1 AND ans_ts < never AND ans_ts > ed_ev.1 - INTERVAL 1 DAY AND ed_ev.1 >= {ev_from:DateTime64(3)} AND ed_ev.1 < {ev_to:DateTime64(3)})
           -- (the deadline is at most 6 h after the offer, so the day read before covers it)
           OR (k = 2 AND off_ts < never AND end_ev.1 >= addMilliseconds(off_ts, {expiry_ms:Int64})
               AND addMilliseconds(off_ts, {expiry_ms:Int64}) >= {ev_from:DateTime64(3)}
               AND addMilliseconds(off_ts, {expiry_ms:Int64}) < {ev_to:DateTime64(3)}
               AND addMilliseconds(off_ts, {expiry_ms:Int64}) <= {expired_by:DateTime64(3)})
    ),
    -- Each counted fact and each agent event in one stream per agent. Walking it backwards
    -- in time ((ts, id) descending; at equal ts an agent event is "at or after" call.ended),
    -- the frame before a handle fact holds exactly the agent's later events: the nearest
    -- is the first event at or after call.ended, the one before it the event after that.
    -- One sort, no join: an ASOF join over the range's calls and agent events is far dearer,
    -- and the history reports' goal is 500 ms median over 90 days.
    stream AS
    (
        SELECT k, queue, t, agent, is_answered, wait_ms, talk_ms, toUInt8(0) AS is_ev, toUInt8(0) AS is_wrap, '' AS id
        FROM facts
        UNION ALL
        -- (k = 255: not a fact, an agent event; dropped below)
        SELECT toUInt8(255), '', ts, agent, 0, 0, 0, toUInt8(1), toUInt8(type = 'agent.state' AND state = 'wrap_up'), id
        FROM {db}.events
        WHERE site = {site:String}
          AND type IN ('agent.login', 'agent.logout', 'agent.state')
          AND ts >= {ev_from:DateTime64(3)}
          AND ts < {ev_to:DateTime64(3)} + INTERVAL 6 HOUR
    ),
    walked AS
    (
        SELECT
            k,
            queue,
            t,
            is_answered,
            wait_ms,
            talk_ms,
            -- the first event at or after t and the one after it, in no set order (groupArrayLast
            -- keeps a ring buffer), so: first = the min, next = the max; fewer when not there yet
            groupArrayLast(2)(if(is_ev = 1, t, NULL)) OVER later AS later_ts,
            anyLast(if(is_ev = 1, is_wrap, NULL)) OVER later AS first_is_wrap
        FROM stream
        WINDOW later AS (PARTITION BY agent ORDER BY t DESC, is_ev DESC, id DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
    ),
    joined AS
    (
        SELECT
            k,
            queue,
            t,
            is_answered,
            wait_ms,
            talk_ms + if(k = 1 AND first_is_wrap = 1, toUnixTimestamp64Milli(arrayMax(later_ts)) - toUnixTimestamp64Milli(arrayMin(later_ts)), 0) AS handle_ms
        FROM walked
        -- A handle counts once its end is known within 6 h of call.ended: the first agent
        -- event at or after it, or for a wrap-up the event after that, before t + 6 h
        -- (docs/definitions.md, "Day edges and history"). The same bound in every read
        -- window (a stored day, any range, the live engine) gives the same handles.
        WHERE k IN (0, 2) OR (k = 1 AND length(later_ts) >= 1 AND (first_is_wrap = 0 OR length(later_ts) = 2)
                        AND if(first_is_wrap = 1, arrayMax(later_ts), arrayMin(later_ts)) < t + INTERVAL 6 HOUR)
    )
SELECT k, queue, t, is_answered, wait_ms, handle_ms
FROM joined
