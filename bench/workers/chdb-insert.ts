// The storage yardstick: raw inserts of Floorwatch's own event rows into the embedded
// ClickHouse by its fastest path (chdb rawInsert of a JSONEachRow Buffer), in a process of
// its own with its own temporary data folder, into a table with the events schema
// (queries/migrations/0001, events table only: no materialized views hang off it).
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { openStore } from '../../ingest/src/adapters/clickhouse/store.js';
import { validateLine, type FwEvent } from '../../ingest/src/core/contract.js';
import { toEventRow } from '../../ingest/src/pipeline/rows.js';
import { LineGen } from '../lib/lines.js';
import { ROOT, tempDir } from '../lib/proc.js';
import { config, fail, finish, ready } from './ipc.js';

const c = config<{ batches: { rows: number; count: number }[]; agents: number }>();

async function main(): Promise<void> {
  const dataDir = tempDir('chdb');
  const store = await openStore({ storage: 'embedded', dataDir, clickhouse: { url: '', user: 'default', password: '', database: 'bench' } });
  const sql = readFileSync(path.join(ROOT, 'queries/migrations/0001_create_events.sql'), 'utf8');
  const create = sql.split(/;\s*\n/).find((s) => /CREATE TABLE IF NOT EXISTS \{db\}\.events\b/.test(s));
  if (!create) throw new Error('no CREATE TABLE {db}.events in 0001_create_events.sql');
  await store.client.command({ query: create.replace(/\{db\}/g, 'bench').replace(/^(\s*--.*\n)+/m, '') });
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
