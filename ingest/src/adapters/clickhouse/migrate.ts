// Forward-only migrations: queries/migrations/NNNN_name.sql applied in order, each
// recorded in schema_migrations. `{db}` in a file is replaced by the database name.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Store } from '../../../../queries/store.js';

export const MIGRATIONS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../queries/migrations',
);

export class MigrationError extends Error {
  readonly code = 'migration_failed';
}

/** Splits a file into statements on lines that end with ';'. */
function statements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter(Boolean);
}

export async function migrate(store: Store, dir = MIGRATIONS_DIR): Promise<string[]> {
  const db = store.database;
  await store.client.command({
    query: `CREATE TABLE IF NOT EXISTS ${db}.schema_migrations (version String, name String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)) ENGINE = MergeTree ORDER BY version`,
  });
  const rs = await store.client.query({
    query: `SELECT version FROM ${db}.schema_migrations`,
    format: 'JSONEachRow',
  });
  const done = new Set((await rs.json<{ version: string }>()).map((r) => r.version));
  const files = readdirSync(dir)
    .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
    .sort();
  const applied: string[] = [];
  for (const file of files) {
    const version = file.slice(0, 4);
    if (done.has(version)) continue;
    const sql = readFileSync(path.join(dir, file), 'utf8').replaceAll('{db}', db);
    for (const stmt of statements(sql)) {
      try {
        await store.client.command({ query: stmt });
      } catch (e) {
        throw new MigrationError(`migration ${file} failed: ${(e as Error).message}`, { cause: e });
      }
    }
    await store.client.insert({
      table: `${db}.schema_migrations`,
      values: [{ version, name: file }],
      format: 'JSONEachRow',
    });
    applied.push(file);
  }
  await tune(store);
  return applied;
}

/**
 * Table settings newer than the oldest ClickHouse server Floorwatch supports (23.3), so not in a
 * migration: applied at each start when the engine knows them (a metadata change each).
 *
 * merge_selector_base 10 (default 5) on `events` and the two tables its views write: each
 * insert adds a part to all three, and their background merges took about a third of the
 * server's CPU under sustained ingest. The base is how many times its largest part a merge's
 * parts must add up to, so at 10 a merge takes about twice as many parts and a row is
 * rewritten fewer times on its way into a large part (figures: bench/kept.md). The cost is
 * about twice as many small parts alive at once, each opened by a read of the newest rows.
 */
const TUNING: readonly { setting: string; value: number; tables: readonly string[] }[] = [
  {
    setting: 'merge_selector_base',
    value: 10,
    tables: ['events', 'calls_facts', 'agent_last_events'],
  },
];

async function tune(store: Store): Promise<void> {
  const db = store.database;
  const known = async (query: string): Promise<Set<string>> => {
    const rs = await store.client.query({ query, format: 'JSONEachRow' });
    return new Set((await rs.json<{ name: string }>()).map((r) => r.name));
  };
  const settings = await known(
    `SELECT name FROM system.merge_tree_settings WHERE name IN (${TUNING.map((t) => `'${t.setting}'`).join(', ')})`,
  );
  const tables = await known(`SELECT name FROM system.tables WHERE database = '${db}'`);
  for (const t of TUNING) {
    if (!settings.has(t.setting)) continue;
    for (const table of t.tables)
      if (tables.has(table))
        await store.client.command({
          query: `ALTER TABLE ${db}.${table} MODIFY SETTING ${t.setting} = ${t.value}`,
        });
  }
}
