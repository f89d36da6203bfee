-- Workforce figures per agent and operating day, the base of the conformance, adherence,
-- attendance and absence reports. Exactly the live engine's definitions
-- (ingest/src/core/workforce/agent-figures.ts), in integer milliseconds:
-- - roster: the newest version of each (day, agent) in roster_segments; segments of a
--   shift crossing midnight carry the day the shift starts in (set on upload);
-- - state timeline: each agent event starts a state lasting until the agent's next event
--   (order ts, id) or `now`: login -> not_ready, logout -> logged_out, agent.state -> its
--   state ("not_ready:<reason>" with a reason). Events from 48 h before the first day;
--   consecutive states of one class are folded into one run, as the live engine does;
-- - everything is clipped to before `now` (today so far);
-- - scheduled = work segments - excused overlap; logged_in = logged-in time within work
--   segments - its excused overlap (excused spans of an agent never overlap);
-- - attended = any logged-in time within a work segment; scheduled (for attendance) = a
--   work segment started before now;
-- - late sign-in / early sign-out: logged-in runs overlapping [first work start - early,
--   last work end + late): late when the first starts after the window opens; early when
--   the last has ended (not still open) before the window closes;
-- - adherence: time of non-neutral segments, and of it the time the state was allowed
--   (adh_acts[i] allows adh_allowed[i]; "not_ready" allows any reason).
WITH
    {now:DateTime64(3)} AS now_t,
    toUnixTimestamp64Milli(now_t) AS now_ms,
    segs AS
    (
        SELECT
            agent,
            team,
            day,
            toUnixTimestamp64Milli(start) AS s,
            toUnixTimestamp64Milli(end) AS e,
            least(e, now_ms) AS ce,
            has({work:Array(String)}, activity) AS is_work,
            indexOf({adh_acts:Array(String)}, activity) AS adh_i
        FROM {db}.roster_segments
        WHERE site = {site:String} AND day >= {from_day:Date} AND day <= {to_day:Date}
          -- only_agents: empty for reports; a stored day's second variant (queries/workforce-facts.ts).
          AND (length({only_agents:Array(String)}) = 0 OR has({only_agents:Array(String)}, agent))
          AND (day, agent, version) IN
          (
              SELECT day, agent, max(version)
              FROM {db}.roster_segments
              WHERE site = {site:String} AND day >= {from_day:Date} AND day <= {to_day:Date}
              GROUP BY day, agent
          )
    ),
    t0s AS
    (
        SELECT agent, min(s) - {early_ms:Int64} AS t0 FROM segs GROUP BY agent
    ),
    raw AS
    (
        SELECT
            e.agent AS agent,
            toUnixTimestamp64Milli(e.ts) AS t,
            e.id AS id,
            multiIf(e.type = 'agent.login', 'not_ready', e.type = 'agent.logout', 'logged_out',
                    e.state = 'not_ready' AND e.reason != '', concat('not_ready:', e.reason), toString(e.state)) AS key,
            t < z.t0 AS pre
        FROM {db}.events AS e
        INNER JOIN t0s AS z ON e.agent = z.agent
        WHERE e.site = {site:String}
          AND e.type IN ('agent.login', 'agent.logout', 'agent.state')
          -- ev_to: a closed day's build reads events up to its last segment end + grace only;
          -- later events cannot change its figures (queries/workforce-facts.ts). Otherwise now.
          AND e.ts >= {ev_from:DateTime64(3)} AND e.ts < least(now_t, {ev_to:DateTime64(3)})
    ),
    ev AS
    (
        -- Each agent starts logged out (a synthetic change at epoch 0), so time before the
        -- first event counts as logged out: allowed by break, lunch and off.
        SELECT
            agent,
            t,
            id,
            key,
            -- The state's class: logged in or not, then in/out for each non-neutral activity.
            -- States of one class are alike for every figure, so a call cycle (ringing,
            -- talking, wrap_up, ready) is one run: a few rows per agent-day to join instead of
            -- one per state change, as the live engine.
            concat(toString(key != 'logged_out'), arrayStringConcat(arrayMap(i -> if(has(arrayElement({adh_allowed:Array(Array(String))}, i), key)
                OR (startsWith(key, 'not_ready:') AND has(arrayElement({adh_allowed:Array(Array(String))}, i), 'not_ready')), '1', '0'),
                range(1, length({adh_acts:Array(String)}) + 1)))) AS cls
        FROM
        (
            -- Before an agent's first segment (less the sign-in grace) only the state at that
            -- instant matters: the last event before it stands for all of them, so a long
            -- look-back (a range starting weeks before today's open day) is not sorted.
            SELECT agent, t, id, key FROM raw WHERE NOT pre
            UNION ALL
            SELECT agent, argMax(t, (t, id)), argMax(id, (t, id)), argMax(key, (t, id)) FROM raw WHERE pre GROUP BY agent
            UNION ALL
            -- init_agents/init_keys: empty for reports (everyone starts logged out); a stored
            -- day's second variant starts them in their state before the look-back.
            SELECT DISTINCT agent, toInt64(0) AS t, '' AS id,
                   transform(agent, {init_agents:Array(String)}, {init_keys:Array(String)}, 'logged_out') AS key
            FROM segs
        )
    ),
    changes AS
    (
        SELECT agent, t, id, key, cls
        FROM
        (
            SELECT agent, t, id, key, cls,
                   lagInFrame(cls, 1, '') OVER (PARTITION BY agent ORDER BY t ASC, id ASC ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS prev_cls
            FROM ev
        )
        WHERE cls != prev_cls
    ),
    runs AS
    (
        SELECT agent, rs, if(next_t IS NULL OR next_t >= now_ms, now_ms, assumeNotNull(next_t)) AS re,
               next_t IS NULL OR next_t >= now_ms AS open, key, key != 'logged_out' AS logged
        FROM
        (
            SELECT agent, t AS rs, key,
                   leadInFrame(toNullable(t)) OVER (PARTITION BY agent ORDER BY t ASC, id ASC ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING) AS next_t
            FROM changes
        )
        WHERE rs < re
    ),
    exc AS
    (
        SELECT agent, toUnixTimestamp64Milli(start) AS xs, toUnixTimestamp64Milli(end) AS xe
        FROM {db}.excused_spans
        WHERE site = {site:String} AND end > {ev_from:DateTime64(3)} AND agent IN (SELECT agent FROM segs)
    ),
    -- Work time covered by excused time, per agent-day: its total, and the pieces (disjoint,
    -- as segments and excused spans each are) to subtract from logged-in time below.
    wx AS
    (
        SELECT
            sg.agent AS agent,
            sg.day AS day,
            groupArray(greatest(sg.s, x.xs)) AS wxs,
            groupArray(least(sg.ce, x.xe)) AS wxe,
            sum(least(sg.ce, x.xe) - greatest(sg.s, x.xs)) AS exc_ms
        FROM segs AS sg INNER JOIN exc AS x ON sg.agent = x.agent
        WHERE sg.is_work AND greatest(sg.s, x.xs) < least(sg.ce, x.xe)
        GROUP BY sg.agent, sg.day
    ),
    base AS
    (
        SELECT
            agent,
            day,
            any(team) AS team,
            groupArray(s) AS ss,
            groupArray(ce) AS ces,
            groupArray(is_work) AS ws,
            groupArray(adh_i) AS ais,
            sumIf(ce - s, is_work AND s < ce) AS raw_sched_ms,
            sumIf(ce - s, adh_i > 0 AND s < ce) AS adh_sched_ms,
            countIf(is_work AND s < ce) > 0 AS scheduled,
            countIf(is_work) > 0 AS has_work,
            minIf(s, is_work) AS s0,
            maxIf(e, is_work) AS e0
        FROM segs
        GROUP BY agent, day
    ),
    -- One row per (agent-day, run): the run's overlap with the day's segments, computed over
    -- the segment arrays, so the event timeline is read and joined once.
    day_run AS
    (
        SELECT
            b.agent AS agent,
            b.day AS day,
            r.rs AS rs,
            r.re AS re,
            r.open AS open,
            if(r.logged, arraySum(arrayMap((s, e, w) -> if(w, greatest(toInt64(0), least(e, r.re) - greatest(s, r.rs)), toInt64(0)), b.ss, b.ces, b.ws)), toInt64(0)) AS logged_raw,
            if(r.logged, arraySum(arrayMap((s, e) -> greatest(toInt64(0), least(e, r.re) - greatest(s, r.rs)), wx.wxs, wx.wxe)), toInt64(0)) AS logged_x,
            arraySum(arrayMap((s, e, ai) -> if(ai > 0 AND (has(arrayElement({adh_allowed:Array(Array(String))}, ai), r.key)
                    OR (startsWith(r.key, 'not_ready:') AND has(arrayElement({adh_allowed:Array(Array(String))}, ai), 'not_ready'))),
                greatest(toInt64(0), least(e, r.re) - greatest(s, r.rs)), toInt64(0)), b.ss, b.ces, b.ais)) AS in_adh,
            b.has_work AND b.s0 < now_ms AND r.logged AND r.re > b.s0 - {early_ms:Int64} AND r.rs < b.e0 + {late_ms:Int64} AS in_w
        FROM base AS b
        INNER JOIN runs AS r ON b.agent = r.agent
        LEFT JOIN wx ON b.agent = wx.agent AND b.day = wx.day
    ),
    run_sums AS
    (
        SELECT
            agent,
            day,
            sum(logged_raw) AS raw_logged_ms,
            sum(logged_x) AS lx_ms,
            sum(in_adh) AS in_adh_ms,
            countIf(in_w) > 0 AS any_w,
            minIf(rs, in_w) AS first_rs,
            argMaxIf(open, rs, in_w) AS last_open,
            argMaxIf(re, rs, in_w) AS last_re
        FROM day_run
        GROUP BY agent, day
    )
SELECT
    b.agent AS agent,
    b.team AS team,
    b.day AS day,
    b.raw_sched_ms - wx.exc_ms AS scheduled_ms,
    rsum.raw_logged_ms - rsum.lx_ms AS logged_in_ms,
    wx.exc_ms AS excused_ms,
    toUInt8(rsum.any_w AND rsum.first_rs > b.s0 - {early_ms:Int64}) AS late,
    toUInt8(rsum.any_w AND NOT rsum.last_open AND rsum.last_re < b.e0 + {late_ms:Int64}) AS early,
    toUInt8(b.scheduled) AS scheduled,
    toUInt8(rsum.raw_logged_ms > 0) AS attended,
    b.adh_sched_ms AS adh_sched_ms,
    rsum.in_adh_ms AS in_adh_ms
FROM base AS b
LEFT JOIN run_sums AS rsum ON b.agent = rsum.agent AND b.day = rsum.day
LEFT JOIN wx ON b.agent = wx.agent AND b.day = wx.day
