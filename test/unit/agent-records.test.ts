// Per-agent records share frozen empty arrays and the frozen logged-out state until their
// first change, and replace (never mutate) them: one agent's change must never show up in
// another agent, and callers' inputs are never mutated.
import { describe, expect, it } from 'vitest';
import type { FwEvent } from '../../ingest/src/core/contract.js';
import type { RosterSegment } from '../../ingest/src/core/modules.js';
import {
  insertEvent,
  LOGGED_OUT,
  newAgent,
  prune,
  toAgentEv,
  type AgentEvent,
} from '../../ingest/src/core/queue/agent-timeline.js';
import { defaultSiteConfig } from '../../ingest/src/core/site-config.js';
import { createWorkforceEngine } from '../../ingest/src/core/workforce/engine.js';

const T0 = Date.parse('2026-11-23T09:00:00.000Z');
const s = (sec: number) => T0 + sec * 1000;

const state = (id: string, sec: number, st: string, reason?: string): AgentEvent =>
  ({
    id,
    ts: s(sec),
    site: 'S',
    type: 'agent.state',
    agent: 'a',
    state: st,
    ...(reason ? { reason } : {}),
  }) as AgentEvent;

describe('queue agent records', () => {
  it('start on the shared logged-out state and an empty history, and never change them', () => {
    const a = newAgent('a');
    const b = newAgent('b');
    expect(Object.isFrozen(LOGGED_OUT)).toBe(true);
    insertEvent(
      a,
      toAgentEv({ id: 'l', ts: s(0), site: 'S', type: 'agent.login', agent: 'a' } as AgentEvent),
    );
    expect(a.cur).toMatchObject({ loggedIn: true, st: 'not_ready', since: s(0) });
    expect(b.cur).toEqual({ loggedIn: false, st: 'logged_out', rs: null, since: 0 });
    expect(b.hist).toEqual([]);
    expect(LOGGED_OUT).toEqual({ loggedIn: false, st: 'logged_out', rs: null, since: 0 });
  });

  it.each([
    { name: 'in order', order: [0, 1, 2, 3] },
    { name: 'reversed', order: [3, 2, 1, 0] },
    { name: 'shuffled', order: [2, 0, 3, 1] },
  ])('keeps the history sorted by event time ($name) and prunes to what is left', ({ order }) => {
    const evs = [
      state('e0', 10, 'ready'),
      state('e1', 20, 'talking'),
      state('e2', 30, 'not_ready', 'break'),
      state('e3', 40, 'ready'),
    ];
    const copies = evs.map((e) => ({ ...e }));
    const a = newAgent('a');
    for (const i of order) expect(insertEvent(a, toAgentEv(evs[i] as AgentEvent))).toBe(true);
    expect(evs).toEqual(copies);
    expect(a.hist.map((e) => e.id)).toEqual(['e0', 'e1', 'e2', 'e3']);
    expect(a.cur).toMatchObject({ st: 'ready', rs: null, since: s(40) });
    // The same event again is applied once.
    expect(insertEvent(a, toAgentEv(evs[1] as AgentEvent))).toBe(true);
    expect(a.hist).toHaveLength(4);
    const settled: [string, number, number][] = [];
    prune(a, s(35), (st, from, to) => settled.push([st.st, from, to]));
    expect(settled).toEqual([
      ['ready', s(10), s(20)],
      ['talking', s(20), s(30)],
    ]);
    expect(a.hist.map((e) => e.id)).toEqual(['e2', 'e3']);
    expect(a.base).toMatchObject({ st: 'talking' });
    expect(a.settledTo).toBe(s(30));
    // Older than what was settled: not applied live.
    expect(insertEvent(a, toAgentEv(state('late', 15, 'hold')))).toBe(false);
  });

  it('reads the same state name and reason from different events as equal values', () => {
    const a = newAgent('a');
    insertEvent(a, toAgentEv(state('x', 1, 'not_ready', 'lunch')));
    insertEvent(a, toAgentEv(state('y', 2, 'not_ready', `lun${'ch'}`)));
    // Same state and reason: the agent stays in the state it entered first.
    expect(a.cur).toMatchObject({ st: 'not_ready', rs: 'lunch', since: s(1) });
  });
});

describe('workforce agent records', () => {
  const day = '2026-11-23';
  const seg = (
    agent: string,
    team: string,
    fromH: number,
    toH: number,
    activity = 'work',
  ): RosterSegment => ({
    agent,
    team,
    day,
    start: T0 + fromH * 3_600_000,
    end: T0 + toH * 3_600_000,
    activity,
  });
  const login = (agent: string, sec: number) =>
    ({
      id: `l-${agent}-${sec}`,
      ts: s(sec),
      site: 'S',
      type: 'agent.login',
      agent,
    }) as unknown as FwEvent;

  it('gives each agent its own roster, excused time and timeline, and leaves the inputs alone', () => {
    const cfg = defaultSiteConfig('S');
    const wf = createWorkforceEngine('S', cfg);
    // b and c only sign in: they have no roster and no excused time.
    wf.apply(login('b', 60));
    wf.apply(login('c', 120));
    const roster = [seg('a', 'red', 0, 4), seg('a', 'red', 5, 8), seg('d', 'blue', 0, 8)];
    const rosterCopy = roster.map((x) => ({ ...x }));
    wf.setRoster(roster, [
      { agent: 'a', day },
      { agent: 'd', day },
    ]);
    expect(roster).toEqual(rosterCopy);
    const spans = [{ id: 'x1', agent: 'b', start: s(0), end: s(600), reason: 'training' }];
    const spansCopy = spans.map((x) => ({ ...x }));
    wf.addExcused(spans as never);
    expect(spans).toEqual(spansCopy);
    const now = s(3600);
    // Only rostered agents have figures; c's sign-in did not change b's timeline.
    expect(wf.agentFigures(now).map((f) => f.agent)).toEqual(['a', 'd']);
    expect(wf.rosteredAgents(now)).toEqual([
      { agent: 'a', team: 'red' },
      { agent: 'd', team: 'blue' },
    ]);
    wf.apply(login('a', 3000));
    expect(wf.rosteredAgents(now)).toEqual([{ agent: 'd', team: 'blue' }]);
    // A roster for b later: b's earlier sign-in counts, and a's segments are untouched.
    wf.setRoster([seg('b', 'green', 0, 8)], [{ agent: 'b', day }]);
    const figs = new Map(wf.agentFigures(now).map((f) => [f.agent, f]));
    expect(figs.get('b')).toMatchObject({ team: 'green', attended: true, late_sign_in: true });
    expect(figs.get('b')?.excused_ms).toBe(600_000);
    expect(figs.get('a')).toMatchObject({ team: 'red', attended: true, late_sign_in: true });
    expect(figs.get('a')?.excused_ms).toBe(0);
    expect(figs.get('d')).toMatchObject({ attended: false });
  });
});
