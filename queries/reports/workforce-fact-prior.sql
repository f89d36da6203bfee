-- The last agent event before {before} of each agent rostered on {day}..{day_to}, when it left the agent
-- signed in (not a sign-out): its state key (as conformance-agent-days.sql names states) and
-- time. Whole UTC days before come from agent_last_events (migration 0023), the part of
-- {before}'s own UTC day from the events. Reads back {back_ms} (a report's longest range).
SELECT agent, tupleElement(m, 3) AS k, toUnixTimestamp64Milli(tupleElement(m, 1)) AS t_ms
FROM
(
    SELECT agent, max(last) AS m
    FROM
    (
        SELECT agent, last
        FROM {db}.agent_last_events
        WHERE site = {site:String}
          AND day < toDate({before:DateTime64(3)}, 'UTC')
          AND day >= toDate({before:DateTime64(3)} - toIntervalMillisecond({back_ms:Int64}), 'UTC')
          AND agent IN (SELECT agent FROM {db}.roster_segments WHERE site = {site:String} AND day >= {day:Date} AND day <= {day_to:Date})
        UNION ALL
        SELECT agent, tuple(ts, id, multiIf(type = 'agent.login', 'not_ready', type = 'agent.logout', 'logged_out',
                                            state = 'not_ready' AND reason != '', concat('not_ready:', reason), toString(state)))
        FROM {db}.events
        WHERE site = {site:String}
          AND type IN ('agent.login', 'agent.logout', 'agent.state')
          AND ts >= toStartOfDay({before:DateTime64(3)}, 'UTC') AND ts < {before:DateTime64(3)}
          AND agent IN (SELECT agent FROM {db}.roster_segments WHERE site = {site:String} AND day >= {day:Date} AND day <= {day_to:Date})
    )
    GROUP BY agent
)
-- A UTC day's last event can precede the window's start (its day straddles it): then the
-- agent had no event in the window.
WHERE k != 'logged_out' AND tupleElement(m, 1) >= {before:DateTime64(3)} - toIntervalMillisecond({back_ms:Int64})
