// Work-state rules (工作状态管理) over the real pure engines (queue, workforce, alerts,
// work state) composed by SiteRuntime: a break overrun and a team over its break cap each
// raise and clear at the right second of event time, and break requests are granted under
// the cap, deferred over it, and granted by the rule when a place comes free.
import { describe, expect, it } from 'vitest';
import type { FwEvent } from '../../ingest/src/core/contract.js';
import { createAlertEngine } from '../../ingest/src/core/alerts/engine.js';
import { createQueueEngine } from '../../ingest/src/core/queue/engine.js';
import { defaultSiteConfig, type SiteConfig } from '../../ingest/src/core/site-config.js';
import { parseSiteConfig } from '../../ingest/src/core/site-config-validate.js';
import { SiteRuntime } from '../../ingest/src/core/site-runtime.js';
import { createWorkforceEngine } from '../../ingest/src/core/workforce/engine.js';
import { createWorkStateEngine } from '../../ingest/src/core/workstate/engine.js';
import '../../ingest/src/core/workstate/config.js';
import '../../ingest/src/core/alerts/config.js';

const T0 = Date.parse('2026-11-23T09:00:00.000Z');
const s = (sec: number) => T0 + sec * 1000;
let n = 0;
const ev = (sec: number, body: Record<string, unknown>): FwEvent =>
  ({ id: `e${++n}`, ts: s(sec), site: 'S', ...body }) as unknown as FwEvent;
const login = (sec: number, agent: string, team = 'red') =>
  ev(sec, { type: 'agent.login', agent, team, queues: ['q1'] });
const state = (sec: number, agent: string, st: string, reason?: string) =>
  ev(sec, { type: 'agent.state', agent, state: st, ...(reason ? { reason } : {}) });
const breakReq = (sec: number, agent: string, reason = 'break') =>
  ev(sec, { type: 'agent.break_requested', agent, reason });

function runtime(body: Record<string, unknown> = {}): { rt: SiteRuntime; cfg: SiteConfig } {
  const cfg = parseSiteConfig(
    'S',
    { alerts: { stale_feed_s: 86_400 }, ...body },
    defaultSiteConfig('S'),
  );
  const rt = new SiteRuntime('S', cfg, {
    queue: createQueueEngine('S', cfg, { latenessMs: 10_000 }),
    workforce: createWorkforceEngine('S', cfg),
    alerts: createAlertEngine('S', cfg),
    workState: createWorkStateEngine('S', cfg),
  });
  return { rt, cfg };
}

const kinds = (rt: SiteRuntime, now: number, kind: string) =>
  rt.snapshot(now).alerts.filter((a) => a.kind === kind);

describe('break overrun', () => {
  it('raises at the second the 15-minute allowance runs out, with the time over, and clears at the return event', () => {
    const { rt } = runtime();
    rt.apply(
      [login(0, 'a1'), state(1, 'a1', 'ready'), state(100, 'a1', 'not_ready', 'break')],
      s(100),
    );
    const deadline = s(100 + 15 * 60);
    expect(rt.modules.alerts!.nextDue!()).toBe(deadline);
    expect(rt.tick(deadline - 1)).toEqual([]);
    const raised = rt.tick(deadline);
    expect(raised.map((c) => [c.kind, c.alert.kind, c.alert.agent, c.at])).toEqual([
      ['raised', 'break_overrun', 'a1', deadline],
    ]);
    expect(raised[0]!.alert.raised_at).toBe('2026-11-23T09:16:40.000Z');
    // The time over grows with the clock; it is in the live work-state view.
    expect(rt.modules.workState!.overruns(deadline + 95_000)).toMatchObject([
      { agent: 'a1', reason: 'break', limit_s: 900, over_s: 95 },
    ]);
    const back = rt.apply([state(100 + 15 * 60 + 95, 'a1', 'ready')], s(100 + 15 * 60 + 95));
    expect(back.map((c) => [c.kind, c.alert.kind, c.at])).toEqual([
      ['cleared', 'break_overrun', s(1095)],
    ]);
    expect(kinds(rt, s(1100), 'break_overrun')).toEqual([]);
  });

  it('uses the reason limit of the team over the site, lunch 60 by default, and none for an unlimited reason', () => {
    const { rt } = runtime({ work_state: { team_limits_min: { blue: { break: 10 } } } });
    rt.apply(
      [
        login(0, 'r1', 'red'),
        login(0, 'b1', 'blue'),
        login(0, 'l1'),
        login(0, 'm1'),
        state(0, 'r1', 'not_ready', 'break'),
        state(0, 'b1', 'not_ready', 'break'),
        state(0, 'l1', 'not_ready', 'lunch'),
        state(0, 'm1', 'not_ready', 'meeting'),
      ],
      s(0),
    );
    const overruns = (now: number) =>
      rt
        .tick(now)
        .filter((c) => c.alert.kind === 'break_overrun')
        .map((c) => c.alert.agent);
    expect(overruns(s(600))).toEqual(['b1']);
    expect(overruns(s(900))).toEqual(['r1']);
    expect(overruns(s(3600))).toEqual(['l1']);
    // A meeting has no limit: never an overrun.
    expect(overruns(s(20_000))).toEqual([]);
  });

  it('judges training as rostered: over once the rostered training segment ends', () => {
    const { rt } = runtime();
    rt.modules.workforce!.setRoster(
      [
        {
          agent: 't1',
          team: 'red',
          start: s(0),
          end: s(3600),
          activity: 'training',
          day: '2026-11-23',
        },
      ],
      [{ agent: 't1', day: '2026-11-23' }],
    );
    rt.apply([login(0, 't1'), state(60, 't1', 'not_ready', 'training')], s(60));
    expect(rt.tick(s(3599))).toEqual([]);
    expect(rt.tick(s(3600)).map((c) => [c.alert.kind, c.at])).toEqual([['break_overrun', s(3600)]]);
  });
});

describe('team break cap', () => {
  it('raises at the event that puts the team over its cap and clears at the event that brings it back', () => {
    const { rt } = runtime({ work_state: { team_cap: { max: 1 } } });
    rt.apply(
      [
        login(0, 'a1'),
        login(0, 'a2'),
        login(0, 'a3'),
        state(1, 'a1', 'ready'),
        state(1, 'a2', 'ready'),
        state(1, 'a3', 'ready'),
      ],
      s(1),
    );
    expect(rt.apply([state(10, 'a1', 'not_ready', 'break')], s(10))).toEqual([]);
    const over = rt.apply([state(20, 'a2', 'not_ready', 'lunch')], s(20));
    expect(over.map((c) => [c.kind, c.alert.kind, c.alert.team, c.at])).toEqual([
      ['raised', 'break_cap', 'red', s(20)],
    ]);
    expect(over[0]!.alert.message).toContain('2 agents on break, cap 1');
    const cleared = rt.apply([state(30, 'a1', 'ready')], s(30));
    expect(cleared.map((c) => [c.kind, c.alert.kind, c.at])).toEqual([
      ['cleared', 'break_cap', s(30)],
    ]);
  });

  it('a share cap is a share of those signed in, and a queue group counts every team skilled for its queues', () => {
    const { rt } = runtime({
      work_state: {
        team_cap: { share: 0.5 },
        group_caps: [{ name: 'hotline', queues: ['q1'], max: 2 }],
      },
    });
    rt.apply(
      [
        login(0, 'a1', 'red'),
        login(0, 'a2', 'red'),
        login(0, 'b1', 'blue'),
        login(0, 'b2', 'blue'),
      ],
      s(0),
    );
    rt.apply([state(5, 'a1', 'not_ready', 'break'), state(5, 'b1', 'not_ready', 'break')], s(5));
    expect(rt.snapshot(s(5)).alerts).toEqual([]);
    const c = rt.apply([state(6, 'b2', 'not_ready', 'break')], s(6));
    expect(c.map((x) => x.alert.id.split(':').slice(1, 4).join(':')).sort()).toEqual([
      'break_cap:group:hotline',
      'break_cap:team:blue',
    ]);
    expect(rt.modules.workState!.caps(s(6)).find((x) => x.key === 'team:blue')).toMatchObject({
      signed_in: 2,
      on_break: 2,
      cap: 1,
    });
  });
});

describe('break requests', () => {
  it('are granted under the cap, deferred over it, and granted by the rule when a place frees; each step has who and when', () => {
    const { rt } = runtime({ work_state: { team_cap: { max: 1 } } });
    rt.apply(
      [login(0, 'a1'), login(0, 'a2'), state(1, 'a1', 'ready'), state(1, 'a2', 'ready')],
      s(1),
    );
    rt.apply([breakReq(10, 'a1')], s(10));
    rt.apply([breakReq(12, 'a2')], s(12));
    const steps = rt.takeRequestChanges();
    expect(steps.map((c) => [c.request.agent, c.action, c.by, c.at])).toEqual([
      ['a1', 'requested', 'a1', s(10)],
      ['a1', 'granted', 'rule', s(10)],
      ['a2', 'requested', 'a2', s(12)],
      ['a2', 'deferred', 'rule', s(12)],
    ]);
    // a1 takes the break (the granted request starts), returns; a2's request is then granted.
    rt.apply([state(20, 'a1', 'not_ready', 'break')], s(20));
    expect(rt.takeRequestChanges().map((c) => [c.request.agent, c.action, c.at])).toEqual([
      ['a1', 'started', s(20)],
    ]);
    rt.apply([state(500, 'a1', 'ready')], s(500));
    expect(rt.takeRequestChanges().map((c) => [c.request.agent, c.action, c.by, c.at])).toEqual([
      ['a2', 'granted', 'rule', s(500)],
    ]);
  });

  it('a lead decides when the rule does not grant, and a repeated request is the same request', () => {
    const { rt } = runtime({ work_state: { auto_grant: false } });
    rt.apply([login(0, 'a1'), breakReq(10, 'a1'), breakReq(11, 'a1')], s(11));
    const ws = rt.modules.workState!;
    const [r] = ws.requests();
    expect(r).toMatchObject({ agent: 'a1', team: 'red', status: 'pending', source: 'event' });
    expect(ws.decide(r!.id, 'defer', 'lead-red', s(30), 'queue is long')).toMatchObject([
      { action: 'deferred', by: 'lead-red', at: s(30) },
    ]);
    expect(ws.decide(r!.id, 'grant', 'lead-red', s(60))).toMatchObject([
      { action: 'granted', by: 'lead-red', at: s(60) },
    ]);
    expect(ws.get(r!.id)).toMatchObject({
      status: 'granted',
      decided_by: 'lead-red',
      decided_at: s(60),
      note: 'queue is long',
    });
  });
});

describe('work_state configuration', () => {
  it('names every bad key', () => {
    expect(() =>
      parseSiteConfig('S', {
        work_state: { limits_min: { break: 0 }, team_cap: { share: 2 }, nope: 1 },
      }),
    ).toThrow(
      /work_state\.nope is not a known key.*work_state\.limits_min\.break must be minutes from 1 to 1440.*work_state\.team_cap\.share must be a fraction/,
    );
  });
});
