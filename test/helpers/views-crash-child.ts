// Child process of derived-rederive.test.ts: opens a store on the given data folder, migrates,
// detaches the materialized views on events (until the next start: what a crash between an
// insert's events part and its views' parts leaves), inserts the event rows (a Native block)
// of the given file, reports how many the events table holds, and waits to be killed.
import { readFileSync } from 'node:fs';
import { migrate } from '../../ingest/src/adapters/clickhouse/migrate.js';
import { openStore } from '../../ingest/src/adapters/clickhouse/store.js';
import { insertEventBlock } from '../../ingest/src/pipeline/native-rows.js';

// (stdin is not used: chdb reads a piped stdin as an insert's external data.)
const [dataDir, database, rowsFile] = process.argv.slice(2) as [string, string, string];
const store = await openStore({
  storage: 'embedded',
  dataDir,
  clickhouse: { url: '', user: '', password: '', database },
});
await migrate(store);
const views = await (
  await store.client.query({
    query: `SELECT name FROM system.tables WHERE database = {db:String} AND engine = 'MaterializedView'`,
    query_params: { db: database },
    format: 'JSONEachRow',
  })
).json<{ name: string }>();
// DETACH without PERMANENTLY: the views are attached again when the data folder is next opened.
for (const v of views) await store.client.command({ query: `DETACH TABLE ${database}.${v.name}` });
await insertEventBlock(store, readFileSync(rowsFile));
const [n] = await (
  await store.client.query({
    query: `SELECT count() AS n FROM ${database}.events`,
    format: 'JSONEachRow',
  })
).json<{ n: number | string }>();
process.stdout.write(`${JSON.stringify({ inserted: Number(n?.n), views: views.length })}\n`);
setInterval(() => {}, 60_000);
