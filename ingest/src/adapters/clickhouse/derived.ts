// The tables derived from events by materialized views (calls_facts, agent_last_events) are
// written inside each insert into events (no Buffer since migration 0070), but not atomically
// with it: a crash between the events part and the views' parts leaves events whose derived
// rows are missing. At start-up, before any event is taken, each table is derived again from
// the events received in the last REDERIVE_WINDOW_MS before the newest one stored
// (queries/ingest/rederive-*.sql). Events are chosen by their stored receive time, never by
// part names: a merge at start-up renames parts, and rows listed by name were skipped.
// The derived tables keep min/max aggregates, so rows derived twice change nothing.
import { REDERIVE, newestReceipt, rederive } from '../../../../queries/ingest.js';
import type { Store } from '../../../../queries/store.js';

/**
 * How far back from the newest stored event re-derivation reads. An event's receive time is
 * taken when its batch is read, and its insert runs within the batch writer's backlog (at
 * most maxBacklogRows, seconds of ingest); 10 minutes leaves a wide margin for a slow disk.
 */
export const REDERIVE_WINDOW_MS = 10 * 60_000;

export interface RederiveResult {
  /** Events received from this time on were derived again (0: no events stored). */
  since: number;
  tables: string[];
}

/** Derives every derived table again from the events received within `windowMs` of the newest. */
export async function rederiveRecent(
  store: Store,
  windowMs = REDERIVE_WINDOW_MS,
): Promise<RederiveResult> {
  const newest = await newestReceipt(store);
  if (newest === 0) return { since: 0, tables: [] };
  const since = newest - windowMs;
  for (const name of REDERIVE) await rederive(store, name, since);
  return { since, tables: [...REDERIVE] };
}
