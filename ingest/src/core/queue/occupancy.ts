// Occupancy's raw material: agent state time (busy = talk + hold + wrap-up, and ready) per
// queue and 15-minute bucket. Settled history is summed into buckets; the open part of
// each agent's history is added at read time, up to `now`.
import { BUSY, step, type AgentRec, type AgentState } from './agent-timeline.js';
import { intervalStart, nextIntervalStart } from './time-buckets.js';

export interface Occ {
  busy: number;
  ready: number;
}

/** queue (or "*" for agents serving every queue) -> bucket start -> state time (ms). */
export type OccBuckets = Map<string, Map<number, Occ>>;

const keysOf = (a: AgentRec): string[] => (a.queues.length ? a.queues : ['*']);

/** A callback for prune(): adds one closed state segment [from, to) of agent `a`. */
export function settler(
  into: OccBuckets,
  a: AgentRec,
  zone: string,
  grainMin: number,
): (s: AgentState, from: number, to: number) => void {
  return (s, from, to) => {
    if (!s.loggedIn) return;
    const busy = BUSY.has(s.st);
    if (!busy && s.st !== 'ready') return;
    for (let t = from; t < to;) {
      const b = intervalStart(t, zone, grainMin);
      const nb = Math.min(to, nextIntervalStart(t, zone, grainMin));
      for (const k of keysOf(a)) {
        let m = into.get(k);
        if (!m) into.set(k, (m = new Map()));
        const o = m.get(b) ?? { busy: 0, ready: 0 };
        if (busy) o.busy += nb - t;
        else o.ready += nb - t;
        m.set(b, o);
      }
      t = nb;
    }
  };
}

/** State time per queue key within each window [from, to): settled buckets plus open history. */
export function occupancyIn(
  settled: OccBuckets,
  agents: Iterable<AgentRec>,
  windows: { from: number; to: number }[],
  now: number,
): Map<string, Occ[]> {
  const out = new Map<string, Occ[]>();
  const add = (k: string, i: number, busy: boolean, ms: number) => {
    let v = out.get(k);
    if (!v) {
      v = windows.map(() => ({ busy: 0, ready: 0 }));
      out.set(k, v);
    }
    const o = v[i] as Occ;
    if (busy) o.busy += ms;
    else o.ready += ms;
  };
  for (const [k, m] of settled) {
    for (const [b, o] of m) {
      windows.forEach((w, i) => {
        if (b >= w.from && b < w.to) {
          add(k, i, true, o.busy);
          add(k, i, false, o.ready);
        }
      });
    }
  }
  for (const a of agents) {
    const keys = keysOf(a);
    let s = a.base;
    const h = a.hist;
    for (let i = 0; i < h.length; i++) {
      const e = h[i] as (typeof h)[number];
      s = step(s, e);
      if (!s.loggedIn || (!BUSY.has(s.st) && s.st !== 'ready')) continue;
      const busy = BUSY.has(s.st);
      const end = Math.min(h[i + 1]?.ts ?? now, now);
      windows.forEach((w, wi) => {
        const ms = Math.min(end, w.to) - Math.max(e.ts, w.from);
        if (ms > 0) for (const k of keys) add(k, wi, busy, ms);
      });
    }
  }
  return out;
}
