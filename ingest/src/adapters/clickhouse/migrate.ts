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
  return applied;
}
