-- Interval report (API v1): per interval of the site's zone and per queue, the figures of
-- design.md's Definitions, computed exactly as the live engine does
-- (ingest/src/core/queue/engine.ts, figures.ts, time-buckets.ts):
-- - a call's queue phase ends at its earliest call.answered / call.abandoned by (ts, id);
--   wait = that minus its earliest call.offered (overflow keeps it), negative -> 0; the
--   call counts in the interval and queue where the phase ended;
-- - within = wait <= T; short abandon = wait < short_abandon_s (per queue, passed in);
-- - AHT: handle = (newest call.ended - earliest call.answered) + wrap-up, wrap-up = if the
--   ending agent's first event at or after call.ended (order: ts, id) is a wrap_up state,
--   the time to that agent's next event, else 0; unknown (no such event yet) -> not counted;
--   counted in the interval and queue of call.ended;
-- - interval start = t - ((t + zone offset at t) mod step), in ms (DST-safe local floor).
-- Look-back 1 day for call.offered / call.answered before `from`; look-ahead 6 h after `to`
-- for the wrap-up's end (a wait or a wrap-up longer than that is not a real call). The
-- agent events read are those from `from` on (the wrap-up starts at or after call.ended).
-- Reads calls_facts (one row per call, kept by a materialized view, 0011) and the agent
-- events of the range.
WITH
    toUInt64({interval:UInt32}) * 60000 AS step_ms,
    calls AS
    (
        SELECT
            call,
            min(off_ts) AS off_ts,
            min(end_ev) AS end_ev,
            min(ans_ts) AS ans_ts,
            max(ed_ev) AS ed_ev,
            toDateTime64('2299-01-01 00:00:00', 3, 'UTC') AS never
        FROM {db}.calls_facts
        WHERE site = {site:String}
          AND day >= toDate({from:DateTime64(3)} - INTERVAL 1 DAY)
          AND day <= toDate({to:DateTime64(3)} + INTERVAL 6 HOUR)
        GROUP BY call
    ),
    -- One row per counted fact: k = 0 the queue phase, k = 1 the handle (AHT) part.
    facts AS
    (
        SELECT
            k,
            if(k = 0, end_ev.4, ed_ev.3) AS queue,
            if(k = 0, end_ev.1, ed_ev.1) AS t,
            if(k = 0, '', ed_ev.4) AS agent,
            end_ev.3 = 'call.answered' AS is_answered,
            greatest(toInt64(0), toUnixTimestamp64Milli(end_ev.1) - toUnixTimestamp64Milli(off_ts)) AS wait_ms,
            greatest(toInt64(0), toUnixTimestamp64Milli(ed_ev.1) - toUnixTimestamp64Milli(ans_ts)) AS talk_ms
        FROM calls
        ARRAY JOIN [0, 1] AS k
        WHERE (k = 0 AND off_ts < never AND end_ev.1 >= {from:DateTime64(3)} AND end_ev.1 < {to:DateTime64(3)})
           OR (k = 1 AND ans_ts < never AND ed_ev.1 >= {from:DateTime64(3)} AND ed_ev.1 < {to:DateTime64(3)})
    ),
    -- Each counted fact and each agent event in one stream per agent. Walking it backwards
    -- in time ((ts, id) descending; at equal ts an agent event is "at or after" call.ended),
    -- the frame before a handle fact holds exactly the agent's later events: the nearest
    -- is the first event at or after call.ended, the one before it the event after that.
    -- One sort, no join (an ASOF join here took ~10x longer over 30 days).
    stream AS
    (
        SELECT k, queue, t, agent, is_answered, wait_ms, talk_ms, toUInt8(0) AS is_ev, toUInt8(0) AS is_wrap, '' AS id
        FROM facts
        UNION ALL
        SELECT toUInt8(2), '', ts, agent, 0, 0, 0, toUInt8(1), toUInt8(type = 'agent.state' AND state = 'wrap_up'), id
        FROM {db}.events
        WHERE site = {site:String}
          AND type IN ('agent.login', 'agent.logout', 'agent.state')
          AND ts >= {from:DateTime64(3)}
          AND ts < {to:DateTime64(3)} + INTERVAL 6 HOUR
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
        WHERE k = 0 OR (k = 1 AND length(later_ts) >= 1 AND (first_is_wrap = 0 OR length(later_ts) = 2))
    ),
    counted AS
    (
        SELECT
            toUnixTimestamp64Milli(t) - ((toUnixTimestamp64Milli(t) + toInt64(timeZoneOffset(toTimeZone(t, {tz:String}))) * 1000) % step_ms) AS start_ms,
            queue,
            indexOf({q_names:Array(String)}, queue) AS qi,
            if(qi > 0, {q_threshold_s:Array(Float64)}[qi], {def_threshold_s:Float64}) AS thr_s,
            if(qi > 0, {q_short_s:Array(Float64)}[qi], {def_short_s:Float64}) AS short_s,
            if(qi > 0, {q_variant:Array(String)}[qi], {def_variant:String}) AS variant,
            k = 0 AS is_phase,
            is_answered,
            wait_ms,
            handle_ms
        FROM joined
        WHERE {queue:String} = '' OR queue = {queue:String}
    ),
    grouped AS
    (
        SELECT
            start_ms,
            queue,
            any(variant) AS variant,
            countIf(is_phase = 1) AS offered,
            countIf(is_phase = 1 AND is_answered) AS answered,
            countIf(is_phase = 1 AND is_answered AND wait_ms <= thr_s * 1000) AS answered_within_threshold,
            countIf(is_phase = 1 AND NOT is_answered) AS abandoned,
            countIf(is_phase = 1 AND NOT is_answered AND wait_ms < short_s * 1000) AS short_abandoned,
            sumIf(wait_ms, is_phase = 1 AND is_answered) AS wait_sum_ms,
            countIf(is_phase = 0) AS handled,
            sumIf(handle_ms, is_phase = 0) AS handle_sum_ms
        FROM counted
        GROUP BY start_ms, queue
    )
SELECT
    toFloat64(start_ms) AS interval_start_ms,
    queue,
    offered,
    answered,
    answered_within_threshold,
    abandoned,
    short_abandoned,
    -- the live variant equals the default one in history (no calls are "still waiting")
    multiIf(variant = 'answered', answered, variant = 'with_abandons', answered + abandoned, answered + abandoned - short_abandoned) AS sl_den,
    if(sl_den > 0, answered_within_threshold / sl_den, NULL) AS service_level,
    if(answered > 0, wait_sum_ms / answered / 1000, NULL) AS asa_s,
    if(handled > 0, handle_sum_ms / handled / 1000, NULL) AS aht_s,
    if(answered + abandoned - short_abandoned > 0, answered / (answered + abandoned - short_abandoned), NULL) AS answer_rate,
    handled,
    wait_sum_ms,
    handle_sum_ms
FROM grouped
ORDER BY interval_start_ms ASC, queue ASC
