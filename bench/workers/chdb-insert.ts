// The storage yardstick: raw inserts of Floorwatch's own event rows into the embedded
// ClickHouse by each path chdb offers: `INSERT … SELECT FROM file()` of a spool file in
// /dev/shm (what Floorwatch does, store.ts InsertVia) in Native (native-rows.ts, Floorwatch's
// format), TabSeparated (rows.ts) and CSV, and chdb's rawInsert of a Buffer (handed to the
// engine inline with the query; text formats only) in TabSeparated, JSONCompactEachRow,
// JSONEachRow and CSV. In a process
// of its own with its own temporary data folder, into the events table as the migrations
// leave it, with its materialized views dropped. The paths and formats take turns, so a noisy
// stretch of the machine hits all alike.
import { rmSync } from 'node:fs';
import { migrate } from '../../ingest/src/adapters/clickhouse/migrate.js';
import { openStore, type InsertVia } from '../../ingest/src/adapters/clickhouse/store.js';
import { validateLine, type FwEvent } from '../../ingest/src/core/contract.js';
import { eventBlock, type EventRow } from '../../ingest/src/pipeline/native-rows.js';
import { EVENT_COLUMNS, chTimestamp, toEventRow } from '../../ingest/src/pipeline/rows.js';
import { LineGen } from '../lib/lines.js';
import { tempDir } from '../lib/proc.js';
import { config, fail, finish, ready } from './ipc.js';

export type InsertFormat = 'Native' | 'TabSeparated' | 'JSONCompactEachRow' | 'JSONEachRow' | 'CSV';

export interface ChdbInsertResult {
  format: InsertFormat;
  via: InsertVia;
  rows: number;
  rowsPerSec: number[];
  bytesPerRow: number;
  /** Back-to-back inserts for a stretch of time (merges included) rather than one at a time. */
  sustained?: boolean;
  /** Sustained only: CPU of the whole process (engine threads included) per run, in cores. */
  cores?: number[];
}

const c = config<{ batches: { rows: number; count: number }[]; agents: number; sustained?: { rows: number; seconds: number; runs: number } }>();

/** Every (path, format) measured; JSONEachRow goes by rawInsert only (store.ts). */
const MODES: readonly { via: InsertVia; format: InsertFormat }[] = [
  { via: 'file', format: 'Native' },
  { via: 'file', format: 'TabSeparated' },
  { via: 'file', format: 'CSV' },
  { via: 'rawInsert', format: 'TabSeparated' },
  { via: 'rawInsert', format: 'JSONCompactEachRow' },
  { via: 'rawInsert', format: 'JSONEachRow' },
  { via: 'rawInsert', format: 'CSV' },
];
type Loose = FwEvent & Partial<Record<(typeof EVENT_COLUMNS)[number], unknown>>;

/** The columns' values of an event in EVENT_COLUMNS order, raw last (left to the format). */
function values(ev: FwEvent, receivedAt: number): unknown[] {
  const e = ev as Loose;
  return [e.site, e.id, e.type, chTimestamp(e.ts), chTimestamp(receivedAt), e.agent ?? '', e.name ?? '', e.team ?? '', e.queues ?? [], e.state ?? '', e.reason ?? '', e.call ?? '', e.queue ?? '', e.to_queue ?? '', e.to_agent ?? '', 0, 'bench'];
}

/** JSONCompactEachRow: one array of every column's value, the raw line (a JSON object) unescaped as the last. */
function compactRow(ev: FwEvent, raw: string, receivedAt: number): string {
  const head = JSON.stringify(values(ev, receivedAt));
  return `${head.slice(0, -1)},${raw}]`;
}

/** CSV: a field with a comma, quote or line break is quoted, its quotes doubled; an array is its quoted text. */
function csvRow(ev: FwEvent, raw: string, receivedAt: number): string {
  const q = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const cell = (v: unknown): string => (Array.isArray(v) ? q(`[${v.map((x: string) => `'${x.replace(/[\\']/g, '\\$&')}'`).join(',')}]`) : q(String(v)));
  return [...values(ev, receivedAt).map(cell), q(raw)].join(',');
}

/**
 * The same event as a JSONEachRow row, built the quickest way: only the fields it has (the
 * columns default the rest), and the raw line, a JSON object, as the value of "raw" without
 * escaping (input_format_json_read_objects_as_strings stores it as its text). This was
 * Floorwatch's own row format until session 6.
 */
function jsonRow(ev: FwEvent, raw: string, receivedAt: number): string {
  const { ts, ...rest } = ev as FwEvent & Record<string, unknown>;
  const head = JSON.stringify({ ...rest, ts: chTimestamp(ts), received_at: chTimestamp(receivedAt), producer: 'bench' });
  return `${head.slice(0, -1)},"raw":${raw}}`;
}

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
  const rows = (n: number, format: InsertFormat): Buffer => {
    const ts = new Date().toISOString();
    const out: string[] = [];
    const block: EventRow[] = [];
    for (let i = 0; i < n; i++) {
      const text = gen.line(ts);
      const r = validateLine(text, now);
      if (!r.ok) throw new Error(r.error);
      const ev = r.event as FwEvent;
      if (format === 'Native') {
        block.push({ event: ev, raw: text, receivedAt: now, producer: 'bench', late: false });
        continue;
      }
      out.push(format === 'TabSeparated' ? toEventRow(ev, text, now, 'bench', false) : format === 'JSONEachRow' ? jsonRow(ev, text, now) : format === 'CSV' ? csvRow(ev, text, now) : compactRow(ev, text, now));
    }
    return format === 'Native' ? eventBlock(block) : Buffer.from(out.join('\n') + '\n');
  };
  const insert = (body: Buffer, format: InsertFormat, via: InsertVia, token?: string): Promise<void> =>
    format === 'JSONEachRow' ? store.insertNdjson('events', body, token) : store.insertRows('events', EVENT_COLUMNS, format, body, token, via);
  // Warm-up: the first insert of each path and format creates the part machinery.
  for (const m of MODES) await insert(rows(1000, m.format), m.format, m.via);
  ready();
  const result: ChdbInsertResult[] = [];
  const key = (m: { via: InsertVia; format: InsertFormat }): string => `${m.via} ${m.format}`;
  for (const b of c.batches) {
    const rates = new Map<string, number[]>(MODES.map((m) => [key(m), []]));
    const bytes = new Map<string, number>();
    for (let k = 0; k < b.count; k++) {
      // Alternating which goes first, so none always follows the others' merges.
      for (const m of k % 2 ? [...MODES].reverse() : MODES) {
        const body = rows(b.rows, m.format);
        bytes.set(key(m), body.length / b.rows);
        const t0 = performance.now();
        await insert(body, m.format, m.via);
        rates.get(key(m))?.push(b.rows / ((performance.now() - t0) / 1000));
      }
    }
    for (const m of MODES) result.push({ format: m.format, via: m.via, rows: b.rows, rowsPerSec: rates.get(key(m)) ?? [], bytesPerRow: Math.round(bytes.get(key(m)) ?? 0) });
  }
  if (c.sustained) {
    // Sustained: insert after insert for `seconds`, so the background merges of the parts
    // made meanwhile compete for the cores as they do under ingest. The bodies are built
    // first and reused; a token per insert keeps the table's block dedupe from skipping one.
    const { rows: n, seconds, runs } = c.sustained;
    const bodies = [rows(n, 'Native'), rows(n, 'Native'), rows(n, 'Native')];
    const rates: number[] = [];
    const cores: number[] = [];
    let k = 0;
    for (let r = 0; r < runs; r++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      let done = 0;
      while (performance.now() - t0 < seconds * 1000) {
        await insert(bodies[k % bodies.length] as Buffer, 'Native', 'file', `sustained-${k}`);
        k++;
        done += n;
      }
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(c0);
      rates.push(done / (ms / 1000));
      cores.push((cpu.user + cpu.system) / 1000 / ms);
    }
    result.push({ format: 'Native', via: 'file', rows: n, rowsPerSec: rates, bytesPerRow: Math.round((bodies[0] as Buffer).length / n), sustained: true, cores });
  }
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
  finish(result);
}

main().catch(fail);
