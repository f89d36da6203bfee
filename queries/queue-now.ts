// "Live queue figures" recomputed by SQL from the stored events at an instant: waiting,
// queued and ringing per queue, and expired calls in a range. Tests hold the live engine
// against these (docs/definitions.md); the live board never reads them.
import type { Store } from './store.js';
import { chTime, n, report, type Num } from './sql.js';
import { callExpiryMs, type SiteConfig } from '../ingest/src/core/site-config.js';

export interface QueueNowRow {
  queue: string;
  waiting: number;
  queued: number;
  ringing: number;
  /** Offer time of the longest-waiting call, epoch ms (null when none waits). */
  oldest_ms: number | null;
}

async function rows<T>(store: Store, name: string, params: Record<string, unknown>): Promise<T[]> {
  const rs = await store.client.query({
    query: report(name, store.database),
    query_params: params,
    format: 'JSONEachRow',
  });
  return rs.json<T>();
}

/** Waiting, queued and ringing per queue of `queues` at `at` (epoch ms). */
export async function queueNow(
  store: Store,
  p: { site: string; at: number; config: SiteConfig; queues: string[] },
): Promise<QueueNowRow[]> {
  const at = chTime(p.at);
  const [w, r] = await Promise.all([
    rows<{ queue: string; waiting: Num; oldest_ms: Num }>(store, 'queue-now-calls', {
      site: p.site,
      at,
      expiry_ms: callExpiryMs(p.config),
    }),
    rows<{ queue: string; ringing: Num }>(store, 'queue-now-ringing', { site: p.site, at }),
  ]);
  const waiting = new Map(w.map((x) => [x.queue, x]));
  const ringingBy = new Map(r.map((x) => [x.queue, n(x.ringing)]));
  return p.queues.map((queue) => {
    const x = waiting.get(queue);
    const n0 = x ? n(x.waiting) : 0;
    const ringing = Math.min(n0, (ringingBy.get(queue) ?? 0) + (ringingBy.get('*') ?? 0));
    return {
      queue,
      waiting: n0,
      queued: n0 - ringing,
      ringing,
      oldest_ms: x ? n(x.oldest_ms) : null,
    };
  });
}

/** Expired calls per queue with their deadline in [from, to) and at or before `at`. */
export async function expiredCalls(
  store: Store,
  p: { site: string; from: number; to: number; at: number; config: SiteConfig },
): Promise<Map<string, number>> {
  const r = await rows<{ queue: string; expired: Num }>(store, 'calls-expired', {
    site: p.site,
    from: chTime(p.from),
    to: chTime(p.to),
    at: chTime(p.at),
    expiry_ms: callExpiryMs(p.config),
  });
  return new Map(r.map((x) => [x.queue, n(x.expired)]));
}
