// One call's facts, folded from its events in any arrival order (min/max by event time,
// so a resent or late event lands in the same place), and the figures it contributes.
//
// Layout: a record is held for every call inside the fold horizon (at 28,000 calls/s that
// is ~280,000 records), and the old generation's GC marks them all, again and again. Its
// numbers (times, waits, buckets) live in one packed double array, `t`: a number in an
// object's own field is a separate heap object (V8 boxes doubles, and epoch milliseconds
// are no small integers), while an array of doubles stores them unboxed. A record and its
// contributions were ~13 heap objects (record, contribution, phase, handle, 9 boxed
// numbers); they are now 3 (record, array, its element store). The figures it contributes
// (its queue phase and its handle) are fields of the record, not objects of their own
// replaced on every event.
import type { FwEvent } from '../contract.js';

type CallEvent = Extract<FwEvent, { call: string }>;

/** Slots of CallRec.t: the call's facts… */
export const OFF = 0;
export const WQ = 1;
export const END = 2;
export const ANS = 3;
export const ED = 4;
export const LAST = 5;
export const PIN = 6;
/** …the contributed queue phase's bucket, wait and end time (valid while phKind !== 0)… */
export const PH_B = 7;
export const PH_WAIT = 8;
export const PH_END = 9;
/** …and the contributed handle's bucket, handle ms and wrap-up end (valid while hdQ !== null). */
export const HD_B = 10;
export const HD_MS = 11;
export const HD_UNTIL = 12;

type Times = [number, number, number, number, number, number, number, number, number, number, number, number, number];

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

export interface CallRec {
  /**
   * The record's numbers, one array of unboxed doubles (only numbers are ever stored):
   * t[OFF] earliest call.offered (the caller's wait starts here, overflow keeps it), NaN if
   * none yet; t[WQ] time of the event that set `wq`; t[END] the queue phase's end; t[ANS]
   * earliest call.answered, NaN if none; t[ED] newest call.ended, NaN if none; t[LAST] the
   * newest event; t[PIN] the end time it is pinned under (NaN when not pinned); then the
   * contributed phase's and handle's numbers (PH_*, HD_*).
   */
  t: Times;
  /** Queue the call waits in: the newest offered (queue) or overflowed (to_queue). */
  wq: string | null;
  wqId: string;
  /** The queue phase's end: earliest call.answered or call.abandoned by (ts, id). 0 none, 1 answered, 2 abandoned. */
  endKind: 0 | 1 | 2;
  endId: string;
  endQ: string;
  endAgent: string;
  /** Newest call.ended by (ts, id). */
  edId: string;
  edQ: string;
  edAgent: string;
  /** The contributed queue phase (0 none) with its queue and answering agent; numbers in t. */
  phKind: 0 | 1 | 2;
  phQ: string;
  phAgent: string | null;
  /** The contributed handle's queue (null none); numbers in t. */
  hdQ: string | null;
  waitingIn: string | null;
  activeAgent: string | null;
  pinAgent: string | null;
  /** First seen through an event older than the fold horizon (never shown waiting). */
  lateBorn: boolean;
}

// A plain object literal, not a class: V8 tracks the survival of a literal's allocations and
// puts them straight into the old generation once most survive (pretenuring), which held
// records do; a class instance is always copied by the young generation's GC first
// (measured: twice the bytes promoted per scavenge).
export function newCall(): CallRec {
  return {
    t: [NaN, -Infinity, NaN, NaN, NaN, -Infinity, NaN, 0, 0, 0, 0, 0, 0],
    wq: null,
    wqId: '',
    endKind: 0,
    endId: '',
    endQ: '',
    endAgent: '',
    edId: '',
    edQ: '',
    edAgent: '',
    phKind: 0,
    phQ: '',
    phAgent: null,
    hdQ: null,
    waitingIn: null,
    activeAgent: null,
    pinAgent: null,
    lateBorn: false,
  };
}

/** The queue phase the record contributes now, as a value (null none). */
export function phaseOf(r: CallRec): Phase | null {
  const t = r.t;
  return r.phKind === 0 ? null : { q: r.phQ, b: t[PH_B], kind: r.phKind, waitMs: t[PH_WAIT], endTs: t[PH_END], agent: r.phAgent };
}

/** The handle the record contributes now, as a value (null none). */
export function handleOf(r: CallRec): Handle | null {
  const t = r.t;
  return r.hdQ === null ? null : { q: r.hdQ, b: t[HD_B], ms: t[HD_MS], until: t[HD_UNTIL] };
}

const earlier = (ts: number, id: string, curTs: number, curId: string): boolean => Number.isNaN(curTs) || ts < curTs || (ts === curTs && id < curId);
const later = (ts: number, id: string, curTs: number, curId: string): boolean => Number.isNaN(curTs) || ts > curTs || (ts === curTs && id > curId);

/** Folds one call event into the record. Idempotent: applying an event twice changes nothing. */
export function foldCallEvent(r: CallRec, ev: CallEvent): void {
  const t = r.t;
  if (ev.ts > t[LAST]) t[LAST] = ev.ts;
  switch (ev.type) {
    case 'call.offered':
      if (Number.isNaN(t[OFF]) || ev.ts < t[OFF]) t[OFF] = ev.ts;
      if (later(ev.ts, ev.id, t[WQ], r.wqId)) {
        r.wq = ev.queue;
        t[WQ] = ev.ts;
        r.wqId = ev.id;
      }
      break;
    case 'call.overflowed':
      if (later(ev.ts, ev.id, t[WQ], r.wqId)) {
        r.wq = ev.to_queue;
        t[WQ] = ev.ts;
        r.wqId = ev.id;
      }
      break;
    case 'call.answered':
    case 'call.abandoned':
      if (ev.type === 'call.answered' && (Number.isNaN(t[ANS]) || ev.ts < t[ANS])) t[ANS] = ev.ts;
      if (r.endKind === 0 || earlier(ev.ts, ev.id, t[END], r.endId)) {
        r.endKind = ev.type === 'call.answered' ? 1 : 2;
        t[END] = ev.ts;
        r.endId = ev.id;
        r.endQ = ev.queue;
        r.endAgent = ev.type === 'call.answered' ? ev.agent : '';
      }
      break;
    case 'call.ended':
      if (later(ev.ts, ev.id, t[ED], r.edId)) {
        t[ED] = ev.ts;
        r.edId = ev.id;
        r.edQ = ev.queue;
        r.edAgent = ev.agent;
      }
      break;
    default:
      break; // call.transferred: recorded in history; it changes no figure here.
  }
}
