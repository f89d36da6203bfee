// The dense grid's search and state filter (wallboard/src/lib/agent-filter.ts).
import { describe, expect, it } from 'vitest';
import { filterAgents, statesOf } from '../../wallboard/src/lib/agent-filter.js';
import type { AgentLive } from '../../ingest/src/core/snapshot.js';

const agent = (agent: string, name: string, state: string, stale = false): AgentLive =>
  ({
    agent,
    name,
    team: 'T',
    state,
    reason: null,
    since: '2026-11-23T09:00:00Z',
    stale,
  }) as AgentLive;

describe('filterAgents', () => {
  const list = [
    agent('a3', 'Zhao Lei', 'not_ready'),
    agent('a1', 'Li Na', 'talking'),
    agent('a2', 'Wang Fang', 'ready'),
    agent('a4', 'Chen Jie', 'ready', true),
  ];
  it('matches name or id in any case, in floor order', () => {
    expect(filterAgents(list, { query: '', state: null }).map((a) => a.agent)).toEqual([
      'a2',
      'a1',
      'a3',
      'a4',
    ]);
    expect(filterAgents(list, { query: 'WANG', state: null }).map((a) => a.agent)).toEqual(['a2']);
    expect(filterAgents(list, { query: 'a3', state: null }).map((a) => a.agent)).toEqual(['a3']);
  });
  it('filters by the shown state: a stale agent is not ready to take calls', () => {
    expect(filterAgents(list, { query: '', state: 'ready' }).map((a) => a.agent)).toEqual(['a2']);
    expect(filterAgents(list, { query: '', state: 'stale' }).map((a) => a.agent)).toEqual(['a4']);
    expect(statesOf(list)).toEqual(['ready', 'talking', 'not_ready', 'stale']);
  });
});
