// Per-queue tallies of the agents, kept up to date as agents change instead of scanning all
// agents on every read: agents by state (ready count included) and the occupancy of the
// agents' open (not yet settled) history within the board's two windows (current interval,
// operating day). A scan reads every agent on every delta and every alert evaluation, so
// on a 20,000-agent site it would eat the 250 ms event-to-board budget. Exactness: the
// tallies equal the scan (occupancyIn + the state loop) whenever `now` is at or after every
// applied event; the caller falls back to the scan otherwise. Times are kept relative to
// each window's start so sums stay far below 2^53 (20k agents x 1 day of ms ~ 1.7e12).
// No per-agent memory: an agent's share is taken back by recomputing it from the agent just
// before the engine changes it (touch), so the tallies cost nothing per agent (remembered
// shares would count against the 2 KB-per-agent goal).
import {
  BUSY,
  LOGGED_OUT,
  step,
  type AgentEv,
  type AgentRec,
  type AgentState,
} from './agent-timeline.js';
import type { Occ } from './occupancy.js';

/** One agent's share of the tallies (computed, never stored). */
interface Share {
  keys: string[];
  /** Logged-in state, or null when logged out. */
  st: string | null;
  /** Per window: closed busy/ready ms, and the open tail's kind (0 none, 1 busy, 2 ready) and start (relative to the window). */
  busy: number[];
  ready: number[];
  tail: 0 | 1 | 2;
  tailRel: number[];
}

interface KeyTally {
  states: Map<string, number>;
  busy: number[];
  ready: number[];
  nBusy: number;
  nReady: number;
  relBusy: number[];
  relReady: number[];
}

const inc = (arr: number[], i: number, v: number): void => {
  arr[i] = (arr[i] as number) + v;
};

const keysOf = (a: AgentRec): string[] => (a.queues.length ? a.queues : ['*']);

/** Histories at least this long keep a memo of their closed segments (busy agents only). */
const MEMO_MIN = 16;

interface Memo {
  h: AgentEv[];
  /** Index of the event whose segment was open; segments before it are summed below. */
  m: number;
  at: AgentEv;
  froms: number[];
  busy: number[];
  ready: number[];
}

/**
 * How many of the memo's oldest events a prune has dropped from the history now `h` (0 when
 * it is the same array), or -1 when `h` does not continue the memo's history that way.
 */
function prunedFrom(memo: Memo, h: readonly AgentEv[]): number {
  if (memo.h === h) return 0;
  const first = h[0];
  for (let k = 0; k <= memo.m; k++) if (memo.h[k] === first) return k;
  return -1;
}

export class AgentTally {
  /** Events walked to compute shares (what the memo saves; read by tests). */
  walked = 0;
  private froms: number[] = [];
  /** Busy agents' closed-segment sums (weak: a dropped agent takes its memo with it). */
  private readonly memos = new WeakMap<AgentRec, Memo>();
  private readonly keys = new Map<string, KeyTally>();
  private dirty = new Set<string>();
  private all = true;

  /**
   * Call just BEFORE changing an agent's history, state or queues: takes its share out (as
   * computed from its unchanged record, which is what was added) until the next update.
   */
  touch(a: AgentRec): void {
    if (this.all || this.dirty.has(a.id)) return;
    this.dirty.add(a.id);
    this.add(this.shareOf(a), -1);
  }

  private key(k: string): KeyTally {
    let t = this.keys.get(k);
    if (!t) {
      const z = () => this.froms.map(() => 0);
      t = {
        states: new Map(),
        busy: z(),
        ready: z(),
        nBusy: 0,
        nReady: 0,
        relBusy: z(),
        relReady: z(),
      };
      this.keys.set(k, t);
    }
    return t;
  }

  private shareOf(a: AgentRec): Share {
    const w = this.froms.length;
    const sh: Share = {
      keys: keysOf(a),
      st: a.cur.loggedIn ? a.cur.st : null,
      busy: new Array<number>(w).fill(0),
      ready: new Array<number>(w).fill(0),
      tail: 0,
      tailRel: new Array<number>(w).fill(0),
    };
    const h = a.hist;
    // The state after an event depends on that event alone (step), so the walk may start at
    // any event: a busy agent's closed segments are taken from the memo while the events
    // before its boundary are the same objects in the same order (a late event inserted
    // before it or a new window invalidates it). A prune drops the oldest events into the
    // settled occupancy: their segments are taken back out of the memo's sums.
    let i0 = 0;
    const memo = h.length >= MEMO_MIN ? this.memos.get(a) : undefined;
    const cut = memo && memo.froms === this.froms ? prunedFrom(memo, h) : -1;
    if (memo && cut >= 0 && h[memo.m - cut] === memo.at) {
      for (let wi = 0; wi < w; wi++) {
        sh.busy[wi] = memo.busy[wi] as number;
        sh.ready[wi] = memo.ready[wi] as number;
      }
      if (cut > 0) this.segments(memo.h, 0, cut, sh, -1);
      i0 = memo.m - cut;
    }
    this.walked += h.length - i0;
    this.segments(h, i0, h.length, sh, 1);
    // Every segment but the last (the open tail) is closed: remember their sums.
    if (h.length >= MEMO_MIN)
      this.memos.set(a, {
        h,
        m: h.length - 1,
        at: h[h.length - 1] as AgentEv,
        froms: this.froms,
        busy: sh.busy.slice(),
        ready: sh.ready.slice(),
      });
    return sh;
  }

  /**
   * Adds (sign 1) or takes out (-1) the segments of events [i, end) of history `h` in each
   * window; the segment of the history's last event is the open tail (added only).
   */
  private segments(h: readonly AgentEv[], i: number, end: number, sh: Share, sign: 1 | -1): void {
    const w = this.froms.length;
    let s: AgentState = LOGGED_OUT;
    for (; i < end; i++) {
      const e = h[i] as AgentEv;
      s = step(s, e);
      if (!s.loggedIn || (!BUSY.has(s.st) && s.st !== 'ready')) continue;
      const busy = BUSY.has(s.st);
      const next = h[i + 1];
      for (let wi = 0; wi < w; wi++) {
        const from = this.froms[wi] as number;
        const start = Math.max(e.ts, from);
        if (next) {
          const ms = next.ts - start;
          if (ms > 0) inc(busy ? sh.busy : sh.ready, wi, sign * ms);
        } else sh.tailRel[wi] = start - from;
      }
      if (!next) sh.tail = busy ? 1 : 2;
    }
  }

  private add(sh: Share, sign: 1 | -1): void {
    for (const k of sh.keys) {
      const t = this.key(k);
      if (sh.st !== null) {
        const n = (t.states.get(sh.st) ?? 0) + sign;
        if (n === 0) t.states.delete(sh.st);
        else t.states.set(sh.st, n);
      }
      for (let wi = 0; wi < this.froms.length; wi++) {
        inc(t.busy, wi, sign * (sh.busy[wi] as number));
        inc(t.ready, wi, sign * (sh.ready[wi] as number));
        if (sh.tail === 1) inc(t.relBusy, wi, sign * (sh.tailRel[wi] as number));
        if (sh.tail === 2) inc(t.relReady, wi, sign * (sh.tailRel[wi] as number));
      }
      if (sh.tail === 1) t.nBusy += sign;
      if (sh.tail === 2) t.nReady += sign;
    }
  }

  /** Brings the tallies up to date for windows starting at `froms` (a change of window recounts everyone). */
  update(agents: ReadonlyMap<string, AgentRec>, froms: number[]): void {
    if (
      this.all ||
      froms.length !== this.froms.length ||
      froms.some((f, i) => f !== this.froms[i])
    ) {
      this.froms = [...froms];
      this.keys.clear();
      this.dirty.clear();
      this.all = false;
      for (const a of agents.values()) this.put(a);
      return;
    }
    for (const id of this.dirty) {
      const a = agents.get(id);
      if (a) this.put(a);
    }
    this.dirty.clear();
  }

  private put(a: AgentRec): void {
    this.add(this.shareOf(a), 1);
  }

  /** Forget everything (configuration change): the next update recounts. */
  reset(): void {
    this.all = true;
  }

  /** Occupancy of the open history per key and window at `now` (now >= every applied event). */
  occupancy(now: number): Map<string, Occ[]> {
    const out = new Map<string, Occ[]>();
    for (const [k, t] of this.keys)
      out.set(
        k,
        this.froms.map((from, wi) => ({
          busy: (t.busy[wi] as number) + t.nBusy * (now - from) - (t.relBusy[wi] as number),
          ready: (t.ready[wi] as number) + t.nReady * (now - from) - (t.relReady[wi] as number),
        })),
      );
    return out;
  }

  /** Logged-in agents by state per key, before the ghost (stale) adjustment. */
  states(k: string): ReadonlyMap<string, number> | undefined {
    return this.keys.get(k)?.states;
  }

  tallyKeys(): IterableIterator<string> {
    return this.keys.keys();
  }
}
