-- The Buffer tables of the database (migration 0050), to flush them before chdb closes.
SELECT name
FROM system.tables
WHERE database = {db:String} AND engine = 'Buffer'
