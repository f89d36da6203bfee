// One call's facts, folded from its events in any arrival order (min/max by event time,
// so a resent or late event lands in the same place), and the figures it contributes
// (docs/definitions.md, "Calls and queues"). Times are epoch ms; NaN means "no such event
// yet".
import type { QueueEvent } from '../contract.js';

type CallEvent = Extract<QueueEvent, { call: string }>;

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
  /** Earliest call.offered: the caller's wait starts here (an overflow keeps it). */
  offeredAt: number;
  /** Queue the call waits in: the newest offered (queue) or overflowed (to_queue), and that event's time and id. */
  wq: string | null;
  wqAt: number;
  wqId: string;
  /** The queue phase's end: earliest call.answered or call.abandoned by (ts, id). 0 none, 1 answered, 2 abandoned. */
  endKind: 0 | 1 | 2;
  endAt: number;
  endId: string;
  endQ: string;
  endAgent: string;
  /** Earliest call.answered. */
  answeredAt: number;
  /** Newest call.ended by (ts, id). */
  endedAt: number;
  edId: string;
  edQ: string;
  edAgent: string;
  /** Newest event of the call. */
  lastAt: number;
  /**
   * The queue phase it contributes (0 none): counted in the interval (`phaseBucket`) and
   * queue where the phase ended, with its wait and end time and the answering agent.
   */
  phKind: 0 | 1 | 2;
  phQ: string;
  phAgent: string | null;
  phaseBucket: number;
  phaseWaitMs: number;
  phaseEndAt: number;
  /**
   * The handle it contributes to AHT (hdQ null: none): counted in call.ended's interval and
   * queue, with talk + hold + wrap-up in ms and when the wrap-up finished.
   */
  hdQ: string | null;
  handleBucket: number;
  handleMs: number;
  handleUntil: number;
  waitingIn: string | null;
  activeAgent: string | null;
  /** The agent its handle is pinned under, and the end time it is pinned at (NaN when not pinned). */
  pinAgent: string | null;
  pinnedAt: number;
  /** First seen through an event older than the fold horizon (never shown waiting). */
  lateBorn: boolean;
  /**
   * Expiry it contributes (exQ null: none): a call whose answer or abandon came only after
   * its expiry deadline counts as expired in the queue it waited in and the interval of the
   * deadline. A call with no end yet is counted at read time (live-queues.ts).
   */
  exQ: string | null;
  exB: number;
}

export function newCall(): CallRec {
  return {
    offeredAt: NaN,
    wq: null,
    wqAt: -Infinity,
    wqId: '',
    endKind: 0,
    endAt: NaN,
    endId: '',
    endQ: '',
    endAgent: '',
    answeredAt: NaN,
    endedAt: NaN,
    edId: '',
    edQ: '',
    edAgent: '',
    lastAt: -Infinity,
    phKind: 0,
    phQ: '',
    phAgent: null,
    phaseBucket: 0,
    phaseWaitMs: 0,
    phaseEndAt: 0,
    hdQ: null,
    handleBucket: 0,
    handleMs: 0,
    handleUntil: 0,
    waitingIn: null,
    activeAgent: null,
    pinAgent: null,
    pinnedAt: NaN,
    lateBorn: false,
    exQ: null,
    exB: 0,
  };
}

/** The queue phase the record contributes now, as a value (null none). */
export function phaseOf(r: CallRec): Phase | null {
  return r.phKind === 0
    ? null
    : {
        q: r.phQ,
        b: r.phaseBucket,
        kind: r.phKind,
        waitMs: r.phaseWaitMs,
        endTs: r.phaseEndAt,
        agent: r.phAgent,
      };
}

/** The handle the record contributes now, as a value (null none). */
export function handleOf(r: CallRec): Handle | null {
  return r.hdQ === null
    ? null
    : { q: r.hdQ, b: r.handleBucket, ms: r.handleMs, until: r.handleUntil };
}

const earlier = (ts: number, id: string, curTs: number, curId: string): boolean =>
  Number.isNaN(curTs) || ts < curTs || (ts === curTs && id < curId);
const later = (ts: number, id: string, curTs: number, curId: string): boolean =>
  Number.isNaN(curTs) || ts > curTs || (ts === curTs && id > curId);

/** Folds one call event into the record. Idempotent: applying an event twice changes nothing. */
export function foldCallEvent(r: CallRec, ev: CallEvent): void {
  if (ev.ts > r.lastAt) r.lastAt = ev.ts;
  switch (ev.type) {
    case 'call.offered':
      if (Number.isNaN(r.offeredAt) || ev.ts < r.offeredAt) r.offeredAt = ev.ts;
      if (later(ev.ts, ev.id, r.wqAt, r.wqId)) {
        r.wq = ev.queue;
        r.wqAt = ev.ts;
        r.wqId = ev.id;
      }
      break;
    case 'call.overflowed':
      if (later(ev.ts, ev.id, r.wqAt, r.wqId)) {
        r.wq = ev.to_queue;
        r.wqAt = ev.ts;
        r.wqId = ev.id;
      }
      break;
    case 'call.answered':
    case 'call.abandoned':
      if (ev.type === 'call.answered' && (Number.isNaN(r.answeredAt) || ev.ts < r.answeredAt))
        r.answeredAt = ev.ts;
      if (r.endKind === 0 || earlier(ev.ts, ev.id, r.endAt, r.endId)) {
        r.endKind = ev.type === 'call.answered' ? 1 : 2;
        r.endAt = ev.ts;
        r.endId = ev.id;
        r.endQ = ev.queue;
        r.endAgent = ev.type === 'call.answered' ? ev.agent : '';
      }
      break;
    case 'call.ended':
      if (later(ev.ts, ev.id, r.endedAt, r.edId)) {
        r.endedAt = ev.ts;
        r.edId = ev.id;
        r.edQ = ev.queue;
        r.edAgent = ev.agent;
      }
      break;
    default:
      break; // call.transferred: recorded in history; it changes no figure here.
  }
}
