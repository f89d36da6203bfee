// rowToEvent: a stored row becomes the event ingest validated (from its raw line with the
// normalised ts, or from its columns when the raw text is missing or unreadable).
import { describe, expect, it } from 'vitest';
import { rowToEvent } from '../../ingest/src/runtime/replay.js';
import type { ReplayRow } from '../../queries/runtime.js';

const TS = Date.parse('2026-11-23T09:00:00.000Z');
const row = (over: Partial<ReplayRow>): ReplayRow => ({
  type: 'agent.login',
  id: 'e1',
  site: 'S',
  ts: TS,
  received: TS,
  agent: '',
  name: '',
  team: '',
  queues: [],
  state: '',
  reason: '',
  call: '',
  queue: '',
  to_queue: '',
  to_agent: '',
  raw: '',
  ...over,
});

describe('rowToEvent', () => {
  it('uses the raw line with ts as epoch ms', () => {
    const raw = JSON.stringify({
      id: 'e1',
      ts: '2026-11-23T17:00:00+08:00',
      type: 'agent.login',
      site: 'S',
      agent: 'a1',
      name: 'Li',
      queues: ['q1'],
    });
    expect(rowToEvent(row({ raw, agent: 'a1' }))).toEqual({
      id: 'e1',
      ts: TS,
      type: 'agent.login',
      site: 'S',
      agent: 'a1',
      name: 'Li',
      queues: ['q1'],
    });
  });

  it.each([
    [
      'agent.login',
      { agent: 'a1', team: 't', queues: ['q1', 'q2'] },
      { agent: 'a1', team: 't', queues: ['q1', 'q2'] },
    ],
    ['agent.logout', { agent: 'a1' }, { agent: 'a1' }],
    [
      'agent.state',
      { agent: 'a1', state: 'not_ready', reason: 'lunch' },
      { agent: 'a1', state: 'not_ready', reason: 'lunch' },
    ],
    ['agent.state', { agent: 'a1', state: 'ready' }, { agent: 'a1', state: 'ready' }],
    ['call.offered', { call: 'c1', queue: 'q1' }, { call: 'c1', queue: 'q1' }],
    [
      'call.answered',
      { call: 'c1', queue: 'q1', agent: 'a1' },
      { call: 'c1', queue: 'q1', agent: 'a1' },
    ],
    ['call.abandoned', { call: 'c1', queue: 'q1' }, { call: 'c1', queue: 'q1' }],
    [
      'call.overflowed',
      { call: 'c1', queue: 'q1', to_queue: 'q2' },
      { call: 'c1', queue: 'q1', to_queue: 'q2' },
    ],
    [
      'call.transferred',
      { call: 'c1', queue: 'q1', to_agent: 'a2' },
      { call: 'c1', queue: 'q1', to_agent: 'a2' },
    ],
    [
      'call.ended',
      { call: 'c1', queue: 'q1', agent: 'a1' },
      { call: 'c1', queue: 'q1', agent: 'a1' },
    ],
  ] as [string, Partial<ReplayRow>, Record<string, unknown>][])(
    'rebuilds %s from its columns when there is no raw line',
    (type, cols, fields) => {
      expect(rowToEvent(row({ type, ...cols }))).toEqual({
        id: 'e1',
        ts: TS,
        site: 'S',
        type,
        ...fields,
      });
    },
  );

  it('falls back to the columns when the raw line is not the same event', () => {
    expect(
      rowToEvent(row({ type: 'agent.logout', agent: 'a1', raw: '{"type":"agent.login"' })),
    ).toEqual({ id: 'e1', ts: TS, site: 'S', type: 'agent.logout', agent: 'a1' });
    expect(
      rowToEvent(row({ type: 'agent.logout', agent: 'a1', raw: '{"type":"agent.login"}' })),
    ).toEqual({ id: 'e1', ts: TS, site: 'S', type: 'agent.logout', agent: 'a1' });
  });

  it('skips an unknown type', () => {
    expect(rowToEvent(row({ type: 'agent.teleported' }))).toBeNull();
  });
});
