// Child process of derived-buffers.test.ts: opens a store on the given data folder,
// migrates, makes the derived tables' Buffers hold their rows for an hour (so what follows
// certainly stays in memory), inserts the event rows (a Native block, native-rows.ts) of the
// given file, reports how many the events table holds, and waits to be killed.
import { readFileSync } from 'node:fs';
import { migrate } from '../../ingest/src/adapters/clickhouse/migrate.js';
import { openStore } from '../../ingest/src/adapters/clickhouse/store.js';
import { insertEventBlock } from '../../ingest/src/pipeline/native-rows.js';

// (stdin is not used: chdb reads a piped stdin as an insert's external data.)
const [dataDir, database, rowsFile] = process.argv.slice(2) as [string, string, string];
const store = await openStore({ storage: 'embedded', dataDir, clickhouse: { url: '', user: '', password: '', database } });
await migrate(store);
const views = await (
  await store.client.query({ query: `SELECT name, create_table_query FROM system.tables WHERE database = {db:String} AND engine = 'MaterializedView'`, query_params: { db: database }, format: 'JSONEachRow' })
).json<{ name: string; create_table_query: string }>();
for (const v of views) {
  const target = / TO (\S+) /.exec(v.create_table_query)?.[1] as string;
  await store.client.command({ query: `DROP VIEW ${database}.${v.name}` });
  await store.client.command({ query: `DROP TABLE ${target}` });
  await store.client.command({ query: `CREATE TABLE ${target} AS ${target}_data ENGINE = Buffer(${database}, ${target.split('.')[1]}_data, 1, 3600, 3600, 1000000000, 1000000000, 1000000000000, 1000000000000)` });
  await store.client.command({ query: v.create_table_query });
}
await insertEventBlock(store, readFileSync(rowsFile));
const [n] = await (await store.client.query({ query: `SELECT count() AS n FROM ${database}.events`, format: 'JSONEachRow' })).json<{ n: number | string }>();
process.stdout.write(`${JSON.stringify({ inserted: Number(n?.n) })}\n`);
setInterval(() => {}, 60_000);
