// Typed functions for the SQL the ingest pipeline runs (dedupe look-ups at start-up and
// for events older than the in-memory horizon).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Store } from '../ingest/src/adapters/clickhouse/store.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'ingest');
const cache = new Map<string, string>();
function sql(name: string, db: string): string {
  let text = cache.get(name);
  if (text === undefined) cache.set(name, (text = readFileSync(path.join(dir, `${name}.sql`), 'utf8')));
  return text.replaceAll('{db}', db);
}

/** ClickHouse DateTime64 literal for a parameter, in UTC. */
export function chTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 23);
}

export async function existingIds(store: Store, site: string, lo: number, hi: number, ids: string[]): Promise<Set<string>> {
  const rs = await store.client.query({
    query: sql('existing-ids', store.database),
    query_params: { site, lo: chTime(lo), hi: chTime(hi), ids },
    format: 'JSONEachRow',
  });
  return new Set((await rs.json<{ id: string }>()).map((r) => r.id));
}

export async function recentIds(store: Store, since: number): Promise<{ site: string; id: string; ts: number }[]> {
  const rs = await store.client.query({ query: sql('recent-ids', store.database), query_params: { since: chTime(since) }, format: 'JSONEachRow' });
  return (await rs.json<{ site: string; id: string; ts: string | number }>()).map((r) => ({ site: r.site, id: r.id, ts: Number(r.ts) }));
}
