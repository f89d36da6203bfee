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
-- Facts of closed UTC days come from interval_facts (0012, built by queries/index.ts up to
-- built_to); the rest are derived from calls_facts (0011) and the agent events by
-- queries/reports/intervals-facts.sql (inlined below by queries/index.ts) over
-- [ev_from, ev_to).
WITH
    toUInt64({interval:UInt32}) * 60000 AS step_ms,
    stored AS
    (
        SELECT k, queue, t, is_answered, wait_ms, handle_ms
        FROM {db}.interval_facts
        WHERE site = {site:String}
          AND t >= {from:DateTime64(3)} AND t < {built_to:DateTime64(3)}
          AND (day, version) IN
          (
              SELECT day, max(version) FROM {db}.interval_fact_days
              WHERE site = {site:String} AND day >= toDate({from:DateTime64(3)}) AND day <= toDate({built_to:DateTime64(3)})
              GROUP BY day
          )
    ),
    derived AS
    (
        {facts}
    ),
    all_facts AS
    (
        SELECT * FROM stored
        UNION ALL
        SELECT * FROM derived
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
        FROM all_facts
        WHERE ({queue:String} = '' OR queue = {queue:String}) AND t >= {from:DateTime64(3)} AND t < {to:DateTime64(3)}
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
