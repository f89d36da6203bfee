// The two insert routes into the embedded ClickHouse, side by side: Floorwatch's Native
// block through a spool file (native-rows.ts, store.ts) and the JSONEachRow body a bare
// pipeline hands to chdb's rawInsert. Both take Floorwatch's own event rows, in a process of
// their own with its own temporary data folder, into the events table as the migrations
// leave it (views included, as under ingest). They take turns, so a noisy stretch of the
// machine hits both alike. Reports rows/s and the process's CPU per row.
import { rmSync } from 'node:fs';
import { migrate } from '../../ingest/src/adapters/clickhouse/migrate.js';
import { openStore } from '../../ingest/src/adapters/clickhouse/store.js';
import { validateLine } from '../../ingest/src/core/contract.js';
import {
  eventBlock,
  insertEventBlock,
  type EventRow,
} from '../../ingest/src/pipeline/native-rows.js';
import { LineGen } from '../lib/lines.js';
import { tempDir } from '../lib/proc.js';
import { jsonEachRow } from './bare-rows.js';
import { config, fail, finish, ready } from './ipc.js';

export type InsertRoute = 'Native via file()' | 'JSONEachRow via rawInsert';

export interface ChdbInsertResult {
  route: InsertRoute;
  rows: number;
  rowsPerSec: number[];
  /** CPU of the whole process (engine threads included) per row, in µs. */
  cpuUsPerRow: number[];
  bytesPerRow: number;
}

const c = config<{ rows: number; count: number; agents: number }>();
const ROUTES: readonly InsertRoute[] = ['Native via file()', 'JSONEachRow via rawInsert'];

async function main(): Promise<void> {
  const dataDir = tempDir('chdb');
  const store = await openStore({
    storage: 'embedded',
    dataDir,
    clickhouse: { url: '', user: 'default', password: '', database: 'bench' },
  });
  await migrate(store);
  const gen = new LineGen({ site: 'bench', prefix: 'r', agents: c.agents, queues: 50 });
  const body = (n: number, route: InsertRoute): Buffer => {
    const ts = new Date().toISOString();
    const now = Date.now();
    const rows: EventRow[] = [];
    const lines: string[] = [];
    for (let i = 0; i < n; i++) {
      const text = gen.line(ts);
      const r = validateLine(text, now);
      if (!r.ok) throw new Error(r.error);
      if (route === 'Native via file()')
        rows.push({ event: r.event, raw: text, receivedAt: now, producer: 'bench', late: false });
      else lines.push(jsonEachRow(text, now));
    }
    return route === 'Native via file()' ? eventBlock(rows) : Buffer.from(lines.join('\n') + '\n');
  };
  const insert = (b: Buffer, route: InsertRoute): Promise<void> =>
    route === 'Native via file()' ? insertEventBlock(store, b) : store.insertNdjson('events', b);
  // Warm-up: the first insert of each route creates the part machinery.
  for (const r of ROUTES) await insert(body(1000, r), r);
  ready();
  const out = new Map<InsertRoute, ChdbInsertResult>(
    ROUTES.map((r) => [
      r,
      { route: r, rows: c.rows, rowsPerSec: [], cpuUsPerRow: [], bytesPerRow: 0 },
    ]),
  );
  for (let k = 0; k < c.count; k++) {
    for (const r of k % 2 ? [...ROUTES].reverse() : ROUTES) {
      const b = body(c.rows, r);
      const res = out.get(r) as ChdbInsertResult;
      res.bytesPerRow = Math.round(b.length / c.rows);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await insert(b, r);
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(c0);
      res.rowsPerSec.push(c.rows / (ms / 1000));
      res.cpuUsPerRow.push((cpu.user + cpu.system) / c.rows);
    }
  }
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
  finish([...out.values()]);
}

main().catch(fail);
