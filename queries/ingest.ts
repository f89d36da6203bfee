// Typed functions for the SQL the ingest pipeline runs (dedupe: the ids to remember at
// start-up, and look-ups for ids the in-memory filters may know or do not cover; the
// stored events per day, the freshness count of the report facts; the derived tables'
// re-derivation after a crash).
import { chTime, sqlFile } from './sql.js';
import type { Store } from './store.js';

const sql = (name: string, db: string): string => sqlFile('ingest', name, db);

export async function existingIds(store: Store, site: string, ids: string[]): Promise<Set<string>> {
  const rs = await store.client.query({
    query: sql('existing-ids', store.database),
    query_params: { site, ids },
    format: 'JSONEachRow',
  });
  return new Set((await rs.json<{ id: string }>()).map((r) => r.id));
}

/**
 * Ids received since `since`, newest first, at most `limit`; `cut` is the receive time of the
 * oldest one returned when the limit cut the list short (else null).
 */
export async function recentIds(
  store: Store,
  since: number,
  limit: number,
): Promise<{
  rows: { site: string; id: string; ts: number }[];
  cut: number | null;
  /** The newest receive time among them (null when none). */
  newest: number | null;
}> {
  const rs = await store.client.query({
    query: sql('recent-ids', store.database),
    query_params: { since: chTime(since), limit },
    format: 'JSONEachRow',
  });
  const raw = await rs.json<{
    site: string;
    id: string;
    ts_ms: string | number;
    received_ms: string | number;
  }>();
  const rows = raw.map((r) => ({ site: r.site, id: r.id, ts: Number(r.ts_ms) }));
  const last = raw[raw.length - 1];
  const first = raw[0];
  return {
    rows,
    cut: raw.length >= limit && last ? Number(last.received_ms) : null,
    newest: first ? Number(first.received_ms) : null,
  };
}

/** Per site, the newest event time of events received before `cut`. */
export async function floorsBefore(
  store: Store,
  cut: number,
): Promise<{ site: string; ts: number }[]> {
  const rs = await store.client.query({
    query: sql('floors-before', store.database),
    query_params: { cut: chTime(cut) },
    format: 'JSONEachRow',
  });
  return (await rs.json<{ site: string; ts_ms: string | number }>()).map((r) => ({
    site: r.site,
    ts: Number(r.ts_ms),
  }));
}

export interface StoredEvent {
  id: string;
  type: string;
  ts_ms: number;
  received_ms: number;
  late: number;
  producer: string;
  raw: string;
}

export async function listEvents(
  store: Store,
  p: { site: string; from: number; to: number; limit: number; offset: number },
): Promise<StoredEvent[]> {
  const rs = await store.client.query({
    query: sql('list-events', store.database),
    query_params: {
      site: p.site,
      from: chTime(p.from),
      to: chTime(p.to),
      limit: p.limit,
      offset: p.offset,
    },
    format: 'JSONEachRow',
  });
  return (await rs.json<StoredEvent>()).map((r) => ({
    ...r,
    ts_ms: Number(r.ts_ms),
    received_ms: Number(r.received_ms),
    late: Number(r.late),
  }));
}

export async function eventStats(
  store: Store,
  site: string,
): Promise<{ events: number; distinct_ids: number; late: number }> {
  const rs = await store.client.query({
    query: sql('event-stats', store.database),
    query_params: { site },
    format: 'JSONEachRow',
  });
  const row = (await rs.json<Record<string, string | number>>())[0] ?? {};
  return {
    events: Number(row['events'] ?? 0),
    distinct_ids: Number(row['distinct_ids'] ?? 0),
    late: Number(row['late'] ?? 0),
  };
}

export interface DeadLetter {
  received_ms: number;
  producer: string;
  site: string;
  line: number;
  reason: string;
  raw: string;
}

export async function deadLetters(
  store: Store,
  p: { site: string; since: number; limit: number },
): Promise<DeadLetter[]> {
  const rs = await store.client.query({
    query: sql('dead-letters', store.database),
    query_params: { site: p.site, since: chTime(p.since), limit: p.limit },
    format: 'JSONEachRow',
  });
  return (await rs.json<DeadLetter>()).map((r) => ({
    ...r,
    received_ms: Number(r.received_ms),
    line: Number(r.line),
  }));
}

/** Stored events per site and UTC day number (`site` null: every site). */
export async function eventDayCounts(
  store: Store,
  site: string | null,
): Promise<{ site: string; day: number; n: number }[]> {
  const rs = await store.client.query({
    query: sql('event-day-counts', store.database),
    query_params: { site: site ?? '' },
    format: 'JSONEachRow',
  });
  return (await rs.json<{ site: string; day: number | string; n: number | string }>()).map((r) => ({
    site: r.site,
    day: Number(r.day),
    n: Number(r.n),
  }));
}

/** The store's count of events per site and UTC day, with `site` (null: every site) counted from the stored events first. */
export async function seededEventDays(
  store: Store,
  site: string | null,
): Promise<Store['eventDays']> {
  await store.eventDays.seed(site, (s) => eventDayCounts(store, s));
  return store.eventDays;
}

/** The newest receive time of any stored event, epoch ms (0 when none). */
export async function newestReceipt(store: Store): Promise<number> {
  const rs = await store.client.query({
    query: sql('newest-receipt', store.database),
    format: 'JSONEachRow',
  });
  return Number((await rs.json<{ newest_ms: number | string | null }>())[0]?.newest_ms ?? 0);
}

/** The derived tables, each with its explicit re-derivation over events received since a time. */
export const REDERIVE = ['calls-facts', 'agent-last-events'] as const;

/** Runs one table's re-derivation (queries/ingest/rederive-<name>.sql) over the events received since `since`. */
export async function rederive(
  store: Store,
  name: (typeof REDERIVE)[number],
  since: number,
): Promise<void> {
  await store.client.command({
    query: sql(`rederive-${name}`, store.database),
    query_params: { since: chTime(since) },
  });
}
