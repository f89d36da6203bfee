// The board ticks an agent's time out of adherence and a queue's longest wait from the
// instants the feed sends, so a delta need not carry them every second; longest out sorts
// first with no clock.
import { describe, expect, it } from 'vitest';
import type { AgentLive } from '../../ingest/src/core/snapshot.js';
import { arrangeAgents, outOfAdherenceSeconds } from '../../wallboard/src/lib/agents.js';
import { longestWaitSeconds } from '../../wallboard/src/lib/format.js';

const NOW = Date.parse('2026-11-23T09:10:00.000Z');
const agent = (id: string, over: Partial<AgentLive>): AgentLive => ({
  agent: id,
  name: id,
  team: 't',
  state: 'not_ready',
  reason: 'break',
  since: '2026-11-23T09:00:00.000Z',
  stale: false,
  current_call: null,
  calls_today: 0,
  adherence: 'out',
  out_of_adherence_s: 0,
  scheduled_activity: 'work',
  ...over,
});

describe('outOfAdherenceSeconds', () => {
  it.each([
    [
      'ticks from the instant, whatever seconds the message carried',
      agent('a', {
        out_of_adherence_s: 5,
        out_of_adherence_since: '2026-11-23T09:07:30.000+00:00',
      }),
      150,
    ],
    [
      'reads an instant with a site offset',
      agent('a', { out_of_adherence_since: '2026-11-23T17:09:00.000+08:00' }),
      60,
    ],
    [
      'keeps the seconds of a message without the instant',
      agent('a', { out_of_adherence_s: 42 }),
      42,
    ],
    [
      'is 0 for an agent in adherence',
      agent('a', { adherence: 'in', out_of_adherence_since: null }),
      0,
    ],
    [
      'never goes below 0 (clock behind the server)',
      agent('a', { out_of_adherence_since: '2026-11-23T09:10:05.000Z' }),
      0,
    ],
  ])('%s', (_name, a, want) => {
    const copy = structuredClone(a);
    expect(outOfAdherenceSeconds(a, NOW)).toBe(want);
    expect(a).toEqual(copy);
  });

  it('the attention order puts the longest out first from the instants alone', () => {
    const list = [
      agent('short', {
        out_of_adherence_s: 900,
        out_of_adherence_since: '2026-11-23T09:09:00.000Z',
      }),
      agent('long', { out_of_adherence_s: 1, out_of_adherence_since: '2026-11-23T08:00:00.000Z' }),
      agent('mid', { out_of_adherence_since: '2026-11-23T09:00:00.000Z' }),
    ];
    expect(arrangeAgents(list, { sort: 'attention', team: null }).map((a) => a.agent)).toEqual([
      'long',
      'mid',
      'short',
    ]);
  });
});

describe('longestWaitSeconds', () => {
  it.each([
    [
      'ticks from when the call was offered',
      { longest_wait_s: 3, longest_wait_since: '2026-11-23T09:09:15.000Z' },
      45,
    ],
    ['is 0 when no call waits', { longest_wait_s: 0, longest_wait_since: null }, 0],
    ['keeps the seconds of a message without the instant', { longest_wait_s: 12 }, 12],
  ])('%s', (_name, q, want) => {
    expect(longestWaitSeconds(q, NOW)).toBe(want);
  });
});
