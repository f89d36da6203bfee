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

export interface ChdbInsertResult {
  rows: number;
  rowsPerSec: number[];
  bytesPerRow: number;
  /** Back-to-back inserts for a stretch of time (merges included) rather than one at a time. */
  sustained?: boolean;
}

const c = config<{ batches: { rows: number; count: number }[]; agents: number; sustained?: { rows: number; seconds: number; runs: number } }>();

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
  const result: ChdbInsertResult[] = [];
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
  if (c.sustained) {
    // Sustained: insert after insert for `seconds`, so the background merges of the parts
    // made meanwhile compete for the cores as they do under ingest. The bodies are built
    // first and reused; a token per insert keeps the table's block dedupe from skipping one.
    const { rows: n, seconds, runs } = c.sustained;
    const bodies = [rows(n), rows(n), rows(n)];
    const rates: number[] = [];
    let k = 0;
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      let done = 0;
      while (performance.now() - t0 < seconds * 1000) {
        await store.insertNdjson('events', bodies[k % bodies.length] as Buffer, `sustained-${k}`);
        k++;
        done += n;
      }
      rates.push(done / ((performance.now() - t0) / 1000));
    }
    result.push({ rows: n, rowsPerSec: rates, bytesPerRow: Math.round((bodies[0] as Buffer).length / n), sustained: true });
  }
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
  finish(result);
}

main().catch(fail);
