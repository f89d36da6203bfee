-- Excused spans (问题时长) of a site overlapping [from, to), optionally only some agents
-- (an empty list means all). Used to check new spans for overlaps and by the restart restore.
SELECT id, agent, toUnixTimestamp64Milli(start) AS start_ms, toUnixTimestamp64Milli(end) AS end_ms, reason, entered_by, toUnixTimestamp64Milli(entered_at) AS entered_at_ms
FROM {db}.excused_spans
WHERE site = {site:String} AND start < {to:DateTime64(3)} AND end > {from:DateTime64(3)}
  AND (length({agents:Array(String)}) = 0 OR has({agents:Array(String)}, agent))
ORDER BY agent, start
