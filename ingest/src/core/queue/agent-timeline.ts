// One agent's recent state history, kept sorted by event time so out-of-order events are
// applied in event-time order. Events older than the fold horizon are settled: their
// state time moves into occupancy aggregates and they leave the list, which keeps an
// agent to a few events at the default 5-minute horizon.
// Memory (the goal is 2 KB per live agent): the history is kept at its exact length,
// copied on change (a push onto an empty array reserves 17 slots, more than it holds), an
// agent with no history shares one frozen empty array, a new agent shares the frozen
// logged-out state instead of two copies, and state names and reasons are interned.
import type { AgentLoginEvent, AgentLogoutEvent, AgentStateEvent } from '../contract.js';

export type AgentEvent = AgentLoginEvent | AgentLogoutEvent | AgentStateEvent;

/** Kind: 0 login, 1 logout, 2 state. */
export interface AgentEv {
  ts: number;
  id: string;
  k: 0 | 1 | 2;
  st: string;
  rs: string | null;
}

export interface AgentState {
  loggedIn: boolean;
  st: string;
  rs: string | null;
  since: number;
}

export interface AgentRec {
  id: string;
  name: string;
  team: string;
  /** Queues from the newest login (empty: serves every queue). */
  queues: string[];
  loginTs: number;
  /** State just before hist[0]. */
  base: AgentState;
  /** Settled up to here: events before it can no longer be placed (too late). */
  settledTo: number;
  hist: AgentEv[];
  cur: AgentState;
  /** Newest event time touching the agent (agent or call events), for ghost detection. */
  lastTs: number;
  callsDay: number;
  callsN: number;
  /** Day (start ms) of the missed-ring counts below: rings not answered, and members not reachable. */
  rnaDay: number;
  rnaN: number;
  unreachN: number;
  /** Calls answered by this agent and not ended. */
  active: string[];
  /**
   * Unfolded calls whose AHT wrap-up depends on this agent's history, as flat [call, ended
   * ts, ...] pairs, null when none: an agent has 0-3 at a time, and an empty Map per agent
   * would outweigh them, against the 2 KB-per-agent goal.
   */
  pins: (string | number)[] | null;
}

export const LOGGED_OUT: AgentState = Object.freeze({
  loggedIn: false,
  st: 'logged_out',
  rs: null,
  since: 0,
}) as AgentState;

/** The history of an agent with none (frozen: histories are replaced, never changed in place). */
const NO_EVENTS: AgentEv[] = Object.freeze([]) as unknown as AgentEv[];
const NO_QUEUES: string[] = Object.freeze([]) as unknown as string[];

/** Interned state names and reasons; past MAX_INTERNED distinct values the table starts over. */
const MAX_INTERNED = 10_000;
const interned = new Map<string, string>();
function intern(x: string): string {
  const v = interned.get(x);
  if (v !== undefined) return v;
  if (interned.size >= MAX_INTERNED) interned.clear();
  interned.set(x, x);
  return x;
}

export function newAgent(id: string): AgentRec {
  return {
    id,
    name: id,
    team: '',
    queues: NO_QUEUES,
    loginTs: -Infinity,
    // Shared, never mutated: states are replaced (step), never changed in place.
    base: LOGGED_OUT,
    settledTo: -Infinity,
    hist: NO_EVENTS,
    cur: LOGGED_OUT,
    lastTs: -Infinity,
    callsDay: 0,
    callsN: 0,
    rnaDay: 0,
    rnaN: 0,
    unreachN: 0,
    active: [],
    pins: null,
  };
}

/** Event order: time, then id (the SQL orders agent events by (ts, id) too). */
export const before = (a: { ts: number; id: string }, b: { ts: number; id: string }): boolean =>
  a.ts < b.ts || (a.ts === b.ts && a.id < b.id);

export function step(s: AgentState, e: AgentEv): AgentState {
  if (e.k === 0) return { loggedIn: true, st: 'not_ready', rs: null, since: e.ts };
  if (e.k === 1) return { loggedIn: false, st: 'logged_out', rs: null, since: e.ts };
  if (s.loggedIn && s.st === e.st && s.rs === e.rs) return s;
  return { loggedIn: true, st: e.st, rs: e.rs, since: e.ts };
}

export function toAgentEv(ev: AgentEvent): AgentEv {
  if (ev.type === 'agent.login') return { ts: ev.ts, id: ev.id, k: 0, st: '', rs: null };
  if (ev.type === 'agent.logout') return { ts: ev.ts, id: ev.id, k: 1, st: '', rs: null };
  return {
    ts: ev.ts,
    id: ev.id,
    k: 2,
    st: intern(ev.state),
    rs: ev.reason == null ? null : intern(ev.reason),
  };
}

/**
 * Inserts an event at its event-time place. Returns false when it is older than what has
 * been settled (it is still stored and counted by SQL; the live state cannot take it).
 */
/** Histories at least this long grow in place (the few-events case keeps exact lengths). */
const LONG_HISTORY = 8;

export function insertEvent(a: AgentRec, e: AgentEv): boolean {
  if (e.ts < a.settledTo) return false;
  const h = a.hist;
  let i = h.length;
  while (i > 0 && before(e, h[i - 1] as AgentEv)) i--;
  const prev = h[i - 1];
  if (prev && prev.id === e.id && prev.ts === e.ts) return true; // already applied
  const n = h.length;
  if (n >= LONG_HISTORY) {
    // A busy agent (many events inside the fold horizon): grow in place, amortised O(1);
    // copying would cost O(history) per event.
    h.splice(i, 0, e);
  } else {
    const next = new Array<AgentEv>(n + 1);
    for (let j = 0; j < i; j++) next[j] = h[j] as AgentEv;
    next[i] = e;
    for (let j = i; j < n; j++) next[j + 1] = h[j] as AgentEv;
    a.hist = next;
  }
  if (i === n) a.cur = step(a.cur, e);
  else recompute(a);
  if (e.ts > a.lastTs) a.lastTs = e.ts;
  return true;
}

export function recompute(a: AgentRec): void {
  let s = a.base;
  for (const e of a.hist) s = step(s, e);
  a.cur = s;
}

/** Busy for occupancy: talk + hold + wrap-up. */
export const BUSY = new Set(['talking', 'hold', 'wrap_up']);

/**
 * How long after call.ended its handle's end may come: the wrap-up's end (or the first
 * event, when it is no wrap-up) must be before call.ended + 6 h, else the call is not
 * counted for AHT. History reads the same 6 h (queries/reports/intervals-facts.sql), so a
 * stored day, any report range and the live engine count the same handles.
 */
export const WRAP_WINDOW_MS = 6 * 3_600_000;

/**
 * Wrap-up of the call that ended at `endedTs` by this agent: the agent's first event at
 * or after the end; if that is wrap_up, the time until the agent's next event, else 0.
 * `undefined` means not known yet (no event after the end, or wrap-up still open), or
 * never counted (that end comes at or after endedTs + WRAP_WINDOW_MS).
 */
export function wrapAfter(
  a: AgentRec,
  endedTs: number,
): { wrapMs: number; until: number } | undefined {
  const h = a.hist;
  // First event at or after the end (the history is sorted by time).
  let lo = 0;
  let hi = h.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((h[mid] as AgentEv).ts < endedTs) lo = mid + 1;
    else hi = mid;
  }
  const i = lo;
  const first = h[i];
  if (!first) return undefined;
  if (!(first.k === 2 && first.st === 'wrap_up'))
    return first.ts < endedTs + WRAP_WINDOW_MS ? { wrapMs: 0, until: first.ts } : undefined;
  const next = h[i + 1];
  if (!next || next.ts >= endedTs + WRAP_WINDOW_MS) return undefined;
  return { wrapMs: next.ts - first.ts, until: next.ts };
}

/**
 * Moves events older than `cutoff` out of the history, calling `settle(state, from, to)`
 * for each closed state segment. Never settles past a pinned call's end, so its wrap-up
 * can still be found.
 */
export function prune(
  a: AgentRec,
  cutoff: number,
  settle: (s: AgentState, from: number, to: number) => void,
): void {
  let limit = cutoff;
  const p = a.pins;
  // Pins are sorted by end: the first is the oldest.
  if (p && (p[1] as number) < limit) limit = p[1] as number;
  const h = a.hist;
  let n = 0;
  let s = a.base;
  while (n + 1 < h.length && (h[n + 1] as AgentEv).ts < limit) {
    const e = h[n] as AgentEv;
    s = step(s, e);
    settle(s, e.ts, (h[n + 1] as AgentEv).ts);
    n++;
  }
  if (n === 0) return;
  a.hist = h.slice(n);
  a.base = s;
  a.settledTo = (h[n] as AgentEv).ts;
}

/**
 * Pins call `call` (ended at `ts`) to the agent, or moves its end time. Pins stay sorted by
 * end time (engine.ts affectedPins and prune rely on it); ends arrive mostly in order, so
 * the place is found from the back. `present: false` (the caller knows the call is not
 * pinned here) skips the search.
 */
export function pinCall(a: AgentRec, call: string, ts: number, present = true): void {
  let p = a.pins;
  if (p && present) {
    const i = p.lastIndexOf(call);
    if (i >= 0) {
      if (p[i + 1] === ts) return;
      p.splice(i, 2);
      if (p.length === 0) p = null;
    }
  }
  if (!p) {
    a.pins = [call, ts];
    return;
  }
  let j = p.length;
  while (j > 0 && (p[j - 1] as number) > ts) j -= 2;
  // Exact length while short (a push would reserve ~17 slots; an agent usually holds 0-3
  // pins); a busy agent's long list grows in place.
  if (p.length >= LONG_HISTORY) p.splice(j, 0, call, ts);
  else a.pins = [...p.slice(0, j), call, ts, ...p.slice(j)];
}

/** Unpins a call (no-op when it is not pinned). */
export function unpinCall(a: AgentRec, call: string): void {
  const p = a.pins;
  if (!p) return;
  const i = p.indexOf(call);
  if (i < 0) return;
  p.splice(i, 2);
  if (p.length === 0) a.pins = null;
}

/**
 * Gives an agent record read back from a checkpoint the shared, frozen values a new record
 * has (a deserialised copy of a frozen array is neither shared with new records nor frozen,
 * and the freeze is what keeps an accidental push from reaching every agent).
 */
export function reviveAgent(a: AgentRec): void {
  if (a.hist.length === 0) a.hist = NO_EVENTS;
  if (a.queues.length === 0) a.queues = NO_QUEUES;
  else Object.freeze(a.queues);
  if (!a.base.loggedIn && a.base.since === 0) a.base = LOGGED_OUT;
  if (!a.cur.loggedIn && a.cur.since === 0) a.cur = LOGGED_OUT;
}
