// The event contract: one valid example per type, and a plain reason for each kind of bad field.
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, validateEvent, validateLine } from '../../ingest/src/core/contract.js';

const now = Date.parse('2026-11-23T12:00:00Z');
const base = { id: 'e1', ts: '2026-11-23T19:59:00+08:00', site: 'hq' };
const examples: Record<string, object> = {
  'agent.login': {
    ...base,
    type: 'agent.login',
    agent: 'a1',
    name: '王芳',
    team: 'T1',
    queues: ['billing'],
  },
  'agent.logout': { ...base, type: 'agent.logout', agent: 'a1' },
  'agent.state': { ...base, type: 'agent.state', agent: 'a1', state: 'not_ready', reason: 'lunch' },
  'call.offered': { ...base, type: 'call.offered', call: 'c1', queue: 'billing' },
  'call.answered': { ...base, type: 'call.answered', call: 'c1', queue: 'billing', agent: 'a1' },
  'call.abandoned': { ...base, type: 'call.abandoned', call: 'c1', queue: 'billing' },
  'call.overflowed': {
    ...base,
    type: 'call.overflowed',
    call: 'c1',
    queue: 'billing',
    to_queue: 'backup',
  },
  'call.transferred': {
    ...base,
    type: 'call.transferred',
    call: 'c1',
    queue: 'billing',
    to_agent: 'a2',
  },
  'call.ended': { ...base, type: 'call.ended', call: 'c1', queue: 'billing', agent: 'a1' },
  'agent.ring_no_answer': {
    ...base,
    type: 'agent.ring_no_answer',
    agent: 'a1',
    queue: 'billing',
    ring_ms: 15000,
  },
  'agent.heartbeat': { ...base, type: 'agent.heartbeat', agent: 'a1' },
  'feed.heartbeat': { ...base, type: 'feed.heartbeat' },
  'agent.break_requested': {
    ...base,
    type: 'agent.break_requested',
    agent: 'a1',
    reason: 'break',
    minutes: 15,
  },
  'ticket.created': {
    ...base,
    type: 'ticket.created',
    ticket: 't1',
    category: 'billing',
    class: 'ordinary',
    customer_class: 'vip',
    channel: 'phone',
    call: 'c1',
    caller: 'h_0a1b2c3d4e5f6a7b',
    agent: 'a1',
  },
  'ticket.signed': { ...base, type: 'ticket.signed', ticket: 't1', by: 'desk1' },
  'ticket.dispatched': { ...base, type: 'ticket.dispatched', ticket: 't1', department: 'network' },
  'ticket.replied': { ...base, type: 'ticket.replied', ticket: 't1', department: 'network' },
  'ticket.extension_requested': {
    ...base,
    type: 'ticket.extension_requested',
    ticket: 't1',
    due: '2026-11-25T19:59:00+08:00',
  },
  'ticket.closed': { ...base, type: 'ticket.closed', ticket: 't1' },
  'ticket.followed_up': { ...base, type: 'ticket.followed_up', ticket: 't1', satisfied: true },
  'call.survey': { ...base, type: 'call.survey', call: 'c1', score: 5, agent: 'a1' },
};

describe('contract', () => {
  it.each(EVENT_TYPES)(
    'accepts a valid %s and normalises ts to epoch ms without mutating the input',
    (type) => {
      const input = examples[type] as Record<string, unknown>;
      const copy = structuredClone(input);
      const r = validateEvent(input, now);
      expect(r).toEqual({ ok: true, event: { ...input, ts: Date.parse('2026-11-23T11:59:00Z') } });
      expect(input).toEqual(copy);
    },
  );

  it.each([
    ['epoch ms', 1795000000000, true],
    ['ISO with Z', '2026-11-23T11:00:00Z', true],
    ['ISO with +hhmm', '2026-11-23T19:00:00.250+0800', true],
    ['ISO without offset', '2026-11-23T11:00:00', false],
    ['seconds, not ms', 1795000000, false],
    ['a float', 1795000000000.5, false],
  ] as const)('ts as %s', (_name, ts, ok) => {
    expect(
      validateEvent({ ...examples['agent.logout'], ts }, Date.parse('2026-11-24T00:00:00Z')).ok,
    ).toBe(ok);
  });

  it.each([
    [
      { ...examples['agent.state'], state: 'asleep' },
      'field "state" must be one of ready, not_ready, ringing, talking, hold, wrap_up, outbound',
    ],
    [
      { ...examples['call.answered'], agent: undefined },
      'missing field "agent" (required for call.answered)',
    ],
    [{ ...examples['call.ended'], colour: 'red' }, 'unknown field "colour" for call.ended'],
    [
      { ...examples['call.offered'], queue: 'q'.repeat(65) },
      'field "queue" is longer than 64 characters',
    ],
    [{ ...examples['call.offered'], id: '' }, 'field "id" must not be empty'],
    [
      { ...examples['call.offered'], site: 'a b' },
      'field "site" may hold only letters, digits, "_", "." and "-"',
    ],
    [
      { ...examples['call.offered'], type: 'call.lost' },
      expect.stringMatching(/^unknown event type "call.lost"/),
    ],
    [
      { ...examples['call.offered'], ts: '2026-11-23T12:30:00Z' },
      'field "ts" is 1800 s in the future; the clock-skew window is 300 s',
    ],
    [{ ...examples['agent.login'], queues: 'billing' }, 'field "queues" must be a array'],
    [
      { ...examples['call.abandoned'], reason: 'bored' },
      'field "reason" must be one of timeout, key, empty, withdraw',
    ],
    [{ ...examples['agent.ring_no_answer'], ring_ms: 1.5 }, 'field "ring_ms" must be a integer'],
    [
      { ...examples['call.offered'], caller: '13800138000123456' },
      'field "caller" must be a hash of the caller (16-128 letters, digits, "+/=_-"), never a raw number',
    ],
    [{ ...examples['call.survey'], score: 6 }, 'field "score" must be from 1 to 5'],
    [
      { ...examples['call.survey'], score: undefined },
      'call.survey needs "score" (1 to 5) or "satisfied" (true or false)',
    ],
    [
      { ...examples['ticket.created'], class: undefined },
      'missing field "class" (required for ticket.created)',
    ],
    [
      { ...examples['ticket.extension_requested'], due: 'tomorrow' },
      'field "due" must be ISO-8601 with an offset (e.g. 2026-11-23T09:00:00+08:00) or epoch milliseconds',
    ],
  ])('rejects %j with a plain reason', (input, error) => {
    const clean = JSON.parse(JSON.stringify(input)) as unknown;
    expect(validateEvent(clean, now)).toEqual({ ok: false, error });
  });

  it('takes an optional exit reason on call.abandoned', () => {
    expect(validateEvent({ ...examples['call.abandoned'], reason: 'timeout' }, now).ok).toBe(true);
  });

  it('rejects non-objects and non-JSON lines', () => {
    expect(validateLine('[1,2]', now)).toEqual({
      ok: false,
      error: 'each line must be a JSON object',
    });
    expect(validateLine('{"id":', now).ok).toBe(false);
  });
});
