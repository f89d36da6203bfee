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
-- for the wrap-up's end (a wait or a wrap-up longer than that is not a real call).
-- Reads from calls_agg (one row per call, kept by a materialized view, 0010) and the
-- agent events of the range.
WITH
    toUInt64({interval:UInt32}) * 60000 AS step_ms,
    calls AS
    (
        SELECT
            call,
            countIfMerge(n_off) AS n_off,
            minIfMerge(off_ts) AS off_ts,
            countIfMerge(n_end) AS n_end,
            argMinIfMerge(end_ev) AS end_ev,
            countIfMerge(n_ans) AS n_ans,
            minIfMerge(ans_ts) AS ans_ts,
            countIfMerge(n_ed) AS n_ed,
            argMaxIfMerge(ed_ev) AS ed_ev
        FROM {db}.calls_agg
        WHERE site = {site:String}
          AND day >= toDate({from:DateTime64(3)} - INTERVAL 1 DAY)
          AND day <= toDate({to:DateTime64(3)} + INTERVAL 6 HOUR)
        GROUP BY call
    ),
    phases AS
    (
        SELECT
            end_ev.2 AS queue,
            end_ev.3 AS t,
            1 AS is_phase,
            end_ev.1 = 'call.answered' AS is_answered,
            greatest(toInt64(0), toUnixTimestamp64Milli(end_ev.3) - toUnixTimestamp64Milli(off_ts)) AS wait_ms,
            toInt64(0) AS handle_ms
        FROM calls
        WHERE n_off > 0 AND n_end > 0
          AND end_ev.3 >= {from:DateTime64(3)} AND end_ev.3 < {to:DateTime64(3)}
    ),
    agent_ev AS
    (
        SELECT
            agent,
            ts,
            type = 'agent.state' AND state = 'wrap_up' AS is_wrap,
            leadInFrame(toNullable(ts)) OVER (PARTITION BY agent ORDER BY ts ASC, id ASC ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING) AS next_ts,
            row_number() OVER (PARTITION BY agent, ts ORDER BY id ASC) AS rn
        FROM {db}.events
        WHERE site = {site:String}
          AND type IN ('agent.login', 'agent.logout', 'agent.state')
          AND ts >= {from:DateTime64(3)} - INTERVAL 1 DAY
          AND ts < {to:DateTime64(3)} + INTERVAL 6 HOUR
          AND agent IN (SELECT ed_ev.2 FROM calls WHERE n_ans > 0 AND n_ed > 0)
    ),
    firsts AS
    (
        SELECT agent, ts, is_wrap, next_ts, 1 AS hit FROM agent_ev WHERE rn = 1
    ),
    ended AS
    (
        SELECT ed_ev.1 AS queue, ed_ev.2 AS agent, ed_ev.3 AS ed_ts, ans_ts
        FROM calls
        WHERE n_ans > 0 AND n_ed > 0
          AND ed_ev.3 >= {from:DateTime64(3)} AND ed_ev.3 < {to:DateTime64(3)}
    ),
    handles AS
    (
        SELECT
            x.queue AS queue,
            x.ed_ts AS t,
            0 AS is_phase,
            0 AS is_answered,
            toInt64(0) AS wait_ms,
            greatest(toInt64(0), toUnixTimestamp64Milli(x.ed_ts) - toUnixTimestamp64Milli(x.ans_ts))
              + if(f.is_wrap, toUnixTimestamp64Milli(assumeNotNull(f.next_ts)) - toUnixTimestamp64Milli(f.ts), 0) AS handle_ms
        FROM ended AS x
        ASOF LEFT JOIN firsts AS f ON x.agent = f.agent AND f.ts >= x.ed_ts
        WHERE f.hit = 1 AND (NOT f.is_wrap OR f.next_ts IS NOT NULL)
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
            is_phase,
            is_answered,
            wait_ms,
            handle_ms
        FROM (SELECT * FROM phases UNION ALL SELECT * FROM handles)
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
