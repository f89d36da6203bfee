-- Every step of the break requests of a site made in [from, to), oldest first (FINAL: a
-- restart may have stored a step twice).
SELECT id, action, toUnixTimestamp64Milli(at) AS at_ms, by, agent, team, reason, minutes, source,
       toUnixTimestamp64Milli(requested_at) AS requested_ms, requested_by, status, note
FROM {db}.break_requests FINAL
WHERE site = {site:String}
  AND requested_at >= {from:DateTime64(3)} AND requested_at < {to:DateTime64(3)}
-- Steps taken in the same millisecond keep their order: asked, then the rule's answer.
ORDER BY requested_at, id, at, indexOf(['requested', 'deferred', 'granted', 'refused', 'started', 'cancelled'], action)
