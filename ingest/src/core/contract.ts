// The event contract: one bounded JSON schema per event type, compiled once by Ajv, plus
// the timestamp rules (ISO-8601 with offset or epoch ms, a fixed range and a clock-skew
// window). Ingest validates with it and the simulator emits through it.
import { Ajv, type ErrorObject } from 'ajv';
import { parseTs } from './event-timestamps.js';

export const AGENT_STATES = [
  'ready',
  'not_ready',
  'ringing',
  'talking',
  'hold',
  'wrap_up',
  'outbound',
] as const;
export type AgentState = (typeof AGENT_STATES)[number];

export const EVENT_TYPES = [
  'agent.login',
  'agent.logout',
  'agent.state',
  'call.offered',
  'call.answered',
  'call.abandoned',
  'call.overflowed',
  'call.transferred',
  'call.ended',
  'agent.ring_no_answer',
  'agent.heartbeat',
  'agent.break_requested',
  // Service quality (#21): complaint work orders (工单) and post-call surveys (满意度).
  'ticket.created',
  'ticket.signed',
  'ticket.dispatched',
  'ticket.replied',
  'ticket.extension_requested',
  'ticket.closed',
  'ticket.followed_up',
  'call.survey',
  'feed.heartbeat',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

interface Base {
  id: string;
  /** Event time as UTC epoch milliseconds (normalised from ISO-8601 or epoch ms). */
  ts: number;
  site: string;
}
export interface AgentLoginEvent extends Base {
  type: 'agent.login';
  agent: string;
  name?: string;
  team?: string;
  queues?: string[];
}
export interface AgentLogoutEvent extends Base {
  type: 'agent.logout';
  agent: string;
}
export interface AgentStateEvent extends Base {
  type: 'agent.state';
  agent: string;
  state: AgentState;
  reason?: string;
}
/** `caller` is a hash the source computes (never a raw number): repeat contacts and FCR. */
export interface CallOfferedEvent extends Base {
  type: 'call.offered';
  call: string;
  queue: string;
  caller?: string;
}
export interface CallAnsweredEvent extends Base {
  type: 'call.answered';
  call: string;
  queue: string;
  agent: string;
}
/** Why a caller left the queue unanswered when it was not a hang-up: the queue's timeout, a key pressed, no reachable agent, or withdrawn by an application. */
export const ABANDON_REASONS = ['timeout', 'key', 'empty', 'withdraw'] as const;
export type AbandonReason = (typeof ABANDON_REASONS)[number];
export interface CallAbandonedEvent extends Base {
  type: 'call.abandoned';
  call: string;
  queue: string;
  reason?: AbandonReason;
}
export interface CallOverflowedEvent extends Base {
  type: 'call.overflowed';
  call: string;
  queue: string;
  to_queue: string;
}
export interface CallTransferredEvent extends Base {
  type: 'call.transferred';
  call: string;
  queue: string;
  to_queue?: string;
  to_agent?: string;
}
export interface CallEndedEvent extends Base {
  type: 'call.ended';
  call: string;
  queue: string;
  agent: string;
}
/**
 * The agent was rung for a queue call and did not answer (Asterisk RINGNOANSWER). `ring_ms`
 * 0 means the agent could not be rung at all (unreachable), counted apart from missed rings.
 * It does not change the call or the agent's state.
 */
export interface AgentRingNoAnswerEvent extends Base {
  type: 'agent.ring_no_answer';
  agent: string;
  queue?: string;
  ring_ms: number;
}
/** The source says the agent's session is alive (Amazon Connect HEART_BEAT): refreshes ghost detection, changes no state. */
export interface AgentHeartbeatEvent extends Base {
  type: 'agent.heartbeat';
  agent: string;
}
/** An agent asks for a break (工作状态管理): granted by the rule under the team's cap, or by a lead on the board. */
export interface AgentBreakRequestedEvent extends Base {
  type: 'agent.break_requested';
  agent: string;
  reason?: string;
  minutes?: number;
}
export interface TicketCreatedEvent extends Base {
  type: 'ticket.created';
  ticket: string;
  category: string;
  /** Class of complaint: ordinary, hard, urgent, or a site's own name. */
  class: string;
  customer_class?: string;
  channel?: string;
  call?: string;
  caller?: string;
  /** The agent who took the complaint (team figures). */
  agent?: string;
}
export interface TicketSignedEvent extends Base {
  type: 'ticket.signed';
  ticket: string;
  by?: string;
}
export interface TicketDispatchedEvent extends Base {
  type: 'ticket.dispatched';
  ticket: string;
  department: string;
}
export interface TicketRepliedEvent extends Base {
  type: 'ticket.replied';
  ticket: string;
  department?: string;
}
export interface TicketExtensionEvent extends Base {
  type: 'ticket.extension_requested';
  ticket: string;
  due: string | number;
}
export interface TicketClosedEvent extends Base {
  type: 'ticket.closed';
  ticket: string;
}
export interface TicketFollowedUpEvent extends Base {
  type: 'ticket.followed_up';
  ticket: string;
  satisfied?: boolean;
}
/** A post-call survey: a score 1-5, or satisfied yes/no, or both. */
export interface CallSurveyEvent extends Base {
  type: 'call.survey';
  call: string;
  score?: number;
  satisfied?: boolean;
  agent?: string;
}
export type TicketEvent =
  | TicketCreatedEvent
  | TicketSignedEvent
  | TicketDispatchedEvent
  | TicketRepliedEvent
  | TicketExtensionEvent
  | TicketClosedEvent
  | TicketFollowedUpEvent;
/**
 * The producer is alive and has nothing to report (a quiet night): it keeps the site's feed
 * from being called stale, and names no agent, call or queue. Producers send it every few
 * seconds when idle (at most every stale_feed_s / 3).
 */
export interface FeedHeartbeatEvent extends Base {
  type: 'feed.heartbeat';
}

export type FwEvent =
  | AgentLoginEvent
  | AgentLogoutEvent
  | AgentStateEvent
  | CallOfferedEvent
  | CallAnsweredEvent
  | CallAbandonedEvent
  | CallOverflowedEvent
  | CallTransferredEvent
  | CallEndedEvent
  | FeedHeartbeatEvent
  | AgentRingNoAnswerEvent
  | AgentHeartbeatEvent
  | AgentBreakRequestedEvent
  | TicketEvent
  | CallSurveyEvent;

/** The events the queue and workforce engines read: everything but work orders and surveys. */
export type QueueEvent = Exclude<FwEvent, TicketEvent | CallSurveyEvent>;
export function isQueueEvent(ev: FwEvent): ev is QueueEvent {
  return !(ev.type.startsWith('ticket.') || ev.type === 'call.survey');
}

/** The event as a producer writes it: `ts` may still be an ISO string. */
export type WireEvent = Omit<FwEvent, 'ts'> & { ts: string | number };

// Bounds. Each is generous for real ACD identifiers and small enough that one line can
// never be used to blow up memory or a ClickHouse row.
const ID = { type: 'string', minLength: 1, maxLength: 64 } as const;
const KEY = {
  type: 'string',
  minLength: 1,
  maxLength: 64,
  pattern: '^[^\\u0000-\\u001f]+$',
} as const;
const SITE = {
  type: 'string',
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$',
} as const;
const CALL = { type: 'string', minLength: 1, maxLength: 128 } as const;
const TEXT = { type: 'string', maxLength: 128 } as const;
// A caller key is a hash the source computes (hex or base64 of SHA-256 and the like), never a
// phone number: 16-128 characters of [A-Za-z0-9+/=_-], and not all digits, so a raw number
// cannot be stored by mistake.
const HASH = {
  type: 'string',
  minLength: 16,
  maxLength: 128,
  pattern: '^(?![0-9]+$)[A-Za-z0-9+/=_-]+$',
} as const;
const TS = {
  anyOf: [
    { type: 'integer', minimum: 946684800000, maximum: 4102444800000 },
    {
      type: 'string',
      minLength: 20,
      maxLength: 35,
      pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:?\\d{2})$',
    },
  ],
} as const;

const common = { id: ID, ts: TS, site: SITE } as const;
const commonRequired = ['id', 'ts', 'type', 'site'] as const;

function eventSchema(type: EventType, props: Record<string, unknown>, required: string[]) {
  return {
    type: 'object',
    properties: { ...common, type: { const: type }, ...props },
    required: [...commonRequired, ...required],
    additionalProperties: false,
  };
}

export const EventSchemas: Record<EventType, object> = {
  'agent.login': eventSchema(
    'agent.login',
    {
      agent: KEY,
      name: TEXT,
      team: { type: 'string', maxLength: 64 },
      queues: { type: 'array', maxItems: 64, items: KEY },
    },
    ['agent'],
  ),
  'agent.logout': eventSchema('agent.logout', { agent: KEY }, ['agent']),
  'agent.state': eventSchema(
    'agent.state',
    { agent: KEY, state: { enum: AGENT_STATES }, reason: { type: 'string', maxLength: 64 } },
    ['agent', 'state'],
  ),
  'call.offered': eventSchema('call.offered', { call: CALL, queue: KEY, caller: HASH }, [
    'call',
    'queue',
  ]),
  'call.answered': eventSchema('call.answered', { call: CALL, queue: KEY, agent: KEY }, [
    'call',
    'queue',
    'agent',
  ]),
  'call.abandoned': eventSchema(
    'call.abandoned',
    { call: CALL, queue: KEY, reason: { enum: ABANDON_REASONS } },
    ['call', 'queue'],
  ),
  'call.overflowed': eventSchema('call.overflowed', { call: CALL, queue: KEY, to_queue: KEY }, [
    'call',
    'queue',
    'to_queue',
  ]),
  'call.transferred': eventSchema(
    'call.transferred',
    { call: CALL, queue: KEY, to_queue: KEY, to_agent: KEY },
    ['call', 'queue'],
  ),
  'call.ended': eventSchema('call.ended', { call: CALL, queue: KEY, agent: KEY }, [
    'call',
    'queue',
    'agent',
  ]),
  // Ring time up to one hour: a member is never rung longer than a queue call waits.
  'agent.ring_no_answer': eventSchema(
    'agent.ring_no_answer',
    { agent: KEY, queue: KEY, ring_ms: { type: 'integer', minimum: 0, maximum: 3_600_000 } },
    ['agent', 'ring_ms'],
  ),
  'agent.heartbeat': eventSchema('agent.heartbeat', { agent: KEY }, ['agent']),
  // minutes: 1 to 480, a break no longer than a shift.
  'agent.break_requested': eventSchema(
    'agent.break_requested',
    {
      agent: KEY,
      reason: { type: 'string', minLength: 1, maxLength: 64 },
      minutes: { type: 'integer', minimum: 1, maximum: 480 },
    },
    ['agent'],
  ),
  'ticket.created': eventSchema(
    'ticket.created',
    {
      ticket: KEY,
      category: KEY,
      class: KEY,
      customer_class: KEY,
      channel: KEY,
      call: CALL,
      caller: HASH,
      agent: KEY,
    },
    ['ticket', 'category', 'class'],
  ),
  'ticket.signed': eventSchema('ticket.signed', { ticket: KEY, by: KEY }, ['ticket']),
  'ticket.dispatched': eventSchema('ticket.dispatched', { ticket: KEY, department: KEY }, [
    'ticket',
    'department',
  ]),
  'ticket.replied': eventSchema('ticket.replied', { ticket: KEY, department: KEY }, ['ticket']),
  'ticket.extension_requested': eventSchema(
    'ticket.extension_requested',
    { ticket: KEY, due: TS },
    ['ticket', 'due'],
  ),
  'ticket.closed': eventSchema('ticket.closed', { ticket: KEY }, ['ticket']),
  'ticket.followed_up': eventSchema(
    'ticket.followed_up',
    { ticket: KEY, satisfied: { type: 'boolean' } },
    ['ticket'],
  ),
  // A survey must also carry a score or the yes/no (checked in validateEvent: a survey without an answer says nothing).
  'call.survey': eventSchema(
    'call.survey',
    {
      call: CALL,
      score: { type: 'integer', minimum: 1, maximum: 5 },
      satisfied: { type: 'boolean' },
      agent: KEY,
    },
    ['call'],
  ),
  'feed.heartbeat': eventSchema('feed.heartbeat', {}, []),
};

const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true });
const validators = new Map(EVENT_TYPES.map((t) => [t, ajv.compile(EventSchemas[t])]));

export interface ContractOptions {
  /** How far in the future (ms) an event's ts may be, for producer clock skew. */
  maxFutureSkewMs: number;
  /** How far in the past (ms) an event's ts may be; back-fills need days to months. */
  maxPastMs: number;
}
export const DEFAULT_CONTRACT: ContractOptions = {
  maxFutureSkewMs: 5 * 60_000,
  maxPastMs: 400 * 86_400_000,
};

export type ValidationResult = { ok: true; event: FwEvent } | { ok: false; error: string };

function describe(err: ErrorObject, type: string): string {
  const field = err.instancePath ? err.instancePath.slice(1).replace(/\//g, '.') : '';
  switch (err.keyword) {
    case 'required':
      return `missing field "${String(err.params['missingProperty'])}" (required for ${type})`;
    case 'additionalProperties':
      return `unknown field "${String(err.params['additionalProperty'])}" for ${type}`;
    case 'maxLength':
      return `field "${field}" is longer than ${String(err.params['limit'])} characters`;
    case 'minLength':
      return `field "${field}" must not be empty`;
    case 'enum':
      return `field "${field}" must be one of ${(err.params['allowedValues'] as string[]).join(', ')}`;
    case 'type':
      return `field "${field}" must be a ${String(err.params['type'])}`;
    case 'maxItems':
      return `field "${field}" has more than ${String(err.params['limit'])} items`;
    case 'pattern':
      if (field === 'caller')
        return 'field "caller" must be a hash of the caller (16-128 letters, digits, "+/=_-"), never a raw number';
      return field === 'site'
        ? 'field "site" may hold only letters, digits, "_", "." and "-"'
        : `field "${field}" contains control characters`;
    case 'minimum':
    case 'maximum':
      if (field === 'score') return 'field "score" must be from 1 to 5';
      return `field "${field}" ${err.message ?? 'is invalid'}`;
    case 'anyOf':
      return `field "${field}" must be ISO-8601 with an offset (e.g. 2026-11-23T09:00:00+08:00) or epoch milliseconds`;
    default:
      return `field "${field}" ${err.message ?? 'is invalid'}`;
  }
}

/**
 * Validates one decoded JSON value. On success returns the event with `ts` normalised
 * to epoch ms (the input object is not mutated).
 */
export function validateEvent(
  value: unknown,
  now: number,
  opts: ContractOptions = DEFAULT_CONTRACT,
  owned = false,
): ValidationResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: 'each line must be a JSON object' };
  }
  const type = (value as { type?: unknown }).type;
  if (type === undefined) return { ok: false, error: 'missing field "type"' };
  const validate = typeof type === 'string' ? validators.get(type as EventType) : undefined;
  if (!validate) {
    return {
      ok: false,
      error: `unknown event type ${JSON.stringify(type).slice(0, 80)}; expected one of ${EVENT_TYPES.join(', ')}`,
    };
  }
  if (!validate(value)) {
    const errs = validate.errors ?? [];
    // `ts` is "integer or ISO string": report the rule for both forms, not the first branch's.
    const tsErr = errs.find((e) => e.instancePath === '/ts' || e.instancePath === '/due');
    const err =
      tsErr && errs.some((e) => e.keyword === 'anyOf') ? { ...tsErr, keyword: 'anyOf' } : errs[0];
    return { ok: false, error: err ? describe(err, type as string) : 'invalid event' };
  }
  const raw = value as WireEvent;
  if (
    raw.type === 'call.survey' &&
    (raw as Partial<CallSurveyEvent>).score === undefined &&
    (raw as Partial<CallSurveyEvent>).satisfied === undefined
  ) {
    return {
      ok: false,
      error: 'call.survey needs "score" (1 to 5) or "satisfied" (true or false)',
    };
  }
  const ts = parseTs(raw.ts);
  if (!Number.isFinite(ts))
    return {
      ok: false,
      error:
        typeof raw.ts === 'string'
          ? `field "ts" is not a valid date and time: ${raw.ts.slice(0, 40)} does not exist on the calendar`
          : 'field "ts" is not a valid date and time',
    };
  if (ts > now + opts.maxFutureSkewMs) {
    return {
      ok: false,
      error: `field "ts" is ${Math.round((ts - now) / 1000)} s in the future; the clock-skew window is ${opts.maxFutureSkewMs / 1000} s`,
    };
  }
  if (ts < now - opts.maxPastMs) {
    return {
      ok: false,
      error: `field "ts" is older than the accepted window of ${Math.round(opts.maxPastMs / 86_400_000)} days`,
    };
  }
  if (ts < 946684800000 || ts > 4102444800000)
    return { ok: false, error: 'field "ts" is outside 2000-01-01..2100-01-01' };
  if (owned) {
    // The caller parsed this object itself: set ts in place instead of copying the event.
    (raw as { ts: unknown }).ts = ts;
    return { ok: true, event: raw as unknown as FwEvent };
  }
  return { ok: true, event: { ...raw, ts } as FwEvent };
}

/** Decodes and validates one NDJSON line. */
export function validateLine(
  line: string,
  now: number,
  opts: ContractOptions = DEFAULT_CONTRACT,
): ValidationResult {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    return { ok: false, error: `not valid JSON: ${(e as Error).message}` };
  }
  return validateEvent(value, now, opts, true);
}
