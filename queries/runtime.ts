// Typed functions for the SQL of the live side: site configurations, the sites that have
// events, and the stored events a restart replays into the live engines.
import { chTime, sqlFile } from './sql.js';
import type { Store } from './store.js';

const sql = (name: string, db: string): string => sqlFile('runtime', name, db);

async function rows<T>(
  store: Store,
  name: string,
  params: Record<string, unknown> = {},
): Promise<T[]> {
  const rs = await store.client.query({
    query: sql(name, store.database),
    query_params: params,
    format: 'JSONEachRow',
  });
  return rs.json<T>();
}

export interface StoredSiteConfig {
  site: string;
  /** The configuration JSON as saved. */
  config: string;
  saved_at: number;
}

export async function latestSiteConfigs(store: Store): Promise<StoredSiteConfig[]> {
  const r = await rows<{ site: string; config: string; saved_ms: string | number }>(
    store,
    'latest-site-configs',
  );
  return r.map((x) => ({ site: x.site, config: x.config, saved_at: Number(x.saved_ms) }));
}

export async function siteConfigHistory(
  store: Store,
  site: string,
  limit = 100,
): Promise<{ saved_at: number; saved_by: string; config: string }[]> {
  const r = await rows<{ saved_ms: string | number; saved_by: string; config: string }>(
    store,
    'site-config-history',
    { site, limit },
  );
  return r.map((x) => ({ saved_at: Number(x.saved_ms), saved_by: x.saved_by, config: x.config }));
}

export async function knownSites(store: Store): Promise<string[]> {
  return (await rows<{ site: string }>(store, 'known-sites')).map((r) => r.site);
}

export async function sitesWithEventsSince(
  store: Store,
  since: number,
): Promise<{ site: string; last_ts: number }[]> {
  const r = await rows<{ site: string; last_ts: string | number }>(store, 'sites-with-events', {
    since: chTime(since),
  });
  return r.map((x) => ({ site: x.site, last_ts: Number(x.last_ts) }));
}

/**
 * Of a site's events with ts >= from, those that arrived after `receivedAfter`: how many, and
 * the earliest event time among them (null when none).
 */
export async function firstReceivedAfter(
  store: Store,
  site: string,
  from: number,
  receivedAfter: number,
): Promise<{ first_ts: number | null; events: number }> {
  const [r] = await rows<{ first_ts: string | number; n: string | number }>(
    store,
    'first-received-after',
    { site, from: chTime(from), received_after: chTime(receivedAfter) },
  );
  const n = Number(r?.n ?? 0);
  return { first_ts: n > 0 ? Number(r?.first_ts) : null, events: n };
}

/** One stored event row as the replay reads it (columns plus the raw line). */
export interface ReplayRow {
  type: string;
  id: string;
  site: string;
  ts: number;
  /** Arrival time (ms): the tie-break after ts, and part of the paging cursor. */
  received: number;
  agent: string;
  name: string;
  team: string;
  queues: string[];
  state: string;
  reason: string;
  call: string;
  queue: string;
  to_queue: string;
  to_agent: string;
  raw: string;
}

/** Where a page of the replay starts: after this row (in ts, received, id order). */
export interface ReplayCursor {
  ts: number;
  received: number;
  id: string;
}

type ReplayTuple = [
  string,
  string,
  string | number,
  string | number,
  string,
  string,
  string,
  string,
  string[],
  string,
  string,
  string,
  string,
  string,
  string,
];

/**
 * One page of a site's stored events with lo <= ts < hi (a window of event time), in
 * event-time order, after `after` (null: from the window's start), at most `limit` rows.
 * Paging by the last row rather than by time keeps the rows held bounded even when millions
 * of events share a few seconds.
 */
export async function replayPage(
  store: Store,
  site: string,
  lo: number,
  hi: number,
  after: ReplayCursor | null,
  limit: number,
  receivedAfter = 0,
): Promise<ReplayRow[]> {
  const rs = await store.client.query({
    query: sql('replay-events', store.database),
    query_params: {
      site,
      lo: chTime(after ? Math.max(lo, after.ts) : lo),
      hi: chTime(hi),
      after_ts: chTime(after ? after.ts : lo - 1),
      after_received: chTime(after ? after.received : 0),
      after_id: after ? after.id : '',
      received_after: chTime(receivedAfter),
      limit,
    },
    format: 'JSONCompactEachRow',
  });
  const r = await rs.json<ReplayTuple>();
  const out: ReplayRow[] = new Array(r.length);
  for (let i = 0; i < r.length; i++) {
    const [type, id, ts, received, raw, agent, name, team, queues, state, reason, call, queue] = r[
      i
    ] as ReplayTuple;
    const x = r[i] as ReplayTuple;
    out[i] = {
      type,
      id,
      site,
      ts: Number(ts),
      received: Number(received),
      raw,
      agent,
      name,
      team,
      queues,
      state,
      reason,
      call,
      queue,
      to_queue: x[13],
      to_agent: x[14],
    };
  }
  return out;
}
