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
-- - interval start = t - ((t + zone offset at t) mod step), in ms (DST-safe local floor),
--   taken per UTC quarter hour (see `quarters`).
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
    -- Stage 1 counts per UTC quarter hour and queue with plain integer arithmetic. Every
    -- zone offset and every DST change since 2000 falls on a quarter hour, so all facts of
    -- one UTC quarter hour share their local interval; the zone look-up then runs once per
    -- quarter hour instead of once per fact (~3.6M facts in 30 days of 2,000 agents).
    quarters AS
    (
        SELECT
            intDiv(toUnixTimestamp64Milli(t), 900000) * 900000 AS q_ms,
            queue,
            indexOf({q_names:Array(String)}, queue) AS qi,
            if(qi > 0, {q_threshold_s:Array(Float64)}[qi], {def_threshold_s:Float64}) * 1000 AS thr_ms,
            if(qi > 0, {q_short_s:Array(Float64)}[qi], {def_short_s:Float64}) * 1000 AS short_ms,
            countIf(k = 0) AS offered,
            countIf(k = 0 AND is_answered) AS answered,
            countIf(k = 0 AND is_answered AND wait_ms <= thr_ms) AS answered_within_threshold,
            countIf(k = 0 AND NOT is_answered) AS abandoned,
            countIf(k = 0 AND NOT is_answered AND wait_ms < short_ms) AS short_abandoned,
            sumIf(wait_ms, k = 0 AND is_answered) AS wait_sum_ms,
            countIf(k = 1) AS handled,
            sumIf(handle_ms, k = 1) AS handle_sum_ms
        FROM all_facts
        WHERE ({queue:String} = '' OR queue = {queue:String}) AND t >= {from:DateTime64(3)} AND t < {to:DateTime64(3)}
        GROUP BY q_ms, queue
    ),
    grouped AS
    (
        SELECT
            q_ms - ((q_ms + toInt64(timeZoneOffset(toTimeZone(fromUnixTimestamp64Milli(q_ms), {tz:String}))) * 1000) % step_ms) AS start_ms,
            queue,
            indexOf({q_names:Array(String)}, queue) AS qi,
            if(qi > 0, {q_variant:Array(String)}[qi], {def_variant:String}) AS variant,
            sum(offered) AS offered,
            sum(answered) AS answered,
            sum(answered_within_threshold) AS answered_within_threshold,
            sum(abandoned) AS abandoned,
            sum(short_abandoned) AS short_abandoned,
            sum(wait_sum_ms) AS wait_sum_ms,
            sum(handled) AS handled,
            sum(handle_sum_ms) AS handle_sum_ms
        FROM quarters
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
