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
-- - expired: calls with no answer or abandon before offer + call_expiry_s, counted in the
--   interval of that deadline in the queue they waited in (intervals-facts.sql, k = 2);
-- - interval start = t - ((t + zone offset at t) mod step), in ms (DST-safe local floor),
--   taken per UTC quarter hour (see `quarters`).
-- Look-back 1 day for call.offered / call.answered before `from`; look-ahead 6 h after `to`
-- for the wrap-up's end (a wait or a wrap-up longer than that is not a real call). The
-- agent events read are those from `from` on (the wrap-up starts at or after call.ended).
-- Facts of closed UTC days are stored (built by queries/index.ts up to built_to): whole UTC
-- quarter hours [q_lo, q_hi) are read already summed from interval_quarters (0013), the
-- partial quarters at the range's edges from the facts in interval_facts (0012); the rest
-- are derived from calls_facts (0011) and the agent events by
-- queries/reports/intervals-facts.sql (inlined below by queries/index.ts) over
-- [ev_from, ev_to). Either way only the newest build of a day is read.
WITH
    toUInt64({interval:UInt32}) * 60000 AS step_ms,
    -- the newest build of each stored day in the range
    builds AS
    (
        SELECT day, max(version) FROM {db}.interval_fact_days
        WHERE site = {site:String} AND day >= toDate({from:DateTime64(3)}) AND day <= toDate({built_to:DateTime64(3)})
        GROUP BY day
    ),
    -- stored facts of the partial quarters only: [from, q_lo) and [q_hi, built_to); edges = 0
    -- when there are none (a range from and to whole quarter hours): then nothing is read
    stored AS
    (
        SELECT k, queue, t, is_answered, wait_ms, handle_ms
        FROM {db}.interval_facts
        WHERE {edges:UInt8} AND site = {site:String}
          AND t >= {from:DateTime64(3)} AND t < {built_to:DateTime64(3)}
          AND (t < {q_lo:DateTime64(3)} OR t >= {q_hi:DateTime64(3)})
          AND (day, version) IN builds
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
    -- quarter hour instead of once per fact (~6.5M facts in 30 days of 2,000 agents).
    -- Whole stored quarters come summed from interval_quarters; the thresholds of today's
    -- configuration are applied to their kept waits (whole_seconds: every threshold_s is a
    -- whole number of seconds).
    whole AS
    (
        SELECT
            q_ms,
            queue,
            indexOf({q_names:Array(String)}, queue) AS qi,
            if(qi > 0, {q_threshold_s:Array(Float64)}[qi], {def_threshold_s:Float64}) * 1000 AS thr_ms,
            if(qi > 0, {q_short_s:Array(Float64)}[qi], {def_short_s:Float64}) * 1000 AS short_ms,
            offered,
            answered,
            -- whole-second thresholds sum the histogram of 0014, others count the waits (the
            -- branch not taken is folded away with its column, which is then not read)
            toUInt64(if({whole_seconds:UInt8},
                        arraySum((s, c) -> if(s * 1000 <= thr_ms, c, 0), answered_le_s, answered_le_n),
                        arrayCount(w -> w <= thr_ms, answered_waits))) AS answered_within_threshold,
            abandoned,
            toUInt64(arrayCount(w -> w < short_ms, abandoned_waits)) AS short_abandoned,
            wait_sum_ms,
            handled,
            handle_sum_ms,
            expired
        FROM {db}.interval_quarters
        WHERE site = {site:String}
          AND ({queue:String} = '' OR queue = {queue:String})
          AND q_ms >= toUnixTimestamp64Milli({q_lo:DateTime64(3)}) AND q_ms < toUnixTimestamp64Milli({q_hi:DateTime64(3)})
          AND (day, version) IN builds
    ),
    parts AS
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
            sumIf(handle_ms, k = 1) AS handle_sum_ms,
            countIf(k = 2) AS expired
        FROM all_facts
        WHERE ({queue:String} = '' OR queue = {queue:String}) AND t >= {from:DateTime64(3)} AND t < {to:DateTime64(3)}
        GROUP BY q_ms, queue
    ),
    quarters AS
    (
        SELECT q_ms, queue, offered, answered, answered_within_threshold, abandoned, short_abandoned, wait_sum_ms, handled, handle_sum_ms, expired
        FROM whole
        UNION ALL
        SELECT q_ms, queue, offered, answered, answered_within_threshold, abandoned, short_abandoned, wait_sum_ms, handled, handle_sum_ms, expired
        FROM parts
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
            sum(handle_sum_ms) AS handle_sum_ms,
            sum(expired) AS expired
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
    -- (the SL denominator is not an output column: written out twice, computed once)
    if(multiIf(variant = 'answered', answered, variant = 'with_abandons', answered + abandoned, answered + abandoned - short_abandoned) > 0,
       answered_within_threshold / multiIf(variant = 'answered', answered, variant = 'with_abandons', answered + abandoned, answered + abandoned - short_abandoned),
       NULL) AS service_level,
    if(answered > 0, wait_sum_ms / answered / 1000, NULL) AS asa_s,
    if(handled > 0, handle_sum_ms / handled / 1000, NULL) AS aht_s,
    if(answered + abandoned - short_abandoned > 0, answered / (answered + abandoned - short_abandoned), NULL) AS answer_rate,
    handled,
    wait_sum_ms,
    handle_sum_ms,
    -- calls expired in the interval (docs/definitions.md, "Expired"): a data-quality count,
    -- in none of the figures above
    expired
FROM grouped
ORDER BY interval_start_ms ASC, queue ASC
