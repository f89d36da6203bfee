// Shift handover (交接班) assembly: which alerts count as raised / acknowledged / open since
// the handover time, worst intervals below target, absent and out-of-adherence agents.
import { describe, expect, it } from 'vitest';
import { buildHandover } from '../../ingest/src/core/alerts/handover.js';
import type { IntervalRow } from '../../ingest/src/core/modules.js';
import type { AgentLive, AlertView, TeamLive } from '../../ingest/src/core/snapshot.js';

const SINCE = Date.parse('2026-11-23T08:00:00+08:00');

function alert(id: string, raised: string, over: Partial<AlertView> = {}): AlertView {
  return {
    id,
    site: 's',
    kind: 'overflow',
    level: 'orange',
    queue: 'q',
    agent: null,
    team: null,
    raised_at: raised,
    acked_at: null,
    acked_by: null,
    ack_note: null,
    cleared_at: null,
    clear_reason: null,
    message: id,
    action: null,
    ...over,
  };
}

function row(start: string, queue: string, sl: number | null, offered = 10): IntervalRow {
  return {
    interval_start: start,
    queue,
    offered,
    answered: offered,
    answered_within_threshold: 0,
    abandoned: 0,
    short_abandoned: 0,
    service_level: sl,
    asa_s: null,
    aht_s: null,
    answer_rate: null,
    expired: 0,
  };
}

const ex = { formula: '', text: '', numerator: 0, denominator: 0 };
const team = (name: string, missing: string[]): TeamLive => ({
  team: name,
  conformance: null,
  conformance_explain: ex,
  attendance: null,
  attendance_explain: ex,
  missing,
});
const agent = (id: string, over: Partial<AgentLive>): AgentLive => ({
  agent: id,
  name: id,
  team: 't',
  state: 'ready',
  reason: null,
  since: '',
  stale: false,
  current_call: null,
  calls_today: 0,
  adherence: 'in',
  out_of_adherence_s: 0,
  scheduled_activity: 'work',
  ...over,
});

describe('buildHandover', () => {
  const alerts = [
    // Raised before the handover, acked after, still open: acknowledged + open.
    alert('old-open', '2026-11-23T07:00:00+08:00', {
      acked_at: '2026-11-23T08:30:00+08:00',
      acked_by: 'lead',
    }),
    // Raised and cleared within the shift: raised only.
    alert('new-cleared', '2026-11-23T09:00:00+08:00', { cleared_at: '2026-11-23T09:10:00+08:00' }),
    // Raised within the shift, open and unacknowledged.
    alert('new-open', '2026-11-23T10:00:00+08:00'),
    // Raised and acked before the handover, cleared after: none of the three lists.
    alert('old-acked-cleared', '2026-11-23T06:00:00+08:00', {
      acked_at: '2026-11-23T06:05:00+08:00',
      cleared_at: '2026-11-23T08:10:00+08:00',
    }),
  ];
  const input = {
    site: 's',
    timezone: 'Asia/Shanghai',
    since: SINCE,
    sinceIso: '2026-11-23T08:00:00.000+08:00',
    atIso: '2026-11-23T16:00:00.000+08:00',
    alerts,
    intervals: [
      row('a', 'q', 0.9),
      row('b', 'q', 0.5),
      row('c', 'q', null),
      row('d', 'vip', 0.85),
      row('e', 'q', 0.5, 30),
    ],
    targetOf: (q: string) => (q === 'vip' ? 0.9 : 0.8),
    snapshot: {
      teams: [team('t1', ['a7', 'a8']), team('t2', ['a8'])],
      agents: [
        agent('x', { adherence: 'out', out_of_adherence_s: 200 }),
        agent('y', { adherence: 'out', out_of_adherence_s: 900 }),
        agent('z', {}),
      ],
    },
  };

  it('sorts alerts into raised, acknowledged and open', () => {
    const copy = structuredClone(input.alerts);
    const h = buildHandover(input);
    expect(input.alerts).toEqual(copy);
    expect(h.alerts.raised.map((a) => a.id)).toEqual(['new-open', 'new-cleared']);
    expect(h.alerts.acknowledged.map((a) => a.id)).toEqual(['old-open']);
    expect(h.alerts.open.map((a) => a.id)).toEqual(['new-open', 'old-open']);
    expect(h.summary).toEqual({
      raised: 2,
      acknowledged: 1,
      open: 2,
      open_unacknowledged: 1,
      absent_agents: 2,
      out_of_adherence_agents: 2,
    });
  });

  it('lists intervals below their queue target, worst first (ties: more calls first)', () => {
    const h = buildHandover(input);
    expect(
      h.worst_intervals.map((r) => [r.interval_start, r.queue, r.service_level, r.target]),
    ).toEqual([
      ['e', 'q', 0.5, 0.8],
      ['b', 'q', 0.5, 0.8],
      ['d', 'vip', 0.85, 0.9],
    ]);
  });

  it('lists absent agents once and out-of-adherence agents longest first', () => {
    const h = buildHandover(input);
    expect(h.agents.absent).toEqual([
      { agent: 'a7', team: 't1' },
      { agent: 'a8', team: 't1' },
    ]);
    expect(h.agents.out_of_adherence.map((a) => a.agent)).toEqual(['y', 'x']);
  });
});
