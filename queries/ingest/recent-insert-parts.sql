-- The active events parts holding any of the last {blocks} inserts: block numbers only
-- grow, and a merged part keeps the highest of its sources, so a merge does not hide them.
-- With the newest receive time among their rows.
WITH parts AS
(
    SELECT name
    FROM system.parts
    WHERE database = {db:String} AND table = 'events' AND active
      AND max_block_number > (SELECT max(max_block_number) FROM system.parts WHERE database = {db:String} AND table = 'events' AND active) - {blocks:UInt32}
)
SELECT
    (SELECT groupArray(name) FROM parts) AS parts,
    (SELECT toUnixTimestamp64Milli(max(received_at)) FROM {db}.events WHERE _part IN (SELECT name FROM parts)) AS newest_ms
