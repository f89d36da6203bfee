// A quiet site's deltas carry nothing that only ticks with the clock: the board counts the
// longest wait and time out of adherence from instants, and occupancy and conformance are
// compared at a tenth of the board's shown precision; a change an event makes is still sent.
import { describe, expect, it } from 'vitest';
import { DeltaBuilder, type FeedHead } from '../../ingest/src/core/feed/delta-builder.js';
import type {
  AgentLive,
  LiveSnapshot,
  QueueFigures,
  QueueLive,
  TeamLive,
} from '../../ingest/src/core/snapshot.js';

const explain = (n: number, d: number) => ({
  formula: 'occupancy',
  text: 'busy / (busy + ready)',
  numerator: n,
  denominator: d,
});
const figures = (occ: number, busy: number): QueueFigures => ({
  offered: 4,
  answered: 3,
  answered_within_threshold: 3,
  abandoned: 1,
  short_abandoned: 0,
  service_level: 0.75,
  asa_s: 5,
  aht_s: 100,
  answer_rate: 0.75,
  occupancy: occ,
  explain: { occupancy: explain(busy, busy / occ) },
});
const queue = (sec: number, over: Partial<QueueLive> = {}): QueueLive => ({
  queue: 'q1',
  waiting: 1,
  longest_wait_s: sec,
  longest_wait_since: '2026-11-23T09:00:00.000Z',
  ready_agents: 2,
  agents_by_state: { ready: 2 },
  threshold_s: 20,
  target: 0.8,
  sl_variant: 'default',
  interval: figures(0.81234 + sec * 1e-6, 600 + sec),
  today: figures(0.7 + sec * 1e-6, 9000 + sec),
  ...over,
});
const team = (sec: number, over: Partial<TeamLive> = {}): TeamLive => ({
  team: 't1',
  conformance: 0.95 + sec * 1e-6,
  conformance_explain: {
    formula: 'conformance',
    text: 'logged in / scheduled',
    numerator: 9000 + sec,
    denominator: 9500 + sec,
  },
  attendance: 1,
  attendance_explain: {
    formula: 'attendance',
    text: 'attended / scheduled',
    numerator: 10,
    denominator: 10,
  },
  missing: [],
  ...over,
});
const agent = (sec: number, over: Partial<AgentLive> = {}): AgentLive => ({
  agent: 'a1',
  name: 'Li',
  team: 't1',
  state: 'not_ready',
  reason: 'break',
  since: '2026-11-23T08:55:00.000Z',
  stale: false,
  current_call: null,
  calls_today: 3,
  adherence: 'out',
  out_of_adherence_s: 300 + sec,
  out_of_adherence_since: '2026-11-23T08:55:00.000Z',
  scheduled_activity: 'work',
  ...over,
});
const head = (at: string): FeedHead => ({
  site: 's',
  at,
  last_event_at: '2026-11-23T09:00:00.000Z',
  feed_stale: false,
  interval_start: '2026-11-23T09:00:00.000Z',
  operating_day: '2026-11-23',
});
const snap = (): LiveSnapshot => ({
  site: 's',
  at: 'x',
  timezone: 'UTC',
  interval_minutes: 15,
  interval_start: '2026-11-23T09:00:00.000Z',
  operating_day: '2026-11-23',
  last_event_at: '2026-11-23T09:00:00.000Z',
  feed_stale: false,
  queues: [queue(0)],
  agents: [agent(0)],
  teams: [team(0)],
  alerts: [],
});

describe('a quiet site', () => {
  it('sends no queue, team or agent whose figures only ticked with the clock', () => {
    const b = new DeltaBuilder();
    b.prime(snap());
    for (const sec of [1, 2, 3, 4])
      expect(
        b.build({
          head: head(`t${sec}`),
          queues: [queue(sec)],
          teams: [team(sec)],
          agents: [agent(sec)],
          agentsComplete: true,
        }),
      ).toBeNull();
  });

  it.each<
    [
      string,
      { queues?: QueueLive[]; teams?: TeamLive[]; agents?: AgentLive[] },
      'queues' | 'teams' | 'agents',
    ]
  >([
    ['a call waits (an event)', { queues: [queue(5, { waiting: 2 })] }, 'queues'],
    [
      'the longest-waiting call is answered (a new instant)',
      { queues: [queue(5, { longest_wait_since: '2026-11-23T09:00:04.000Z' })] },
      'queues',
    ],
    [
      'occupancy moves by a shown tenth of a percent',
      { queues: [queue(5, { interval: figures(0.8135, 700) })] },
      'queues',
    ],
    [
      'conformance moves by a shown tenth of a percent',
      { teams: [team(5, { conformance: 0.9511 })] },
      'teams',
    ],
    ['an agent is missing', { teams: [team(5, { missing: ['a9'] })] }, 'teams'],
    [
      'an agent comes back into adherence',
      {
        agents: [
          agent(5, {
            state: 'ready',
            reason: null,
            adherence: 'in',
            out_of_adherence_s: 0,
            out_of_adherence_since: null,
          }),
        ],
      },
      'agents',
    ],
  ])('sends it when %s', (_name, input, key) => {
    const b = new DeltaBuilder();
    b.prime(snap());
    const frozen = JSON.stringify(input);
    const d = b.build({ head: head('t5'), ...input });
    expect(d?.[key]).toHaveLength(1);
    expect(JSON.stringify(input)).toBe(frozen);
  });
});
