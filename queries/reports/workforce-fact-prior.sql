-- The last agent event before {before} of each agent rostered on {day}, when it left the agent
-- signed in (not a sign-out): its state key (as conformance-agent-days.sql names states) and
-- time. Reads back {back_ms} (a report's longest range): older events no report reads.
SELECT agent, argMax(key, (ts, id)) AS k, toUnixTimestamp64Milli(max(ts)) AS t_ms
FROM
(
    SELECT agent, ts, id,
           multiIf(type = 'agent.login', 'not_ready', type = 'agent.logout', 'logged_out',
                   state = 'not_ready' AND reason != '', concat('not_ready:', reason), toString(state)) AS key
    FROM {db}.events
    WHERE site = {site:String}
      AND type IN ('agent.login', 'agent.logout', 'agent.state')
      AND ts < {before:DateTime64(3)} AND ts >= {before:DateTime64(3)} - toIntervalMillisecond({back_ms:Int64})
      AND agent IN (SELECT agent FROM {db}.roster_segments WHERE site = {site:String} AND day = {day:Date})
)
GROUP BY agent
HAVING k != 'logged_out'
