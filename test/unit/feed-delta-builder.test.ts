// DeltaBuilder: a delta carries only what changed since the previous message, a cleared
// alert is sent once with cleared_at, and unchanged input yields nothing unless a
// heartbeat is asked for.
import { describe, expect, it } from 'vitest';
import { DeltaBuilder, type FeedHead } from '../../ingest/src/core/feed/delta-builder.js';
import type {
  AgentLive,
  AlertView,
  LiveSnapshot,
  QueueLive,
} from '../../ingest/src/core/snapshot.js';

const figures = {
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
};
const queue = (name: string, waiting: number): QueueLive => ({
  queue: name,
  waiting,
  longest_wait_s: 0,
  ready_agents: 0,
  agents_by_state: {},
  threshold_s: 20,
  target: 0.8,
  sl_variant: 'default',
  interval: figures,
  today: figures,
});
const agent = (id: string, state: string): AgentLive => ({
  agent: id,
  name: id,
  team: 't',
  state,
  reason: null,
  since: '2026-11-23T09:00:00.000Z',
  stale: false,
  current_call: null,
  calls_today: 0,
  adherence: 'unscheduled',
  out_of_adherence_s: 0,
  scheduled_activity: null,
});
const alert = (id: string, acked: string | null = null): AlertView => ({
  id,
  site: 's',
  kind: 'stale_feed',
  level: 'red',
  queue: null,
  agent: null,
  team: null,
  raised_at: '2026-11-23T09:00:00.000Z',
  acked_at: acked,
  acked_by: acked ? 'lead' : null,
  ack_note: null,
  cleared_at: null,
  clear_reason: null,
  message: 'm',
  action: null,
});
const head = (at: string, over: Partial<FeedHead> = {}): FeedHead => ({
  site: 's',
  at,
  last_event_at: '2026-11-23T09:00:00.000Z',
  feed_stale: false,
  interval_start: '2026-11-23T09:00:00.000Z',
  operating_day: '2026-11-23',
  ...over,
});
const snapshot = (
  queues: QueueLive[],
  agents: AgentLive[],
  alerts: AlertView[] = [],
): LiveSnapshot => ({
  site: 's',
  at: 'x',
  timezone: 'UTC',
  interval_minutes: 15,
  interval_start: '2026-11-23T09:00:00.000Z',
  operating_day: '2026-11-23',
  last_event_at: '2026-11-23T09:00:00.000Z',
  feed_stale: false,
  queues,
  agents,
  teams: [],
  alerts,
});

describe('DeltaBuilder', () => {
  it('sends only the queues and agents whose published form changed', () => {
    const b = new DeltaBuilder();
    b.prime(
      snapshot([queue('q1', 0), queue('q2', 0)], [agent('a1', 'ready'), agent('a2', 'ready')]),
    );
    const queues = [queue('q1', 0), queue('q2', 3)];
    const agents = [agent('a1', 'ready'), agent('a2', 'talking')];
    const frozen = JSON.stringify({ queues, agents });
    const d = b.build({ head: head('t1'), queues, agents, agentsComplete: true });
    expect(d?.queues?.map((q) => q.queue)).toEqual(['q2']);
    expect(d?.agents?.map((a) => [a.agent, a.state])).toEqual([['a2', 'talking']]);
    expect(d?.removed_agents).toBeUndefined();
    // Interval and day did not move: they are not repeated.
    expect(d?.interval_start).toBeUndefined();
    // The input is not mutated.
    expect(JSON.stringify({ queues, agents })).toBe(frozen);
    // Same figures again: nothing to send.
    expect(b.build({ head: head('t2'), queues, agents, agentsComplete: true })).toBeNull();
  });

  it.each([
    ['feed goes stale', { feed_stale: true }],
    ['a new event time', { last_event_at: '2026-11-23T09:00:05.000Z' }],
    ['the interval rolls', { interval_start: '2026-11-23T09:15:00.000Z' }],
  ])('publishes when only a feed field changes: %s', (_name, over) => {
    const b = new DeltaBuilder();
    b.prime(snapshot([queue('q1', 0)], []));
    const d = b.build({ head: head('t1', over), queues: [queue('q1', 0)] });
    expect(d).not.toBeNull();
    expect(d?.queues).toBeUndefined();
    for (const [k, v] of Object.entries(over))
      expect((d as unknown as Record<string, unknown>)[k]).toEqual(v);
  });

  it('sends a heartbeat with no figures when asked and nothing changed', () => {
    const b = new DeltaBuilder();
    b.prime(snapshot([queue('q1', 0)], []));
    expect(b.build({ head: head('t1') })).toBeNull();
    const d = b.build({ head: head('t2'), heartbeat: true });
    expect(d).toMatchObject({ type: 'delta', site: 's', at: 't2', feed_stale: false });
    expect(d?.queues).toBeUndefined();
    expect(d?.agents).toBeUndefined();
  });

  it('removes agents missing from a complete list and agents reported gone', () => {
    const b = new DeltaBuilder();
    b.prime(snapshot([], [agent('a1', 'ready'), agent('a2', 'ready'), agent('a3', 'ready')]));
    const d1 = b.build({
      head: head('t1'),
      agents: [agent('a1', 'ready'), agent('a3', 'ready')],
      agentsComplete: true,
    });
    expect(d1?.removed_agents).toEqual(['a2']);
    const d2 = b.build({ head: head('t2'), agents: [], goneAgents: ['a3', 'never-seen'] });
    expect(d2?.removed_agents).toEqual(['a3']);
  });

  it('sends new and changed alerts, and a vanished alert once as cleared', () => {
    const b = new DeltaBuilder();
    b.prime(snapshot([], [], [alert('A')]));
    expect(b.build({ head: head('t1'), alerts: [alert('A')] })).toBeNull();
    const d1 = b.build({ head: head('t2'), alerts: [alert('A', 't2'), alert('B')] });
    expect(d1?.alerts?.map((a) => [a.id, a.acked_at])).toEqual([
      ['A', 't2'],
      ['B', null],
    ]);
    // The alert engine reported how B cleared: that form is sent.
    b.noteCleared({ ...alert('B'), cleared_at: 't3', clear_reason: 'events arriving again' });
    const d2 = b.build({ head: head('t3'), alerts: [alert('A', 't2')] });
    expect(d2?.alerts).toEqual([
      { ...alert('B'), cleared_at: 't3', clear_reason: 'events arriving again' },
    ]);
    // A vanished without a reported clear: still sent as cleared, at the delta's time.
    const d3 = b.build({ head: head('t4'), alerts: [] });
    expect(d3?.alerts?.map((a) => [a.id, a.cleared_at])).toEqual([['A', 't4']]);
    expect(b.build({ head: head('t5'), alerts: [] })).toBeNull();
  });

  it('carries interval_start and operating_day on the first delta without a base', () => {
    const b = new DeltaBuilder();
    const d = b.build({ head: head('t1'), queues: [queue('q1', 1)] });
    expect(d).toMatchObject({
      interval_start: '2026-11-23T09:00:00.000Z',
      operating_day: '2026-11-23',
    });
    expect(d?.queues).toHaveLength(1);
  });
});
