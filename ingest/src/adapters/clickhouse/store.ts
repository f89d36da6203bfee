// One ClickHouse client API, two back ends: the embedded engine (chdb through
// @clickhouse/client's connection hook) or a ClickHouse server over HTTP. Events go in as
// Native blocks (docs/benchmarks.md says why), everything else as JSONEachRow.
import { createClient, type ClickHouseClientConfigOptions } from '@clickhouse/client';
import { closeSync, mkdirSync, openSync, rmSync, unlinkSync, writevSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { InsertBytes, Store } from '../../../../queries/store.js';
import type { AppConfig } from '../../config.js';
import { EventDayLedger } from '../../core/event-days.js';

export type { InsertBytes, Store } from '../../../../queries/store.js';

const pieces = (body: InsertBytes): readonly Buffer[] => (Buffer.isBuffer(body) ? [body] : body);
const whole = (body: InsertBytes): Buffer =>
  Buffer.isBuffer(body) ? body : body.length === 1 ? (body[0] as Buffer) : Buffer.concat(body);

/** Writes pieces to a new file in order, with one system call for them all (no joined copy). */
function writePieces(file: string, parts: readonly Buffer[]): void {
  let want = 0;
  for (const p of parts) want += p.length;
  const fd = openSync(file, 'w');
  try {
    let done = 0;
    while (done < want)
      done += writevSync(
        fd,
        done === 0 ? (parts as Buffer[]) : [Buffer.concat(parts as Buffer[]).subarray(done)],
      );
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

/** ` SETTINGS a = 1, b = 'x'` for an INSERT … SELECT (values are numbers or plain strings). */
function settingsSql(settings: Record<string, string | number>): string {
  const parts = Object.entries(settings).map(
    ([k, v]) => `${k} = ${typeof v === 'number' ? v : `'${v.replace(/[\\']/g, '\\$&')}'`}`,
  );
  return parts.length ? ` SETTINGS ${parts.join(', ')}` : '';
}

/** The @clickhouse/client options for a ClickHouse server (kept separate so a test can check them). */
export function serverClientOptions(cfg: AppConfig['clickhouse']): ClickHouseClientConfigOptions {
  return {
    url: cfg.url,
    username: cfg.user,
    password: cfg.password,
    database: cfg.database,
    clickhouse_settings: {
      date_time_input_format: 'best_effort',
      output_format_json_quote_64bit_integers: 0,
    },
    request_timeout: 60_000,
  };
}

/**
 * Settings of every insert. parallel_view_processing: the materialized views on `events` run
 * side by side instead of one after another (each insert waits for all of them).
 * input_format_json_read_objects_as_strings: a JSONEachRow row may give a String column a
 * JSON object, stored as its text.
 */
const INSERT_SETTINGS = {
  parallel_view_processing: 1,
  input_format_json_read_objects_as_strings: 1,
} as const;

interface ChdbRaw {
  rawInsert(p: {
    table: string;
    values: Buffer;
    format: 'JSONEachRow';
    settings?: Record<string, string | number>;
  }): Promise<unknown>;
}

const tokenSetting = (dedupToken?: string): Record<string, string> =>
  dedupToken ? { insert_deduplication_token: dedupToken } : {};

export async function openStore(
  cfg: Pick<AppConfig, 'storage' | 'dataDir' | 'clickhouse'>,
): Promise<Store> {
  const database = cfg.clickhouse.database;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database))
    throw new Error(`CLICKHOUSE_DATABASE must be a plain identifier, got "${database}"`);
  if (cfg.storage === 'server') {
    const client = createClient(serverClientOptions(cfg.clickhouse));
    // The database may not exist yet: create it through a client without a default database.
    const admin = createClient({ ...serverClientOptions(cfg.clickhouse), database: 'default' });
    await admin.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
    await admin.close();
    // exec with a raw byte stream: the rows are already in the insert's format, no re-serialising.
    const send = async (
      target: string,
      format: 'JSONEachRow' | 'Native',
      body: InsertBytes,
      dedupToken?: string,
    ): Promise<void> => {
      const r = await client.exec({
        query: `INSERT INTO ${database}.${target} FORMAT ${format}`,
        values: Readable.from(pieces(body), { objectMode: false }),
        clickhouse_settings: { ...INSERT_SETTINGS, ...tokenSetting(dedupToken) },
      });
      r.stream.resume();
    };
    return {
      kind: 'server',
      client,
      database,
      insertNdjson: (table, body, dedupToken) => send(table, 'JSONEachRow', body, dedupToken),
      insertNative: (table, columns, body, dedupToken) =>
        send(`${table} (${columns.join(', ')})`, 'Native', body, dedupToken),
      eventDays: new EventDayLedger(),
      close: () => client.close(),
    };
  }
  mkdirSync(cfg.dataDir, { recursive: true });
  // chdb's own jemalloc keeps freed insert buffers with no background thread to return
  // them, so a server's RSS stayed at its insert peak; a background thread with a 1 s decay
  // gives them back. Read when libchdb loads, so it must be set before the import; an
  // operator's own value wins.
  process.env['JE_MALLOC_CONF'] ??= 'background_thread:true,dirty_decay_ms:1000';
  const { createChdbConnection } = await import('chdb/connection');
  const conn = createChdbConnection({ path: cfg.dataDir });
  const client = createClient({ connection: conn } as unknown as ClickHouseClientConfigOptions);
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
  const raw = conn.chdb as unknown as ChdbRaw;
  // Native blocks go through a spool file read by INSERT … SELECT FROM file() (chdb's
  // rawInsert takes text formats only). The folder is inside this process's own data
  // folder (the engine holds it alone), so it is emptied at start and never shared.
  const spool = path.join(cfg.dataDir, 'insert-spool');
  rmSync(spool, { recursive: true, force: true });
  mkdirSync(spool, { recursive: true });
  let spooled = 0;
  const settings = { date_time_input_format: 'best_effort', ...INSERT_SETTINGS };
  const store: Store = {
    kind: 'embedded',
    client,
    database,
    async insertNdjson(table, body, dedupToken) {
      await raw.rawInsert({
        table: `${database}.${table}`,
        values: whole(body),
        format: 'JSONEachRow',
        settings: { ...settings, ...tokenSetting(dedupToken) },
      });
    },
    async insertNative(table, columns, body, dedupToken) {
      const file = path.join(spool, `${++spooled}.native`);
      // Written synchronously: one writev of the block's pieces into the page cache, where
      // the promise API's round trips through the thread pool would delay every insert, and
      // inserts run one after another.
      try {
        writePieces(file, pieces(body));
        await client.command({
          query: `INSERT INTO ${database}.${table} (${columns.join(', ')})${settingsSql({ ...settings, ...tokenSetting(dedupToken) })} SELECT * FROM file('${file.replace(/[\\']/g, '\\$&')}', 'Native')`,
        });
      } finally {
        removeQuietly(file);
      }
    },
    eventDays: new EventDayLedger(),
    async close() {
      await client.close();
      const chdb = (await import('chdb')) as unknown as { drainPending?: () => Promise<void> };
      // Closing while native work is in flight aborted the process once (design.md).
      if (chdb.drainPending) await chdb.drainPending();
      rmSync(spool, { recursive: true, force: true });
    },
  };
  return store;
}
