// Every event the simulator generates passes the shared contract (the server's own compiled
// validator, against the real clock), and the stream is coherent: each call and agent moves
// through a legal sequence of states, overflowed calls keep their first offer, and the
// workforce behaviours (absence, late sign-in, logout over lunch, ghosts) all occur.
import { describe, expect, it } from 'vitest';
import { validateEvent } from '../../ingest/src/core/contract.js';
import { parseTs } from '../../ingest/src/core/event-timestamps.js';
import { Engine } from '../../simulator/generator/engine.js';
import type { SimEvent } from '../../simulator/generator/emitter.js';
import { SiteClock } from '../../simulator/generator/site-clock.js';
import { DEMO_OVERFLOW } from '../../simulator/scenarios/demo.js';
import {
  DEFAULT_CALL,
  DEFAULT_QUEUES,
  DEFAULT_RATES,
  DEFAULT_SHIFTS,
  siteScenario,
} from '../../simulator/scenarios/site.js';
import { DEFAULT_DOW, DEFAULT_PROFILE } from '../../simulator/distributions/profile.js';
import { planAgentDay } from '../../simulator/roster/plan.js';
import { agentsOf } from '../../simulator/generator/model.js';

const clock = new SiteClock('Asia/Shanghai');
// Yesterday, site time: recent enough for the contract's time window at the real "now".
const day = clock.addDays(clock.date(Date.now()), -2);
const from = clock.midnight(day);
const cfg = siteScenario({
  site: 'contract-check',
  timezone: 'Asia/Shanghai',
  seed: 'contract',
  from,
  to: from + 86_400_000,
  agents: 240,
  teamSize: 15,
  queues: DEFAULT_QUEUES,
  callsPerHour: null,
  call: DEFAULT_CALL,
  profile: DEFAULT_PROFILE,
  dow: DEFAULT_DOW,
  profileShiftMs: 0,
  shifts: DEFAULT_SHIFTS,
  // Higher behaviour rates than the defaults so every behaviour shows up in one day.
  workforce: {
    ...DEFAULT_RATES,
    absence: 0.1,
    late: 0.2,
    ghost: 0.05,
    logoutLunch: 0.4,
    training: 0.2,
  },
  overflow: [DEMO_OVERFLOW],
  tsFormat: 'iso',
});

const events: SimEvent[] = [];
new Engine(cfg, (ev) => events.push(ev)).runUntil(Infinity);

describe('simulated events', () => {
  it('all pass the contract validator the server uses, with the wall clock as now', () => {
    const now = Date.now();
    const failures = events.map((e) => validateEvent(e, now)).filter((r) => !r.ok);
    expect(events.length).toBeGreaterThan(30_000);
    expect(failures.slice(0, 3)).toEqual([]);
    expect(new Set(events.map((e) => e.type))).toEqual(
      new Set([
        'agent.login',
        'agent.logout',
        'agent.state',
        'call.offered',
        'call.answered',
        'call.abandoned',
        'call.overflowed',
        'call.ended',
        // Service quality (#21): surveys and every step of a work order.
        'call.survey',
        'ticket.created',
        'ticket.signed',
        'ticket.dispatched',
        'ticket.replied',
        'ticket.extension_requested',
        'ticket.closed',
        'ticket.followed_up',
      ]),
    );
  });

  it('have unique ids and non-decreasing ts with the site offset', () => {
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    let last = 0;
    for (const e of events) {
      expect(String(e.ts)).toMatch(/\+08:00$/);
      const t = parseTs(e.ts);
      expect(t).toBeGreaterThanOrEqual(last);
      last = t;
    }
  });

  it('move every call through offered -> [overflowed] -> answered -> ended, or abandoned', () => {
    const state = new Map<string, { phase: string; queue: string; offered: number }>();
    let overflowedThenAnswered = 0;
    for (const e of events) {
      if (!e.type.startsWith('call.')) continue;
      const c = e as SimEvent & { call: string; queue: string };
      const s = state.get(c.call);
      switch (e.type) {
        case 'call.offered':
          expect(s).toBeUndefined();
          state.set(c.call, { phase: 'waiting', queue: c.queue, offered: parseTs(e.ts) });
          break;
        case 'call.overflowed':
          expect(s?.phase).toBe('waiting');
          expect(e.queue).toBe(s!.queue);
          expect(e.to_queue).not.toBe(e.queue);
          s!.queue = e.to_queue;
          s!.phase = 'overflowed';
          break;
        case 'call.answered':
          expect(['waiting', 'overflowed']).toContain(s?.phase);
          expect(e.queue).toBe(s!.queue);
          if (s!.phase === 'overflowed') overflowedThenAnswered++;
          s!.phase = 'talking';
          break;
        case 'call.abandoned':
          expect(['waiting', 'overflowed']).toContain(s?.phase);
          expect(e.queue).toBe(s!.queue);
          s!.phase = 'done';
          break;
        case 'call.ended':
          expect(s?.phase).toBe('talking');
          s!.phase = 'done';
          break;
      }
    }
    expect(overflowedThenAnswered).toBeGreaterThan(0);
  });

  it('never give a call to an agent who is not signed in and ready or on a call', () => {
    const agentState = new Map<string, string>();
    for (const e of events) {
      if (e.type === 'agent.login') agentState.set(e.agent, 'logged_in');
      else if (e.type === 'agent.logout') agentState.set(e.agent, 'logged_out');
      else if (e.type === 'agent.state') {
        expect(agentState.get(e.agent), `${e.agent} changes state while logged out`).not.toBe(
          'logged_out',
        );
        expect(agentState.has(e.agent)).toBe(true);
        if (e.state === 'ringing') expect(agentState.get(e.agent)).toBe('ready');
        agentState.set(e.agent, e.state);
      } else if (e.type === 'call.answered') expect(agentState.get(e.agent)).toBe('ringing');
    }
  });

  it('show the workforce behaviours the roster is measured against', () => {
    const agents = agentsOf(cfg);
    const plans = agents
      .map((a, i) => planAgentDay(cfg, clock, a, i, day))
      .filter((p) => p !== null);
    const absent = plans.filter((p) => p.absent);
    const logins = new Map<string, number>();
    const logouts = new Map<string, number>();
    for (const e of events) {
      if (e.type === 'agent.login') logins.set(e.agent, (logins.get(e.agent) ?? 0) + 1);
      if (e.type === 'agent.logout') logouts.set(e.agent, (logouts.get(e.agent) ?? 0) + 1);
    }
    expect(absent.length).toBeGreaterThan(0);
    // Absent agents whose day lies inside the run never sign in.
    for (const p of absent)
      if (p.shiftStart > from + 3_600_000 && p.shiftEnd < from + 86_400_000)
        expect(logins.has(agents[p.agent]!.id)).toBe(false);
    expect(plans.some((p) => !p.absent && p.loginAt > p.shiftStart)).toBe(true); // late
    expect(plans.some((p) => !p.absent && p.loginAt < p.shiftStart)).toBe(true); // early
    // Logging out over lunch shows as two sessions in one day.
    expect([...logins.values()].some((n) => n >= 2)).toBe(true);
    // Ghosts: signed in, never signed out.
    expect([...logins.keys()].some((a) => !logouts.has(a))).toBe(true);
    const reasons = new Set(
      events
        .filter((e) => e.type === 'agent.state' && e.state === 'not_ready')
        .map((e) => (e as { reason?: string }).reason),
    );
    expect(reasons).toEqual(new Set(['break', 'lunch', 'training']));
  });
});
