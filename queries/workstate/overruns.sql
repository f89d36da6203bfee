-- Time over the not-ready limit per span (工作状态管理): each agent's state runs from its
-- agent events (repeats of the same state and reason collapsed, as the live engine does),
-- a run in a limited reason that lasted longer than its limit is over by the difference.
-- Limits come in as parallel arrays keyed "team<TAB>reason" (a team's own) and
-- "*<TAB>reason" (the site's). A run still open at {now} is measured to {now}. Runs are
-- assigned to the operating day (site zone) of their start.
WITH
    ev AS (
        SELECT agent, ts, id,
               multiIf(type = 'agent.login', 'not_ready', type = 'agent.logout', 'logged_out', toString(state)) AS st,
               if(type = 'agent.state', reason, '') AS rs
        FROM {db}.events
        WHERE site = {site:String}
          AND type IN ('agent.login', 'agent.logout', 'agent.state')
          AND ts >= {ev_from:DateTime64(3)} AND ts < {to:DateTime64(3)}
          AND ts <= {now:DateTime64(3)}
    ),
    teams AS (
        SELECT agent, argMax(team, ts) AS last_team
        FROM {db}.events
        WHERE site = {site:String} AND type = 'agent.login' AND team != ''
          AND ts >= {ev_from:DateTime64(3)} AND ts < {to:DateTime64(3)}
        GROUP BY agent
    ),
    marked AS (
        SELECT agent, ts, id, st, rs,
               lagInFrame(concat(st, ':', rs), 1, '') OVER (PARTITION BY agent ORDER BY ts, id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS prev_key
        FROM ev
    ),
    runs AS (
        SELECT agent, ts AS start, st, rs,
               leadInFrame(ts, 1, toDateTime64({now:DateTime64(3)}, 3, 'UTC')) OVER (PARTITION BY agent ORDER BY ts, id ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING) AS next_ts
        FROM marked
        WHERE concat(st, ':', rs) != prev_key
    ),
    limited AS (
        SELECT r.agent AS agent, t.last_team AS team, r.start AS start, least(r.next_ts, toDateTime64({now:DateTime64(3)}, 3, 'UTC')) AS end_ts, r.rs AS reason,
               indexOf({lim_keys:Array(String)}, concat(t.last_team, '\t', r.rs)) AS i_team,
               indexOf({lim_keys:Array(String)}, concat('*\t', r.rs)) AS i_site
        FROM runs AS r
        LEFT JOIN teams AS t ON t.agent = r.agent
        WHERE r.st = 'not_ready' AND r.rs != ''
          AND r.start >= {from:DateTime64(3)} AND r.start < {to:DateTime64(3)}
    )
SELECT agent, team, reason,
       toString(toDate(addMinutes(start, -{day_start_min:Int32}), {tz:String})) AS day,
       toUnixTimestamp64Milli(start) AS start_ms,
       toUnixTimestamp64Milli(end_ts) AS end_ms,
       arrayElement({lim_ms:Array(UInt64)}, if(i_team > 0, i_team, i_site)) AS limit_ms,
       greatest(toInt64(toUnixTimestamp64Milli(end_ts) - toUnixTimestamp64Milli(start)) - toInt64(limit_ms), 0) AS over_ms
FROM limited
WHERE i_team > 0 OR i_site > 0
ORDER BY day, agent, start
