// Grouped alerts (core/alerts/group.ts): per-agent and per-team alerts of one kind become one
// board alert at `alerts.group_at`; queue alerts and smaller kinds pass unchanged.
import { describe, expect, it } from 'vitest';
import { groupAlerts, parseGroupId } from '../../ingest/src/core/alerts/group.js';
import type { AlertView } from '../../ingest/src/core/snapshot.js';
import { siteConfig } from './queue-helpers.js';

const T = Date.parse('2026-11-23T09:00:00Z');
function alert(kind: string, i: number, over: Partial<AlertView> = {}): AlertView {
  return {
    id: `s1:${kind}:${i}:${T + i}`,
    site: 's1',
    kind,
    level: 'yellow',
    queue: null,
    agent: `a${i}`,
    team: 'T1',
    raised_at: new Date(T + i * 1000).toISOString(),
    acked_at: null,
    acked_by: null,
    ack_note: null,
    cleared_at: null,
    clear_reason: null,
    message: `Agent a${i} out`,
    message_zh: `座席 a${i}`,
    action: null,
    ...over,
  };
}

describe('groupAlerts', () => {
  const cfg = siteConfig();
  it('leaves four of a kind alone and groups five, at the earliest raise and the highest level', () => {
    const four = [1, 2, 3, 4].map((i) => alert('adherence', i));
    expect(groupAlerts('s1', cfg, four)).toEqual(four);
    const sl = alert('sl_below_target', 9, { agent: null, team: null, queue: 'q1' });
    const five = [
      ...[1, 2, 3, 4].map((i) => alert('adherence', i)),
      alert('adherence', 5, { level: 'orange' }),
    ];
    const out = groupAlerts('s1', cfg, [sl, ...five]);
    expect(out.map((a) => a.id)).toEqual(['s1:group:adherence', sl.id]);
    const g = out[0] as AlertView;
    expect(g).toMatchObject({
      kind: 'adherence',
      level: 'orange',
      raised_at: five[0]?.raised_at,
      team: 'T1',
      acked_at: null,
      message: '5 agents out of adherence',
      message_zh: '5 名座席未遵从排班',
      group: { count: 5, unacked: 5, members: '/api/alerts?site=s1&state=active&kind=adherence' },
    });
    expect(parseGroupId(g.id)).toEqual({ site: 's1', kind: 'adherence' });
  });

  it('is acknowledged when every member is, and follows the site threshold', () => {
    const acked = [1, 2, 3].map((i) =>
      alert('ghost_agent', i, {
        acked_at: new Date(T + 60_000 * i).toISOString(),
        acked_by: `lead${i}`,
      }),
    );
    const c = siteConfig();
    c.alerts = { ...c.alerts, group_at: 3 };
    const [g] = groupAlerts('s1', c, acked);
    expect(g).toMatchObject({ acked_by: 'lead3', group: { count: 3, unacked: 0 } });
    expect(groupAlerts('s1', c, acked.slice(0, 2))).toHaveLength(2);
  });
});
