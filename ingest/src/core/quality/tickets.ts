// One complaint work order (工单) as its events build it, and its timers: signed and
// dispatched within 15 min, replied before 80% of the limit, extensions asked before 80%,
// closed by the due time. Pure: every check takes `now` and reads only events at or before it,
// so re-applying an event (replay after hydrate) changes nothing.
import type { FwEvent, TicketEvent } from '../contract.js';
import { parseTs } from '../event-timestamps.js';
import type { QualityConfig } from './config.js';
import { dueTime } from './limits.js';

export interface TicketRec {
  ticket: string;
  created: number | null;
  category: string;
  class: string;
  customer_class: string;
  channel: string;
  caller: string;
  agent: string;
  call: string;
  signed: number | null;
  dispatched: number | null;
  department: string;
  /** Time of the dispatch that set `department` (the latest). */
  dispatched_last: number | null;
  replied: number | null;
  /** Extension requests by event id: when asked, and the new due time asked for. */
  extensions: Map<string, { at: number; due: number }>;
  closed: number | null;
  followed_up: number | null;
  /**
   * The limit rule's due time, remembered for the configuration and creation it was computed
   * for: every evaluation reads every open order, and working days cost a luxon walk.
   */
  memo?: {
    q: QualityConfig;
    zone: string;
    created: number;
    class: string;
    customer_class: string;
    category: string;
    due: number;
  };
}

export type TicketState = 'new' | 'signed' | 'dispatched' | 'replied' | 'closed';
export type TicketWarningKind =
  'ticket_unsigned' | 'ticket_reply_due' | 'ticket_late_extension' | 'ticket_overdue';

export interface TicketTimes {
  /** Due time after any extension asked in time. */
  due: number;
  /** The instant the reply (and any extension request) is due: created + share × limit. */
  reply_by: number;
  sign_by: number;
  /** First extension asked after the 80% point of the original limit, or null. */
  late_extension_at: number | null;
}

export interface TicketWarning {
  kind: TicketWarningKind;
  ticket: TicketRec;
  /** When the condition began (event time). */
  since: number;
}

export function newTicket(id: string): TicketRec {
  return {
    ticket: id,
    created: null,
    category: '',
    class: '',
    customer_class: '',
    channel: '',
    caller: '',
    agent: '',
    call: '',
    signed: null,
    dispatched: null,
    department: '',
    dispatched_last: null,
    replied: null,
    extensions: new Map(),
    closed: null,
    followed_up: null,
  };
}

const first = (cur: number | null, ts: number): number => (cur === null || ts < cur ? ts : cur);

/** Applies one ticket event: each time keeps its earliest occurrence, so order and repeats do not matter. */
export function applyTicketEvent(t: TicketRec, ev: TicketEvent): void {
  switch (ev.type) {
    case 'ticket.created':
      t.created = first(t.created, ev.ts);
      t.category = ev.category;
      t.class = ev.class;
      t.customer_class = ev.customer_class ?? '';
      t.channel = ev.channel ?? '';
      t.caller = ev.caller ?? '';
      t.agent = ev.agent ?? '';
      t.call = ev.call ?? '';
      break;
    case 'ticket.signed':
      t.signed = first(t.signed, ev.ts);
      break;
    case 'ticket.dispatched':
      // The latest dispatch names the department (re-dispatched orders move on).
      if (t.dispatched_last === null || ev.ts >= t.dispatched_last) {
        t.department = ev.department;
        t.dispatched_last = ev.ts;
      }
      t.dispatched = first(t.dispatched, ev.ts);
      break;
    case 'ticket.replied':
      t.replied = first(t.replied, ev.ts);
      break;
    case 'ticket.extension_requested':
      t.extensions.set(ev.id, { at: ev.ts, due: parseTs(ev.due) });
      break;
    case 'ticket.closed':
      t.closed = first(t.closed, ev.ts);
      break;
    case 'ticket.followed_up':
      t.followed_up = first(t.followed_up, ev.ts);
      break;
  }
}

export function isTicketEvent(ev: FwEvent): ev is TicketEvent {
  return ev.type.startsWith('ticket.');
}

/** The order's deadlines as of `now` (extensions asked after `now` are not yet known). */
export function ticketTimes(
  t: TicketRec & { created: number },
  q: QualityConfig,
  zone: string,
  now = Infinity,
): TicketTimes {
  const m = t.memo;
  let base: number;
  if (
    m &&
    m.q === q &&
    m.zone === zone &&
    m.created === t.created &&
    m.class === t.class &&
    m.customer_class === t.customer_class &&
    m.category === t.category
  )
    base = m.due;
  else {
    base = dueTime(t.created, t, q, zone);
    t.memo = {
      q,
      zone,
      created: t.created,
      class: t.class,
      customer_class: t.customer_class,
      category: t.category,
      due: base,
    };
  }
  const point0 = t.created + q.reply_share * (base - t.created);
  let due = base;
  let lastValid = -Infinity;
  let late: number | null = null;
  for (const x of t.extensions.values()) {
    if (x.at > now) continue;
    if (x.at <= point0) {
      // The latest extension asked in time sets the due time.
      if (x.at > lastValid || (x.at === lastValid && x.due > due)) {
        lastValid = x.at;
        due = x.due;
      }
    } else late = late === null ? x.at : Math.min(late, x.at);
  }
  return {
    due,
    reply_by: t.created + q.reply_share * (due - t.created),
    sign_by: t.created + q.sign_within_s * 1000,
    late_extension_at: late,
  };
}

const by = (x: number | null, now: number): boolean => x !== null && x <= now;

export function ticketState(t: TicketRec, now: number): TicketState {
  if (by(t.closed, now)) return 'closed';
  if (by(t.replied, now)) return 'replied';
  if (by(t.dispatched, now)) return 'dispatched';
  if (by(t.signed, now)) return 'signed';
  return 'new';
}

/** The warnings that hold for one order at `now`; none once it is closed. */
export function ticketWarnings(
  t: TicketRec,
  q: QualityConfig,
  zone: string,
  now: number,
): TicketWarning[] {
  if (t.created === null || t.created > now || by(t.closed, now)) return [];
  const times = ticketTimes(t as TicketRec & { created: number }, q, zone, now);
  const out: TicketWarning[] = [];
  if (now >= times.sign_by && !(by(t.signed, now) && by(t.dispatched, now)))
    out.push({ kind: 'ticket_unsigned', ticket: t, since: times.sign_by });
  if (now >= times.reply_by && !by(t.replied, now))
    out.push({ kind: 'ticket_reply_due', ticket: t, since: Math.ceil(times.reply_by) });
  if (times.late_extension_at !== null)
    out.push({ kind: 'ticket_late_extension', ticket: t, since: times.late_extension_at });
  if (now >= times.due) out.push({ kind: 'ticket_overdue', ticket: t, since: times.due });
  return out;
}

/** The next instant after `now` at which one of the order's warnings can begin, or null. */
export function nextTicketDue(
  t: TicketRec,
  q: QualityConfig,
  zone: string,
  now: number,
): number | null {
  if (t.created === null || by(t.closed, now)) return null;
  const times = ticketTimes(t as TicketRec & { created: number }, q, zone, now);
  let due = Infinity;
  for (const x of [times.sign_by, Math.ceil(times.reply_by), times.due])
    if (x > now) due = Math.min(due, x);
  return Number.isFinite(due) ? due : null;
}

/**
 * The first instant after `now` at which ticketWarnings can answer differently with no new
 * event: one of the order's own times passes (an event stamped ahead of the clock counts only
 * from its time), or one of its timers runs out. Infinity when nothing is ahead.
 */
export function nextTicketChange(
  t: TicketRec,
  q: QualityConfig,
  zone: string,
  now: number,
): number {
  let next = Infinity;
  const ahead = (x: number | null): void => {
    if (x !== null && x > now && x < next) next = x;
  };
  ahead(t.created);
  ahead(t.signed);
  ahead(t.dispatched);
  ahead(t.replied);
  ahead(t.closed);
  for (const x of t.extensions.values()) ahead(x.at);
  if (t.created !== null && t.created <= now && !by(t.closed, now)) {
    const times = ticketTimes(t as TicketRec & { created: number }, q, zone, now);
    ahead(times.sign_by);
    ahead(times.reply_by);
    ahead(times.due);
  }
  return next;
}
