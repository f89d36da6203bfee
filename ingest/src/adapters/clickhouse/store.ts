// One ClickHouse client API, two back ends: the embedded engine (chdb through
// @clickhouse/client's connection hook) or a ClickHouse server over HTTP. The hot insert
// path uses the fastest route each back end offers, behind `insertNdjson` and `insertRows`.
import { createClient, type ClickHouseClient, type ClickHouseClientConfigOptions } from '@clickhouse/client';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, unlinkSync, writeFileSync, writeSync, writevSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { AppConfig } from '../../config.js';
import { flushBuffers } from './derived.js';

/** Positional formats the hot insert path takes (the bench's yardstick tries each): Native blocks (native-rows.ts) or text. */
export type RowFormat = 'Native' | 'TabSeparated' | 'JSONCompactEachRow' | 'CSV';

/**
 * How the embedded engine takes an insert body. `file`: the body is written to a spool file
 * and read by `INSERT … SELECT * FROM file(…)`, in any format (events go as Native blocks).
 * `rawInsert`: chdb's rawInsert, which hands a text body to the engine inline with the query
 * text. On this 2-core machine, for the same TabSeparated event rows in a process of their
 * own: 10k-row inserts 501k rows/s and 3.6 µs of CPU per row through a file, 290k and 5.5 µs
 * through rawInsert; 100k-row inserts 604k and 2.2 µs against 283k and 4.0 µs. rawInsert's
 * calling thread spends ~0.6 µs per row in one function of libchdb's client code (perf:
 * called from ClientBase::processParsedSingleQuery; it writes terminal style codes), and a
 * file read has no such step. rawInsert takes text formats only, not Native.
 */
export type InsertVia = 'file' | 'rawInsert';

/** An insert's bytes: one buffer, or pieces that follow one another (a Native block's columns). */
export type InsertBytes = Buffer | readonly Buffer[];

const whole = (body: InsertBytes): Buffer => (Buffer.isBuffer(body) ? body : body.length === 1 ? (body[0] as Buffer) : Buffer.concat(body));

/**
 * The memory spool folder for insert bodies: a new folder in /dev/shm (tmpfs) when the
 * machine has it, else none. Its name carries the process id, so folders left by a process
 * that was killed are removed by the next one.
 */
function memorySpool(): string | null {
  const shm = '/dev/shm';
  try {
    if (!existsSync(shm)) return null;
    for (const name of readdirSync(shm)) {
      const pid = /^floorwatch-inserts-(\d+)-/.exec(name)?.[1];
      if (pid && !alive(Number(pid))) rmSync(path.join(shm, name), { recursive: true, force: true });
    }
    return mkdtempSync(path.join(shm, `floorwatch-inserts-${process.pid}-`));
  } catch {
    return null;
  }
}

/** Writes pieces to a new file in order, with one system call for them all (no joined copy). */
function writePieces(file: string, pieces: readonly Buffer[]): void {
  let want = 0;
  for (const p of pieces) want += p.length;
  const fd = openSync(file, 'w');
  try {
    let done = writevSync(fd, pieces as Buffer[]);
    // A regular file takes a whole writev unless it runs out of room; finish any rest.
    if (done < want) done += writeSync(fd, Buffer.concat(pieces as Buffer[]).subarray(done));
    if (done < want) throw new Error(`spool file ${file}: wrote ${done} of ${want} bytes`);
  } finally {
    closeSync(fd);
  }
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Not there (a write that failed before creating it).
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** ` SETTINGS a = 1, b = 'x'` for an INSERT … SELECT (values are numbers or plain strings). */
function settingsSql(settings: Record<string, string | number>): string {
  const parts = Object.entries(settings).map(([k, v]) => `${k} = ${typeof v === 'number' ? v : `'${v.replace(/[\\']/g, '\\$&')}'`}`);
  return parts.length ? ` SETTINGS ${parts.join(', ')}` : '';
}

export interface Store {
  readonly kind: 'embedded' | 'server';
  readonly client: ClickHouseClient;
  readonly database: string;
  /** Inserts JSONEachRow bytes (one row per line) into `table` of the database. */
  insertNdjson(table: string, body: InsertBytes, dedupToken?: string): Promise<void>;
  /**
   * Inserts rows in a positional format (fields in the order of `columns`): events go in as
   * Native blocks. `via` picks the embedded engine's path (default: a spool file; the
   * bench's yardstick measures both; rawInsert takes text formats only).
   */
  insertRows(table: string, columns: readonly string[], format: RowFormat, body: InsertBytes, dedupToken?: string, via?: InsertVia): Promise<void>;
  close(): Promise<void>;
}

/** The @clickhouse/client options for a ClickHouse server (kept separate so a test can check them). */
export function serverClientOptions(cfg: AppConfig['clickhouse']): ClickHouseClientConfigOptions {
  return {
    url: cfg.url,
    username: cfg.user,
    password: cfg.password,
    database: cfg.database,
    clickhouse_settings: { date_time_input_format: 'best_effort', output_format_json_quote_64bit_integers: 0 },
    request_timeout: 60_000,
  };
}

/**
 * Settings of every insert. parallel_view_processing: the three materialized views on
 * `events` run side by side instead of one after another (15k-row inserts: ~125 -> ~112 ms,
 * 30k-row: ~180 -> ~160 ms on this 2-core machine). input_format_json_read_objects_as_strings:
 * a JSONEachRow row may give a String column a JSON object, stored as its text.
 */
const INSERT_SETTINGS = { parallel_view_processing: 1, input_format_json_read_objects_as_strings: 1 } as const;

interface ChdbRaw {
  rawInsert(p: { table: string; columns?: readonly string[]; values: Buffer; format: 'JSONEachRow' | Exclude<RowFormat, 'Native'>; settings?: Record<string, string | number> }): Promise<unknown>;
}

const tokenSetting = (dedupToken?: string): Record<string, string> => (dedupToken ? { insert_deduplication_token: dedupToken } : {});

export interface StoreOptions {
  /**
   * The embedded engine's spool folder for insert bodies (see InsertVia). Default: a new
   * folder in /dev/shm; without one, or when a write there fails (tmpfs full), the data
   * folder's `insert-spool`.
   */
  insertSpool?: string;
}

export async function openStore(cfg: Pick<AppConfig, 'storage' | 'dataDir' | 'clickhouse'>, opts: StoreOptions = {}): Promise<Store> {
  const database = cfg.clickhouse.database;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database)) throw new Error(`CLICKHOUSE_DATABASE must be a plain identifier, got "${database}"`);
  if (cfg.storage === 'server') {
    const client = createClient(serverClientOptions(cfg.clickhouse));
    // The database may not exist yet: create it through a client without a default database.
    const admin = createClient({ ...serverClientOptions(cfg.clickhouse), database: 'default' });
    await admin.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
    await admin.close();
    // exec with a raw byte stream: the rows are already in the insert's format, no re-serialising.
    const send = async (target: string, format: 'JSONEachRow' | RowFormat, body: InsertBytes, dedupToken?: string): Promise<void> => {
      const r = await client.exec({
        query: `INSERT INTO ${database}.${target} FORMAT ${format}`,
        values: Readable.from(Buffer.isBuffer(body) ? [body] : body, { objectMode: false }),
        clickhouse_settings: { ...INSERT_SETTINGS, ...tokenSetting(dedupToken) },
      });
      r.stream.resume();
    };
    return {
      kind: 'server',
      client,
      database,
      insertNdjson: (table, body, dedupToken) => send(table, 'JSONEachRow', body, dedupToken),
      insertRows: (table, columns, format, body, dedupToken) => send(`${table} (${columns.join(', ')})`, format, body, dedupToken),
      close: () => client.close(),
    };
  }
  mkdirSync(cfg.dataDir, { recursive: true });
  // chdb's own jemalloc keeps freed insert buffers with no background thread to return
  // them, so a server's RSS stayed at its insert peak; a background thread with a 1 s decay
  // gives them back at no measurable CPU cost (300k events: 5.45 vs 5.47 CPU-s). Read when
  // libchdb loads, so it must be set before the import; an operator's own value wins.
  process.env['JE_MALLOC_CONF'] ??= 'background_thread:true,dirty_decay_ms:1000';
  const { createChdbConnection } = await import('chdb/connection');
  const conn = createChdbConnection({ path: cfg.dataDir });
  const client = createClient({ connection: conn } as unknown as ClickHouseClientConfigOptions);
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
  const raw = conn.chdb as unknown as ChdbRaw;
  const memory = opts.insertSpool ?? memorySpool();
  // On the data folder's disk: for a machine without /dev/shm, or when it is full. Emptied at
  // start: a body there belongs to an insert of a process that is gone.
  const disk = path.join(cfg.dataDir, 'insert-spool');
  rmSync(disk, { recursive: true, force: true });
  let spooled = 0;
  /** Writes a body to a new spool file, in memory if it can; returns its path. */
  const spoolFile = (format: string, body: InsertBytes): string => {
    const name = `${++spooled}.${format}`;
    let err: unknown;
    for (const dir of memory ? [memory, disk] : [disk]) {
      const file = path.join(dir, name);
      // Written synchronously: a copy into memory (~1 ms for 3 MB), while the promise API
      // writes in 512 KiB pieces, each a round trip through the thread pool and the event
      // loop, which lengthened every insert (inserts run one after another, so acknowledged
      // events/s fell: 117k vs 154-160k in 15-s probes at batch 1000).
      try {
        if (dir === disk) mkdirSync(disk, { recursive: true });
        if (Buffer.isBuffer(body)) writeFileSync(file, body);
        else writePieces(file, body);
        return file;
      } catch (e) {
        err = e;
        removeQuietly(file);
      }
    }
    throw err;
  };
  const insert = async (table: string, columns: readonly string[] | undefined, format: 'JSONEachRow' | RowFormat, body: InsertBytes, dedupToken?: string, via?: InsertVia): Promise<void> => {
    const settings = { date_time_input_format: 'best_effort', ...INSERT_SETTINGS, ...tokenSetting(dedupToken) };
    // Positional rows with their columns named go through a spool file; JSONEachRow rows
    // (dead letters, configuration) stay on rawInsert, where an omitted field takes its
    // column's DEFAULT expression.
    if (columns && via !== 'rawInsert') {
      const file = spoolFile(format, body);
      try {
        await client.command({ query: `INSERT INTO ${database}.${table} (${columns.join(', ')})${settingsSql(settings)} SELECT * FROM file('${file.replace(/[\\']/g, '\\$&')}', '${format}')` });
      } finally {
        removeQuietly(file);
      }
      return;
    }
    if (format === 'Native') throw new Error('chdb rawInsert takes text formats only: a Native body goes through a spool file');
    await raw.rawInsert({ table: `${database}.${table}`, ...(columns ? { columns } : {}), values: whole(body), format, settings });
  };
  const store: Store = {
    kind: 'embedded',
    client,
    database,
    insertNdjson: (table, body, dedupToken) => insert(table, undefined, 'JSONEachRow', body, dedupToken),
    insertRows: (table, columns, format, body, dedupToken, via) => insert(table, columns, format, body, dedupToken, via),
    async close() {
      // Closing chdb does not write out Buffer tables (migration 0050): flush them first. A
      // store whose database was never migrated has none; a failure here must not keep the
      // store open, and start-up derives the rows again from the events anyway.
      await flushBuffers(store).catch(() => 0);
      await client.close();
      const chdb = (await import('chdb')) as unknown as { drainPending?: () => Promise<void> };
      // Closing while native work is in flight aborted the process once (design.md).
      if (chdb.drainPending) await chdb.drainPending();
      if (memory && opts.insertSpool === undefined) rmSync(memory, { recursive: true, force: true });
      rmSync(disk, { recursive: true, force: true });
    },
  };
  return store;
}

