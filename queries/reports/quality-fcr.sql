-- First-contact resolution (一次解决率) per operating day and key (site or team): calls whose
-- call.offered carries a caller key, and how many of them were not followed by another call
-- from the same caller within {fcr_ms} (and up to {now}). A call counts once, at its first
-- offer. Team is the team of the agent who answered it.
WITH
    {tz:String} AS tz,
    teams AS
    (
        SELECT agent, argMax(team, ts) AS last_team
        FROM {db}.events
        WHERE site = {site:String} AND type = 'agent.login' AND team != '' AND ts <= {now:DateTime64(3)}
        GROUP BY agent
    ),
    calls AS
    (
        SELECT
            call,
            minIf(ts, type = 'call.offered' AND caller != '') AS first_ts,
            toUnixTimestamp64Milli(first_ts) AS ts_ms,
            argMinIf(caller, ts, type = 'call.offered' AND caller != '') AS who,
            argMinIf(agent, ts, type = 'call.answered') AS answered_by
        FROM
        (
            SELECT call, ts, type, agent, if(type = 'call.offered', JSONExtractString(raw, 'caller'), '') AS caller
            FROM {db}.events
            WHERE site = {site:String} AND type IN ('call.offered', 'call.answered')
              AND ts >= {from:DateTime64(3)} AND ts <= {now:DateTime64(3)}
        )
        GROUP BY call
        HAVING countIf(type = 'call.offered' AND caller != '') > 0
    ),
    by_caller AS
    (
        SELECT who, groupArray(ts_ms) AS times FROM calls GROUP BY who
    ),
    judged AS
    (
        SELECT c.*, arrayExists(x -> x > c.ts_ms AND x <= c.ts_ms + {fcr_ms:Int64}, b.times) AS again
        FROM calls AS c
        INNER JOIN by_caller AS b ON b.who = c.who
    )
SELECT
    toString(toDate(addMinutes(toTimeZone(j.first_ts, tz), -{ds_min:Int32}))) AS date,
    if({by:String} = 'team', t.last_team, {site:String}) AS key,
    count() AS calls,
    countIf(NOT again) AS resolved_first
FROM judged AS j
LEFT JOIN teams AS t ON t.agent = j.answered_by
WHERE j.first_ts < {to:DateTime64(3)}
GROUP BY date, key
ORDER BY date, key
