// Restart rebuild: replays a site's stored events of the current operating day through the
// same engines, in event-time order, so a restart mid-shift shows the same live figures.
import type { Store } from '../../../queries/store.js';
import type { FwEvent } from '../core/contract.js';
import { operatingDay } from '../core/queue/time-buckets.js';
import type { SiteRuntime } from '../core/site-runtime.js';
import { getHeapStatistics } from 'node:v8';
import { firstReceivedAfter, replayPage, type ReplayRow } from '../../../queries/runtime.js';
import { ReplayWindows, type ReplayWindow } from './replay-windows.js';

/**
 * Events from 6 h before the day starts are replayed too, then the engines roll to today:
 * a call offered at 23:58 and answered at 00:01 needs its offer for the wait, and agents
 * signed in on the evening shift keep their state. An agent silent longer than that is a
 * ghost anyway (default ghost_agent_s is 2 h).
 */
export const REPLAY_LOOKBACK_MS = 6 * 3_600_000;
/**
 * Rows read per page: one page (its JSON text, rows and events) is what the replay holds at
 * once, a few MB at 10,000 rows, whatever the day holds; large enough that the per-query cost
 * of the embedded engine stays a small share.
 */
export const REPLAY_PAGE_ROWS = 10_000;

type Obj = Record<string, unknown>;

/** A stored row back to the event ingest validated: its raw line (ts normalised), or its columns. */
export function rowToEvent(r: ReplayRow): FwEvent | null {
  if (r.raw) {
    try {
      const o = JSON.parse(r.raw) as unknown;
      if (typeof o === 'object' && o !== null && !Array.isArray(o) && (o as Obj)['type'] === r.type)
        return { ...(o as Obj), ts: r.ts } as unknown as FwEvent;
    } catch {
      /* fall back to the columns */
    }
  }
  const base = { id: r.id, ts: r.ts, site: r.site };
  const opt = (k: string, v: string): Obj => (v ? { [k]: v } : {});
  switch (r.type) {
    case 'agent.login':
      return {
        ...base,
        type: r.type,
        agent: r.agent,
        ...opt('name', r.name),
        ...opt('team', r.team),
        ...(r.queues.length ? { queues: r.queues } : {}),
      } as FwEvent;
    case 'agent.logout':
      return { ...base, type: r.type, agent: r.agent };
    case 'agent.state':
      return {
        ...base,
        type: r.type,
        agent: r.agent,
        state: r.state,
        ...opt('reason', r.reason),
      } as FwEvent;
    case 'call.offered':
    case 'call.abandoned':
      return { ...base, type: r.type, call: r.call, queue: r.queue };
    case 'call.answered':
    case 'call.ended':
      return { ...base, type: r.type, call: r.call, queue: r.queue, agent: r.agent };
    case 'call.overflowed':
      return { ...base, type: r.type, call: r.call, queue: r.queue, to_queue: r.to_queue };
    case 'call.transferred':
      return {
        ...base,
        type: r.type,
        call: r.call,
        queue: r.queue,
        ...opt('to_queue', r.to_queue),
        ...opt('to_agent', r.to_agent),
      } as FwEvent;
    default:
      return null;
  }
}

export interface ReplayReport {
  site: string;
  events: number;
  from: number;
  pages: number;
  /** The most rows one page held (never more than the page size). */
  max_page_rows: number;
  /** Time waiting for ClickHouse (beyond what overlapped with applying), decoding rows, and applying to the engines (ms). */
  read_ms: number;
  decode_ms: number;
  apply_ms: number;
}

export interface ReplayOptions {
  /** Rows per page (default REPLAY_PAGE_ROWS). */
  pageRows?: number;
  /**
   * Share of V8's heap limit past which the replay stops with a ReplayMemoryError (default
   * 0.85): running out of heap kills the process with a V8 FATAL that may leave it hung, so the
   * start-up fails with a plain error and a non-zero exit instead.
   */
  heapLimitShare?: number;
  /**
   * Replays only the events that arrived after this instant (ms; a checkpoint's newest
   * arrival), from the earliest event time among them. 0 (the default): every event.
   */
  receivedAfter?: number;
}

export class ReplayMemoryError extends Error {
  readonly code = 'REPLAY_MEMORY';
  constructor(site: string, used: number, limit: number) {
    super(
      `restart replay of site ${site} stopped: the JS heap holds ${Math.round(used / 2 ** 20)} MiB of its ${Math.round(limit / 2 ** 20)} MiB limit`,
    );
    this.name = 'ReplayMemoryError';
  }
}

function checkHeap(site: string, share: number): void {
  const h = getHeapStatistics();
  if (h.used_heap_size > share * h.heap_size_limit)
    throw new ReplayMemoryError(site, h.used_heap_size, h.heap_size_limit);
}

/**
 * Replays `site`'s events from the lookback before today's start up to its newest event, one
 * bounded page at a time: each page is applied before the next is read.
 */
export async function replaySite(
  store: Store,
  rt: SiteRuntime,
  now: number,
  lastTs: number,
  opts: ReplayOptions = {},
): Promise<ReplayReport> {
  const cfg = rt.config;
  const pageRows = opts.pageRows ?? REPLAY_PAGE_ROWS;
  const share = opts.heapLimitShare ?? 0.85;
  const after = opts.receivedAfter ?? 0;
  let from = operatingDay(now, cfg.timezone, cfg.day_start).start - REPLAY_LOOKBACK_MS;
  const to = lastTs + 1;
  if (after > 0) {
    // After a checkpoint most of the day is in its state: start at the earliest event that
    // arrived since, rather than paging through hours of windows that hold nothing to apply.
    const first = await firstReceivedAfter(store, rt.site, from, after);
    if (first.first_ts === null) from = to;
    else from = Math.max(from, first.first_ts);
  }
  let events = 0;
  let pages = 0;
  let maxPage = 0;
  let read = 0;
  let decode = 0;
  let apply = 0;
  // The next page is read while this one is decoded and applied: the embedded engine runs a
  // query on its own threads, so reading and applying overlap. Two pages are held at most.
  const windows = new ReplayWindows(from, to, pageRows);
  const read1 = async (w: ReplayWindow): Promise<{ rows: ReplayRow[]; w: ReplayWindow }> => ({
    rows: await replayPage(store, rt.site, w.lo, w.hi, w.after, pageRows, after),
    w,
  });
  const first = windows.first();
  let next: Promise<{ rows: ReplayRow[]; w: ReplayWindow }> | null = first ? read1(first) : null;
  while (next) {
    const t0 = performance.now();
    const { rows, w }: { rows: ReplayRow[]; w: ReplayWindow } = await next;
    read += performance.now() - t0;
    const following = windows.after(w, rows);
    next = following ? read1(following) : null;
    // A failed read surfaces when awaited; until then it must not count as unhandled.
    next?.catch(() => undefined);
    if (rows.length === 0) continue;
    pages++;
    maxPage = Math.max(maxPage, rows.length);
    const t1 = performance.now();
    const batch: FwEvent[] = [];
    for (const r of rows) {
      const ev = rowToEvent(r);
      if (ev) batch.push(ev);
    }
    const t2 = performance.now();
    rt.replay(batch, now);
    apply += performance.now() - t2;
    decode += t2 - t1;
    events += batch.length;
    checkHeap(rt.site, share);
  }
  return {
    site: rt.site,
    events,
    from,
    pages,
    max_page_rows: maxPage,
    read_ms: Math.round(read),
    decode_ms: Math.round(decode),
    apply_ms: Math.round(apply),
  };
}
