// The one loader of queries/<folder>/<name>.sql and the small conversions every typed
// query function needs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const QUERIES_DIR = path.dirname(fileURLToPath(import.meta.url));
export const REPORTS_DIR = path.join(QUERIES_DIR, 'reports');

const cache = new Map<string, string>();

/** The text of queries/<folder>/<name>.sql with `{db}` replaced by the store's database. */
export function sqlFile(folder: string, name: string, db: string): string {
  if (!/^[a-z0-9-]+$/.test(folder) || !/^[a-z0-9-]+$/.test(name))
    throw new Error(`query folder and name must be kebab-case, got "${folder}/${name}"`);
  const key = `${folder}/${name}`;
  let text = cache.get(key);
  if (text === undefined)
    cache.set(key, (text = readFileSync(path.join(QUERIES_DIR, folder, `${name}.sql`), 'utf8')));
  return text.replaceAll('{db}', db);
}

/** The text of queries/reports/<name>.sql with `{db}` replaced by the store's database. */
export function report(name: string, db: string): string {
  return sqlFile('reports', name, db);
}

/** ClickHouse DateTime64(3) parameter text for an instant, in UTC. */
export function chTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 23);
}

export type Num = number | string | null;
export const n = (v: Num): number => Number(v);
export const nn = (v: Num): number | null => (v === null ? null : Number(v));
