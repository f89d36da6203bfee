-- Per operating day in [from_day, to_day]: the current stored build of its workforce facts
-- (version 0 = none) with the roster version, excused fingerprint and count of stored events
-- (of the UTC days it read) it was built from, and
-- the same inputs now: the roster version in force (newest upload touching the day), the
-- last roster segment end (the day is closed once now passes it + the sign-out grace), and
-- a fingerprint of the excused spans within two days of it (a span's figures reach at most
-- a day either side of its UTC dates, even in a +14 h zone).
SELECT
    toString(d) AS day,
    toUnixTimestamp64Milli(argMax(fv, fv)) AS version_ms,
    argMax(f_roster, fv) AS built_roster_v,
    argMax(f_exc, fv) AS built_excused_fp,
    argMax(f_seen, fv) AS built_events_seen,
    max(r_v) AS roster_v,
    toUnixTimestamp64Milli(max(r_end)) AS max_end_ms,
    toString(groupBitXor(x_h)) || ':' || toString(sum(x_n)) AS excused_fp
FROM
(
    SELECT day AS d, version AS fv, roster_v AS f_roster, excused_fp AS f_exc, events_seen AS f_seen,
           toUInt64(0) AS r_v, toDateTime64(0, 3, 'UTC') AS r_end, toUInt64(0) AS x_h, toUInt64(0) AS x_n
    FROM {db}.workforce_fact_days
    WHERE site = {site:String} AND cfg = {cfg:String} AND day >= {from_day:Date} AND day <= {to_day:Date}
    UNION ALL
    SELECT day, toDateTime64(0, 3, 'UTC'), 0, '', toUInt64(0), max(version), max(end), 0, 0
    FROM {db}.roster_segments
    WHERE site = {site:String} AND day >= {from_day:Date} AND day <= {to_day:Date}
    GROUP BY day
    UNION ALL
    SELECT d, toDateTime64(0, 3, 'UTC'), 0, '', toUInt64(0), 0, toDateTime64(0, 3, 'UTC'), groupBitXor(h), count()
    FROM
    (
        SELECT arrayJoin(arrayMap(i -> toDate(start) - 2 + i, range(toUInt64(dateDiff('day', toDate(start), toDate(end)) + 5)))) AS d,
               cityHash64(id, agent, start, end) AS h
        FROM {db}.excused_spans
        WHERE site = {site:String} AND start < toDateTime64({to_day:Date} + 3, 3, 'UTC') AND end > toDateTime64({from_day:Date} - 3, 3, 'UTC')
    )
    WHERE d >= {from_day:Date} AND d <= {to_day:Date}
    GROUP BY d
)
GROUP BY d
ORDER BY d
