// The alert panel's choices, table-driven over a pure function: grouping many alerts of one
// kind, filtering by kind and level, hiding acknowledged ones, and snoozes that end.
import { describe, expect, it } from 'vitest';
import type { AlertView } from '../../ingest/src/core/snapshot.js';
import {
  alertCount,
  alertItems,
  GROUP_AT,
  NO_FILTER,
  needsAttention,
} from '../../wallboard/src/lib/alert-view.js';

const T = Date.parse('2026-11-23T09:00:00Z');
let n = 0;
function alert(kind: string, level: AlertView['level'], extra: Partial<AlertView> = {}): AlertView {
  n++;
  return {
    id: `a${n}`,
    site: 's',
    kind,
    level,
    queue: null,
    agent: `g${n}`,
    team: null,
    raised_at: new Date(T + n * 1000).toISOString(),
    acked_at: null,
    acked_by: null,
    ack_note: null,
    cleared_at: null,
    clear_reason: null,
    message: `m${n}`,
    action: null,
    ...extra,
  };
}

describe('alertItems', () => {
  const adherence = Array.from({ length: 12 }, () => alert('adherence', 'yellow'));
  const overflow = alert('overflow', 'red', { queue: 'billing', agent: null });
  const acked = alert('conformance', 'yellow', {
    acked_at: new Date(T).toISOString(),
    acked_by: 'lead',
    agent: null,
    team: 'T1',
  });
  const all = [...adherence, overflow, acked];

  it.each([
    [
      '12 adherence alerts become one group; the red overflow leads',
      NO_FILTER,
      {},
      ['alert:overflow', 'group:adherence:12', 'alert:conformance'],
      0,
    ],
    ['filtered by level red', { ...NO_FILTER, level: 'red' }, {}, ['alert:overflow'], 13],
    ['filtered by kind', { ...NO_FILTER, kind: 'conformance' }, {}, ['alert:conformance'], 13],
    [
      'acknowledged ones hidden',
      { ...NO_FILTER, hideAcked: true },
      {},
      ['alert:overflow', 'group:adherence:12'],
      1,
    ],
    [
      'a snoozed alert is left out until its time',
      NO_FILTER,
      { [overflow.id]: { until: T + 60_000, reason: 'router change under way' } },
      ['group:adherence:12', 'alert:conformance'],
      1,
    ],
    [
      'an ended snooze shows it again',
      NO_FILTER,
      { [overflow.id]: { until: T - 1, reason: 'x' } },
      ['alert:overflow', 'group:adherence:12', 'alert:conformance'],
      0,
    ],
  ] as const)('%s', (_name, filter, snoozes, want, hidden) => {
    const frozen = JSON.stringify(all);
    const out = alertItems(all, filter, snoozes, T);
    expect(JSON.stringify(all)).toBe(frozen);
    expect(
      out.items.map((i) =>
        i.type === 'group' ? `group:${i.kind}:${i.alerts.length}` : `alert:${i.alert.kind}`,
      ),
    ).toEqual(want);
    expect(out.hidden).toBe(hidden);
  });

  it(`groups only from ${GROUP_AT} of a kind, and not when the viewer expanded the kind`, () => {
    const few = adherence.slice(0, GROUP_AT - 1);
    expect(alertItems(few, NO_FILTER, {}, T).items.every((i) => i.type === 'alert')).toBe(true);
    expect(alertItems(adherence, NO_FILTER, {}, T, new Set(['adherence'])).items).toHaveLength(12);
  });

  it("shows the server's group as one item until expanded, then its loaded members", () => {
    const group = alert('adherence', 'yellow', {
      id: 's:group:adherence',
      agent: null,
      group: { count: 12, unacked: 12, members: '/api/alerts?site=s&state=active&kind=adherence' },
    });
    const feed = [group, overflow];
    const one = alertItems(feed, NO_FILTER, {}, T).items;
    expect(one.map((i) => (i.type === 'group' ? `group:${i.count}` : i.alert.kind))).toEqual([
      'overflow',
      'group:12',
    ]);
    expect(alertCount(feed)).toBe(13);
    // Expanded but not loaded yet: still the group; loaded: each member, filters applying.
    expect(alertItems(feed, NO_FILTER, {}, T, new Set(['adherence'])).items).toHaveLength(2);
    const loaded = { adherence: [...adherence.slice(0, 11), { ...adherence[11]!, acked_at: 'x' }] };
    expect(alertItems(feed, NO_FILTER, {}, T, new Set(['adherence']), loaded).items).toHaveLength(
      13,
    );
    expect(
      alertItems(feed, { ...NO_FILTER, hideAcked: true }, {}, T, new Set(['adherence']), loaded)
        .items,
    ).toHaveLength(12);
  });

  it('orange and red alerts need attention until acknowledged', () => {
    expect(
      [
        alert('x', 'red'),
        alert('x', 'orange'),
        alert('x', 'yellow'),
        alert('x', 'red', { acked_at: 'now' }),
      ].map(needsAttention),
    ).toEqual([true, true, false, false]);
  });
});
