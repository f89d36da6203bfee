-- The materialized views of the database with their target and SELECT, so start-up can run
-- each SELECT again over the newest events (ingest/src/adapters/clickhouse/derived.ts).
SELECT name, create_table_query, as_select
FROM system.tables
WHERE database = {db:String} AND engine = 'MaterializedView'
