// The board's delta merge and staleness rules: pure, table-driven, inputs never mutated.
import { describe, expect, it } from 'vitest';
import {
  applyMessage,
  figuresAt,
  staleness,
  SILENCE_STALE_MS,
  type FeedState,
} from '../../wallboard/src/lib/feed-state.js';
import { onFloor } from '../../ingest/src/core/feed/signed-out.js';
import type {
  AgentLive,
  AlertView,
  DeltaMessage,
  QueueLive,
  SnapshotMessage,
} from '../../ingest/src/core/snapshot.js';

const figures = () => ({
  offered: 0,
  answered: 0,
  answered_within_threshold: 0,
  abandoned: 0,
  short_abandoned: 0,
  service_level: null,
  asa_s: null,
  aht_s: null,
  answer_rate: null,
  occupancy: null,
  explain: {},
});
const queue = (name: string, waiting: number): QueueLive => ({
  queue: name,
  waiting,
  longest_wait_s: 0,
  ready_agents: 0,
  agents_by_state: {},
  threshold_s: 20,
  target: 0.8,
  sl_variant: 'default',
  interval: figures(),
  today: figures(),
});
const agent = (id: string, state: string): AgentLive => ({
  agent: id,
  name: id,
  team: 't1',
  state,
  reason: null,
  since: '2026-11-23T08:00:00Z',
  stale: false,
  current_call: null,
  calls_today: 0,
  adherence: 'in',
  out_of_adherence_s: 0,
  scheduled_activity: null,
});
const alert = (id: string, cleared: string | null = null): AlertView => ({
  id,
  site: 's',
  kind: 'overflow',
  level: 'red',
  queue: 'q1',
  agent: null,
  team: null,
  raised_at: '2026-11-23T08:00:00Z',
  acked_at: null,
  acked_by: null,
  ack_note: null,
  cleared_at: cleared,
  clear_reason: null,
  message: 'm',
  action: null,
});

const snapshot = (seq: number): SnapshotMessage => ({
  type: 'snapshot',
  seq,
  site: 's',
  at: '2026-11-23T08:00:00Z',
  timezone: 'Asia/Shanghai',
  interval_minutes: 15,
  interval_start: '2026-11-23T08:00:00Z',
  operating_day: '2026-11-23',
  last_event_at: '2026-11-23T07:59:59Z',
  feed_stale: false,
  queues: [queue('q1', 1), queue('q2', 2)],
  agents: [agent('a1', 'ready'), agent('a2', 'talking')],
  teams: [],
  alerts: [alert('x1')],
});
const delta = (seq: number, extra: Partial<DeltaMessage> = {}): DeltaMessage => ({
  type: 'delta',
  seq,
  site: 's',
  at: '2026-11-23T08:00:01Z',
  last_event_at: '2026-11-23T08:00:01Z',
  feed_stale: false,
  ...extra,
});

function start(seq = 5): FeedState {
  const out = applyMessage(null, snapshot(seq));
  if (out.kind !== 'applied') throw new Error('snapshot not applied');
  return out.state;
}

describe('applyMessage', () => {
  it('takes a snapshot whole, without the envelope', () => {
    const s = start(5);
    expect(s.seq).toBe(5);
    expect(s.snapshot.queues.map((q) => q.queue)).toEqual(['q1', 'q2']);
    expect('type' in s.snapshot).toBe(false);
  });

  it.each([
    ['duplicate seq', 5, 'ignored'],
    ['older seq', 3, 'ignored'],
    ['next seq', 6, 'applied'],
    ['gap', 8, 'gap'],
  ] as const)('%s → %s', (_n, seq, kind) => {
    expect(applyMessage(start(5), delta(seq)).kind).toBe(kind);
  });

  it('asks for a snapshot when a delta comes first', () => {
    expect(applyMessage(null, delta(1)).kind).toBe('gap');
  });

  it('replaces changed queues and agents by key, removes agents, keeps order of the rest', () => {
    const s = start(5);
    const frozen = JSON.stringify(s);
    const out = applyMessage(
      s,
      delta(6, {
        queues: [queue('q2', 9)],
        agents: [agent('a3', 'ready')],
        removed_agents: ['a1'],
      }),
    );
    expect(out.kind).toBe('applied');
    if (out.kind !== 'applied') return;
    expect(out.state.snapshot.queues.map((q) => [q.queue, q.waiting])).toEqual([
      ['q1', 1],
      ['q2', 9],
    ]);
    expect(out.state.snapshot.agents.map((a) => a.agent)).toEqual(['a2', 'a3']);
    expect(out.state.snapshot.at).toBe('2026-11-23T08:00:01Z');
    // inputs untouched, untouched parts shared (cheap for Svelte)
    expect(JSON.stringify(s)).toBe(frozen);
    expect(out.state.snapshot.teams).toBe(s.snapshot.teams);
  });

  it('keeps arrays by identity when a heartbeat changes nothing', () => {
    const s = start(5);
    const out = applyMessage(s, delta(6));
    if (out.kind !== 'applied') throw new Error();
    expect(out.state.snapshot.agents).toBe(s.snapshot.agents);
    expect(out.state.snapshot.queues).toBe(s.snapshot.queues);
  });

  it('adds raised alerts, updates acked ones and drops cleared ones', () => {
    const s = start(5);
    const acked = { ...alert('x1'), acked_at: '2026-11-23T08:01:00Z', acked_by: 'Li' };
    const a = applyMessage(s, delta(6, { alerts: [acked, alert('x2')] }));
    if (a.kind !== 'applied') throw new Error();
    expect(a.state.snapshot.alerts.map((x) => [x.id, x.acked_by])).toEqual([
      ['x1', 'Li'],
      ['x2', null],
    ]);
    const b = applyMessage(a.state, delta(7, { alerts: [alert('x1', '2026-11-23T08:05:00Z')] }));
    if (b.kind !== 'applied') throw new Error();
    expect(b.state.snapshot.alerts.map((x) => x.id)).toEqual(['x2']);
  });

  it('moves interval_start and operating_day only when the delta carries them', () => {
    const s = start(5);
    const a = applyMessage(s, delta(6));
    if (a.kind !== 'applied') throw new Error();
    expect(a.state.snapshot.interval_start).toBe('2026-11-23T08:00:00Z');
    const b = applyMessage(a.state, delta(7, { interval_start: '2026-11-23T08:15:00Z' }));
    if (b.kind !== 'applied') throw new Error();
    expect(b.state.snapshot.interval_start).toBe('2026-11-23T08:15:00Z');
  });
});

describe('a board without signed-out agents (keep = onFloor)', () => {
  const out = (id: string): AgentLive => ({ ...agent(id, 'logged_out'), adherence: 'unscheduled' });
  it.each([
    ['signed in', agent('a', 'ready'), true],
    ['signed out, not due', out('a'), false],
    [
      'signed out while rostered to work (out of adherence)',
      { ...out('a'), adherence: 'out' },
      true,
    ],
    ['rostered, never signed in', { ...out('a'), not_signed_in: true }, true],
  ] as const)('%s → %s', (_n, a, kept) => {
    expect(onFloor(a)).toBe(kept);
  });

  it('drops them from a snapshot and from each delta, and takes back one who signs in', () => {
    const snap = { ...snapshot(5), agents: [agent('a1', 'ready'), out('a2')] };
    const frozen = JSON.stringify(snap);
    const s = applyMessage(null, snap, onFloor);
    if (s.kind !== 'applied') throw new Error();
    expect(s.state.snapshot.agents.map((a) => a.agent)).toEqual(['a1']);
    const d = delta(6, { agents: [out('a1'), agent('a2', 'ready'), agent('a3', 'talking')] });
    const next = applyMessage(s.state, d, onFloor);
    if (next.kind !== 'applied') throw new Error();
    expect(next.state.snapshot.agents.map((a) => a.agent)).toEqual(['a2', 'a3']);
    expect(JSON.stringify(snap)).toBe(frozen);
    expect(d.agents?.map((a) => a.agent)).toEqual(['a1', 'a2', 'a3']);
  });
});

describe('staleness', () => {
  const snap = start(1).snapshot;
  const t0 = Date.parse('2026-11-23T08:00:00Z');
  it.each([
    ['never heard', null, true, snap, true, 'disconnected'],
    ['fresh message', t0 - 1000, true, snap, false, 'live'],
    ['exactly the limit', t0 - SILENCE_STALE_MS, true, snap, false, 'live'],
    ['silent past the limit', t0 - SILENCE_STALE_MS - 1, true, snap, true, 'no_message'],
    ['silent and disconnected', t0 - 60_000, false, snap, true, 'disconnected'],
    [
      'server says the feed is stale',
      t0 - 100,
      true,
      { ...snap, feed_stale: true },
      true,
      'feed_stale',
    ],
  ] as const)('%s', (_n, last, connected, s, stale, why) => {
    const r = staleness(t0, last, connected, s);
    expect(r.stale).toBe(stale);
    expect(r.why).toBe(why);
  });

  it('dates a stale feed from its last event, and silence from the last message', () => {
    expect(staleness(t0, t0 - 100, true, { ...snap, feed_stale: true }).since).toBe(
      Date.parse('2026-11-23T07:59:59Z'),
    );
    expect(staleness(t0, t0 - 9000, true, snap).since).toBe(t0 - 9000);
  });

  it('keeps "stale since" at the feed\'s last event when the server then goes away too', () => {
    const feedStale = { ...snap, feed_stale: true };
    const before = staleness(t0, t0 - 100, true, feedStale).since;
    // Disconnected 60 s later: the last message the board had said the feed was stale.
    expect(staleness(t0 + 60_000, t0 - 100, false, feedStale).since).toBe(before);
  });

  it('counts durations to the moment the figures went stale, and to now while live', () => {
    const live = staleness(t0, t0 - 100, true, snap);
    const silent = staleness(t0, t0 - 9000, true, snap);
    expect(figuresAt(t0, live)).toBe(t0);
    expect(figuresAt(t0, silent)).toBe(t0 - 9000);
    expect(figuresAt(t0 + 60_000, silent)).toBe(t0 - 9000);
  });
});
