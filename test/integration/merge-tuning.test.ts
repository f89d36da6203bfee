// Table settings applied at start when the engine knows them (migrate.ts, `tune`): the merge
// selector's base on `events` and the tables its views write, kept across a second start,
// and no other table touched.
import { describe, expect, it } from 'vitest';
import { migrate } from '../../ingest/src/adapters/clickhouse/migrate.js';
import type { Store } from '../../ingest/src/adapters/clickhouse/store.js';
import { useTempStore } from '../helpers/store.js';

let store: Store;
useTempStore('fw_tuning', (s) => (store = s));

async function bases(): Promise<Record<string, string>> {
  const rs = await store.client.query({
    query: `SELECT name, extract(create_table_query, 'merge_selector_base = ([0-9.]+)') AS base
            FROM system.tables WHERE database = 'fw_tuning' AND engine LIKE '%MergeTree'`,
    format: 'JSONEachRow',
  });
  const out: Record<string, string> = {};
  for (const r of await rs.json<{ name: string; base: string }>()) if (r.base) out[r.name] = r.base;
  return out;
}

describe('merge tuning', () => {
  it('sets merge_selector_base 10 on events, calls_facts and agent_last_events only, again on a second start', async () => {
    const want = { agent_last_events: '10', calls_facts: '10', events: '10' };
    expect(await bases()).toEqual(want);
    expect(await migrate(store)).toEqual([]);
    expect(await bases()).toEqual(want);
  });
});
