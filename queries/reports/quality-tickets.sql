-- Work-order figures per operating day and key (GET /api/reports/quality): on-time handling
-- (处理及时率) and follow-up (跟进回复率) by the day an order closed; repeat complaints
-- (重复投诉率) by the day it was created. Each order is rebuilt from its stored events up to
-- {now}; its due time follows the site's limit rules (parallel arrays r_*, the most specific
-- matching rule, ties the earliest due; working days skip Saturday and Sunday in the site zone)
-- and the latest extension asked by {reply_share} of the original limit. The same rules as
-- ingest/src/core/quality/limits.ts and tickets.ts; tests hold the two against each other.
WITH
    {tz:String} AS tz,
    tk AS
    (
        SELECT
            JSONExtractString(raw, 'ticket') AS ticket,
            countIf(type = 'ticket.created') AS n_created,
            toUnixTimestamp64Milli(minIf(ts, type = 'ticket.created')) AS created_ms,
            minIf(ts, type = 'ticket.created') AS created,
            argMinIf(JSONExtractString(raw, 'category'), ts, type = 'ticket.created') AS category,
            argMinIf(JSONExtractString(raw, 'class'), ts, type = 'ticket.created') AS class,
            argMinIf(JSONExtractString(raw, 'customer_class'), ts, type = 'ticket.created') AS customer_class,
            argMinIf(JSONExtractString(raw, 'caller'), ts, type = 'ticket.created') AS caller,
            argMinIf(JSONExtractString(raw, 'agent'), ts, type = 'ticket.created') AS agent,
            countIf(type = 'ticket.closed') AS n_closed,
            toUnixTimestamp64Milli(minIf(ts, type = 'ticket.closed')) AS closed_ms,
            countIf(type = 'ticket.followed_up') AS n_followed,
            argMaxIf(JSONExtractString(raw, 'department'), ts, type = 'ticket.dispatched') AS department,
            groupArrayIf(
                tuple(
                    toUnixTimestamp64Milli(ts),
                    if(JSONType(raw, 'due') = 'String',
                       toUnixTimestamp64Milli(parseDateTime64BestEffort(JSONExtractString(raw, 'due'), 3)),
                       JSONExtractInt(raw, 'due'))),
                type = 'ticket.extension_requested') AS exts
        FROM {db}.events
        WHERE site = {site:String}
          AND ts >= {lookback:DateTime64(3)} AND ts <= {now:DateTime64(3)}
          AND type IN ('ticket.created', 'ticket.closed', 'ticket.followed_up', 'ticket.dispatched', 'ticket.extension_requested')
        GROUP BY ticket
        HAVING n_created > 0
    ),
    teams AS
    (
        SELECT agent, argMax(team, ts) AS last_team
        FROM {db}.events
        WHERE site = {site:String} AND type = 'agent.login' AND team != '' AND ts <= {now:DateTime64(3)}
        GROUP BY agent
    ),
    ruled AS
    (
        SELECT
            *,
            arrayFilter(i -> ({r_class:Array(String)}[i] = '' OR {r_class:Array(String)}[i] = class)
                         AND ({r_cust:Array(String)}[i] = '' OR {r_cust:Array(String)}[i] = customer_class)
                         AND ({r_cat:Array(String)}[i] = '' OR {r_cat:Array(String)}[i] = category),
                        arrayEnumerate({r_class:Array(String)})) AS m,
            arrayMap(i -> toUInt8({r_class:Array(String)}[i] != '') + toUInt8({r_cust:Array(String)}[i] != '') + toUInt8({r_cat:Array(String)}[i] != ''), m) AS spec,
            arrayFilter((i, s) -> s = arrayMax(spec), m, spec) AS best,
            toTimeZone(created, tz) AS local_created,
            arrayMap(i -> if({r_wdays:Array(UInt32)}[i] > 0,
                -- The n-th Monday-to-Friday date after the local creation date, same local time.
                toUnixTimestamp64Milli(toDateTime64(concat(
                    toString(arrayFilter(d -> toDayOfWeek(d) <= 5, arrayMap(k -> addDays(toDate(local_created), k), range(1, toUInt32({r_wdays:Array(UInt32)}[i] * 2 + 10))))[{r_wdays:Array(UInt32)}[i]]),
                    ' ', formatDateTime(local_created, '%H:%i:%S')), 0, tz)) + (created_ms % 1000),
                created_ms + toInt64(round({r_hours:Array(Float64)}[i] * 3600000))), best) AS dues,
            if(empty(m), created_ms + toInt64(round({def_hours:Float64} * 3600000)), arrayMin(dues)) AS base_due,
            created_ms + {reply_share:Float64} * (base_due - created_ms) AS point0,
            arraySort(x -> (x.1, x.2), arrayFilter(x -> x.1 <= point0, exts)) AS valid_ext,
            if(empty(valid_ext), base_due, valid_ext[-1].2) AS due
        FROM tk
    ),
    keyed AS
    (
        SELECT
            r.*,
            multiIf({by:String} = 'site', {site:String}, {by:String} = 'team', t.last_team, {by:String} = 'category', r.category, r.department) AS key
        FROM ruled AS r
        LEFT JOIN teams AS t ON t.agent = r.agent
    ),
    repeats AS
    (
        -- Each caller's complaint times: a complaint is a repeat when another falls in [created - window, created).
        SELECT caller, groupArray(created_ms) AS times
        FROM keyed
        WHERE caller != ''
        GROUP BY caller
    )
SELECT date, key,
       sum(closed) AS closed, sum(on_time) AS closed_on_time, sum(followed) AS followed_up,
       sum(complaint) AS complaints, sum(repeat) AS repeat_complaints
FROM
(
    SELECT toString(toDate(addMinutes(toTimeZone(fromUnixTimestamp64Milli(closed_ms), tz), -{ds_min:Int32}))) AS date, key,
           1 AS closed, toUInt8(closed_ms <= due) AS on_time, toUInt8(n_followed > 0) AS followed, 0 AS complaint, 0 AS repeat
    FROM keyed
    WHERE n_closed > 0 AND closed_ms >= toUnixTimestamp64Milli({from:DateTime64(3)}) AND closed_ms < toUnixTimestamp64Milli({to:DateTime64(3)})
    UNION ALL
    SELECT toString(toDate(addMinutes(toTimeZone(k.created, tz), -{ds_min:Int32}))) AS date, k.key,
           0, 0, 0, 1, toUInt8(arrayExists(x -> x >= k.created_ms - {repeat_ms:Int64} AND x < k.created_ms, r.times))
    FROM keyed AS k
    INNER JOIN repeats AS r ON r.caller = k.caller
    WHERE k.caller != '' AND k.created >= {from:DateTime64(3)} AND k.created < {to:DateTime64(3)}
)
GROUP BY date, key
ORDER BY date, key
