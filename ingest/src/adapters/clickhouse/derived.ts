// The tables derived from events by materialized views (calls_facts, event_days,
// agent_last_events) sit behind Buffer tables (migration 0050): their newest rows live in
// memory for up to ~5 s. Two duties follow, both here:
// - flushBuffers: a clean shutdown writes what the Buffers hold (closing chdb does not);
// - rederiveRecent: after a crash, what they held is gone, but the events it came from are
//   stored. At start-up each view's SELECT runs again over the rows of the newest inserts
//   into events. The derived tables keep min/max aggregates, so rows derived twice change
//   nothing (event_days only gets a newer mark, which makes a day's stored facts be
//   rebuilt once).
import { bufferTables, materializedViews, recentInsertParts } from '../../../../queries/ingest.js';
import type { Store } from './store.js';

/** Inserts into events whose parts start-up reads again (a Buffer holds ≤ 5 s: ≤ ~100 inserts). */
export const REDERIVE_BLOCKS = 1000;
/** Rows received this long before the newest of those parts' rows are derived again. */
export const REDERIVE_WINDOW_S = 60;

/** Writes out every Buffer table of the database (OPTIMIZE flushes a Buffer). */
export async function flushBuffers(store: Store): Promise<number> {
  const buffers = await bufferTables(store);
  for (const name of buffers) await store.client.command({ query: `OPTIMIZE TABLE ${store.database}.\`${name}\`` });
  return buffers.length;
}

export interface RederiveResult {
  /** Events parts read again. */
  parts: number;
  /** Views whose SELECT ran again. */
  views: string[];
}

/**
 * Runs each materialized view on `events` again, into its target, over the rows of the
 * newest inserts: the events parts holding any of the last `blocks` inserts (block numbers
 * only grow, and a merged part keeps its sources' highest, so merges at start-up do not
 * hide them), and of those the rows received within `windowS` seconds of the newest.
 * Idempotent for the derived tables (min/max aggregates).
 */
export async function rederiveRecent(store: Store, blocks = REDERIVE_BLOCKS, windowS = REDERIVE_WINDOW_S): Promise<RederiveResult> {
  const db = store.database;
  const { parts, newestMs } = await recentInsertParts(store, blocks);
  if (!parts.length) return { parts: 0, views: [] };
  const cut = newestMs - windowS * 1000;
  const views = await materializedViews(store);
  const source = `FROM ${db}.events`;
  const done: string[] = [];
  for (const v of views) {
    const target = / TO (\S+) /.exec(v.create_table_query)?.[1];
    // Only views reading events, and only when the SELECT names it as expected; a view of
    // another shape is left alone rather than rewritten by guesswork.
    const at = v.as_select.indexOf(source);
    if (!target || at < 0 || v.as_select.indexOf(source, at + 1) >= 0) continue;
    const recent = `FROM (SELECT * FROM ${db}.events WHERE _part IN {parts:Array(String)} AND toUnixTimestamp64Milli(received_at) >= {cut:Int64}) AS events`;
    const select = v.as_select.slice(0, at) + recent + v.as_select.slice(at + source.length);
    await store.client.command({
      query: `INSERT INTO ${target} ${select}`,
      query_params: { parts, cut },
    });
    done.push(v.name);
  }
  return { parts: parts.length, views: done };
}
