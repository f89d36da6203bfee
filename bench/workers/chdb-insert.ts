// The storage yardstick: raw inserts of Floorwatch's own event rows into the embedded
// ClickHouse by its fastest path (chdb rawInsert of a JSONEachRow Buffer), in a process of
// its own with its own temporary data folder, into the events table as the migrations
// leave it, with its materialized views dropped.
import { rmSync } from 'node:fs';
import { migrate } from '../../ingest/src/adapters/clickhouse/migrate.js';
import { openStore } from '../../ingest/src/adapters/clickhouse/store.js';
import { validateLine, type FwEvent } from '../../ingest/src/core/contract.js';
import { toEventRow } from '../../ingest/src/pipeline/rows.js';
import { LineGen } from '../lib/lines.js';
import { tempDir } from '../lib/proc.js';
import { config, fail, finish, ready } from './ipc.js';

const c = config<{ batches: { rows: number; count: number }[]; agents: number }>();

async function main(): Promise<void> {
  const dataDir = tempDir('chdb');
  const store = await openStore({ storage: 'embedded', dataDir, clickhouse: { url: '', user: 'default', password: '', database: 'bench' } });
  // The events table exactly as migrations leave it (codecs, index), without the
  // materialized views that hang off it: the yardstick is the raw insert alone.
  await migrate(store);
  const views = await store.client.query({ query: `SELECT name FROM system.tables WHERE database = 'bench' AND engine = 'MaterializedView'`, format: 'JSONEachRow' });
  for (const { name } of await views.json<{ name: string }>()) await store.client.command({ query: `DROP VIEW bench.\`${name}\`` });
  const gen = new LineGen({ site: 'bench', prefix: 'r', agents: c.agents, queues: 50 });
  const now = Date.now();
  const rows = (n: number): Buffer => {
    const ts = new Date().toISOString();
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const text = gen.line(ts);
      const r = validateLine(text, now);
      if (!r.ok) throw new Error(r.error);
      out.push(toEventRow(r.event as FwEvent, text, now, 'bench', false));
    }
    return Buffer.from(out.join('\n') + '\n');
  };
  // Warm-up: the first insert creates the part machinery.
  await store.insertNdjson('events', rows(1000));
  ready();
  const result: { rows: number; rowsPerSec: number[]; bytesPerRow: number }[] = [];
  for (const b of c.batches) {
    const rates: number[] = [];
    let bytes = 0;
    for (let k = 0; k < b.count; k++) {
      const body = rows(b.rows);
      bytes = body.length / b.rows;
      const t0 = performance.now();
      await store.insertNdjson('events', body);
      rates.push(b.rows / ((performance.now() - t0) / 1000));
    }
    result.push({ rows: b.rows, rowsPerSec: rates, bytesPerRow: Math.round(bytes) });
  }
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
  finish(result);
}

main().catch(fail);
