// The shared loader of queries/reports/<name>.sql and the small conversions every typed
// report function needs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPORTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'reports');

const cache = new Map<string, string>();

/** The text of queries/reports/<name>.sql with `{db}` replaced by the store's database. */
export function report(name: string, db: string): string {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`report name must be kebab-case, got "${name}"`);
  let text = cache.get(name);
  if (text === undefined) cache.set(name, (text = readFileSync(path.join(REPORTS_DIR, `${name}.sql`), 'utf8')));
  return text.replaceAll('{db}', db);
}

/** ClickHouse DateTime64(3) parameter text for an instant, in UTC. */
export function chTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 23);
}

export type Num = number | string | null;
export const n = (v: Num): number => Number(v);
export const nn = (v: Num): number | null => (v === null ? null : Number(v));
