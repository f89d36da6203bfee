// One ClickHouse client API, two back ends: the embedded engine (chdb through
// @clickhouse/client's connection hook) or a ClickHouse server over HTTP. The hot insert
// path uses the fastest route each back end offers, behind one `insertNdjson` method.
import { createClient, type ClickHouseClient, type ClickHouseClientConfigOptions } from '@clickhouse/client';
import { mkdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { AppConfig } from '../../config.js';
import { flushBuffers } from './derived.js';

/** Positional text formats the hot insert path takes (the bench's yardstick tries each). */
export type RowFormat = 'TabSeparated' | 'JSONCompactEachRow' | 'CSV';

export interface Store {
  readonly kind: 'embedded' | 'server';
  readonly client: ClickHouseClient;
  readonly database: string;
  /** Inserts JSONEachRow bytes (one row per line) into `table` of the database. */
  insertNdjson(table: string, body: Buffer, dedupToken?: string): Promise<void>;
  /** Inserts rows in a positional text format (fields in the order of `columns`): events go in as TabSeparated. */
  insertRows(table: string, columns: readonly string[], format: RowFormat, body: Buffer, dedupToken?: string): Promise<void>;
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
  rawInsert(p: { table: string; columns?: readonly string[]; values: Buffer; format: 'JSONEachRow' | RowFormat; settings?: Record<string, string | number> }): Promise<unknown>;
}

const tokenSetting = (dedupToken?: string): Record<string, string> => (dedupToken ? { insert_deduplication_token: dedupToken } : {});

export async function openStore(cfg: Pick<AppConfig, 'storage' | 'dataDir' | 'clickhouse'>): Promise<Store> {
  const database = cfg.clickhouse.database;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database)) throw new Error(`CLICKHOUSE_DATABASE must be a plain identifier, got "${database}"`);
  if (cfg.storage === 'server') {
    const client = createClient(serverClientOptions(cfg.clickhouse));
    // The database may not exist yet: create it through a client without a default database.
    const admin = createClient({ ...serverClientOptions(cfg.clickhouse), database: 'default' });
    await admin.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
    await admin.close();
    // exec with a raw byte stream: the rows are already in the insert's format, no re-serialising.
    const send = async (target: string, format: 'JSONEachRow' | RowFormat, body: Buffer, dedupToken?: string): Promise<void> => {
      const r = await client.exec({
        query: `INSERT INTO ${database}.${target} FORMAT ${format}`,
        values: Readable.from([body], { objectMode: false }),
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
  const insert = async (table: string, columns: readonly string[] | undefined, format: 'JSONEachRow' | RowFormat, body: Buffer, dedupToken?: string): Promise<void> => {
    const settings = { date_time_input_format: 'best_effort', ...INSERT_SETTINGS, ...tokenSetting(dedupToken) };
    await raw.rawInsert({ table: `${database}.${table}`, ...(columns ? { columns } : {}), values: body, format, settings });
  };
  const store: Store = {
    kind: 'embedded',
    client,
    database,
    insertNdjson: (table, body, dedupToken) => insert(table, undefined, 'JSONEachRow', body, dedupToken),
    insertRows: (table, columns, format, body, dedupToken) => insert(table, columns, format, body, dedupToken),
    async close() {
      // Closing chdb does not write out Buffer tables (migration 0050): flush them first. A
      // store whose database was never migrated has none; a failure here must not keep the
      // store open, and start-up derives the rows again from the events anyway.
      await flushBuffers(store).catch(() => 0);
      await client.close();
      const chdb = (await import('chdb')) as unknown as { drainPending?: () => Promise<void> };
      // Closing while native work is in flight aborted the process once (design.md).
      if (chdb.drainPending) await chdb.drainPending();
    },
  };
  return store;
}

