// One call's facts, folded from its events in any arrival order (min/max by event time,
// so a resent or late event lands in the same place), and the figures it contributes.
import type { FwEvent } from '../contract.js';

type CallEvent = Extract<FwEvent, { call: string }>;

export interface CallRec {
  /** Earliest call.offered (the caller's wait starts here, overflow keeps it); NaN if none yet. */
  offTs: number;
  /** Queue the call waits in: the newest offered (queue) or overflowed (to_queue). */
  wq: string | null;
  wqTs: number;
  wqId: string;
  /** The queue phase's end: earliest call.answered or call.abandoned by (ts, id). 0 none, 1 answered, 2 abandoned. */
  endKind: 0 | 1 | 2;
  endTs: number;
  endId: string;
  endQ: string;
  endAgent: string;
  /** Earliest call.answered; NaN if none. */
  ansTs: number;
  /** Newest call.ended by (ts, id); NaN if none. */
  edTs: number;
  edId: string;
  edQ: string;
  edAgent: string;
  lastTs: number;
  contrib: Contrib | null;
  waitingIn: string | null;
  activeAgent: string | null;
  pinAgent: string | null;
  /** The end time it is pinned under (NaN when not pinned). */
  pinTs: number;
  /** First seen through an event older than the fold horizon (never shown waiting). */
  lateBorn: boolean;
}

/** Queue-phase part: counted in the interval where the phase ended, in the queue where it ended. */
export interface Phase {
  q: string;
  b: number;
  kind: 1 | 2;
  waitMs: number;
  endTs: number;
  agent: string | null;
}

/** Handle part (AHT): counted in the interval of call.ended, in call.ended's queue. */
export interface Handle {
  q: string;
  b: number;
  ms: number;
  /** Time the wrap-up finished (the handle is final from here). */
  until: number;
}

export interface Contrib {
  phase: Phase | null;
  handle: Handle | null;
}

export function newCall(): CallRec {
  return {
    offTs: NaN,
    wq: null,
    wqTs: -Infinity,
    wqId: '',
    endKind: 0,
    endTs: NaN,
    endId: '',
    endQ: '',
    endAgent: '',
    ansTs: NaN,
    edTs: NaN,
    edId: '',
    edQ: '',
    edAgent: '',
    lastTs: -Infinity,
    contrib: null,
    waitingIn: null,
    activeAgent: null,
    pinAgent: null,
    pinTs: NaN,
    lateBorn: false,
  };
}

const earlier = (ts: number, id: string, curTs: number, curId: string): boolean => Number.isNaN(curTs) || ts < curTs || (ts === curTs && id < curId);
const later = (ts: number, id: string, curTs: number, curId: string): boolean => Number.isNaN(curTs) || ts > curTs || (ts === curTs && id > curId);

/** Folds one call event into the record. Idempotent: applying an event twice changes nothing. */
export function foldCallEvent(r: CallRec, ev: CallEvent): void {
  if (ev.ts > r.lastTs) r.lastTs = ev.ts;
  switch (ev.type) {
    case 'call.offered':
      if (Number.isNaN(r.offTs) || ev.ts < r.offTs) r.offTs = ev.ts;
      if (later(ev.ts, ev.id, r.wqTs, r.wqId)) [r.wq, r.wqTs, r.wqId] = [ev.queue, ev.ts, ev.id];
      break;
    case 'call.overflowed':
      if (later(ev.ts, ev.id, r.wqTs, r.wqId)) [r.wq, r.wqTs, r.wqId] = [ev.to_queue, ev.ts, ev.id];
      break;
    case 'call.answered':
    case 'call.abandoned':
      if (ev.type === 'call.answered' && (Number.isNaN(r.ansTs) || ev.ts < r.ansTs)) r.ansTs = ev.ts;
      if (r.endKind === 0 || earlier(ev.ts, ev.id, r.endTs, r.endId)) {
        r.endKind = ev.type === 'call.answered' ? 1 : 2;
        r.endTs = ev.ts;
        r.endId = ev.id;
        r.endQ = ev.queue;
        r.endAgent = ev.type === 'call.answered' ? ev.agent : '';
      }
      break;
    case 'call.ended':
      if (later(ev.ts, ev.id, r.edTs, r.edId)) [r.edTs, r.edId, r.edQ, r.edAgent] = [ev.ts, ev.id, ev.queue, ev.agent];
      break;
    default:
      break; // call.transferred: recorded in history; it changes no figure here.
  }
}

export function samePhase(a: Phase | null, b: Phase | null): boolean {
  if (a === null || b === null) return a === b;
  return a.q === b.q && a.b === b.b && a.kind === b.kind && a.waitMs === b.waitMs && a.endTs === b.endTs && a.agent === b.agent;
}

export function sameHandle(a: Handle | null, b: Handle | null): boolean {
  if (a === null || b === null) return a === b;
  return a.q === b.q && a.b === b.b && a.ms === b.ms && a.until === b.until;
}
