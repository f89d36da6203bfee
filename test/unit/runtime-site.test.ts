// SiteRuntime over the real pure engines (queue, workforce, alerts): batches applied in
// event-time order, snapshots merging adherence and alerts, deltas with only what changed,
// the stale feed, and the day roll.
import { describe, expect, it } from 'vitest';
import type { FwEvent } from '../../ingest/src/core/contract.js';
import { createAlertEngine } from '../../ingest/src/core/alerts/engine.js';
import { createQueueEngine } from '../../ingest/src/core/queue/engine.js';
import { defaultSiteConfig, type SiteConfig } from '../../ingest/src/core/site-config.js';
import { SiteRuntime } from '../../ingest/src/core/site-runtime.js';
import { createWorkforceEngine } from '../../ingest/src/core/workforce/engine.js';

const T0 = Date.parse('2026-11-23T09:00:00.000Z');
const s = (sec: number) => T0 + sec * 1000;
let n = 0;
const ev = (sec: number, body: Record<string, unknown>): FwEvent =>
  ({ id: `e${++n}`, ts: s(sec), site: 'S', ...body }) as unknown as FwEvent;
const login = (sec: number, agent: string, team = 'red') =>
  ev(sec, { type: 'agent.login', agent, name: agent.toUpperCase(), team, queues: ['q1'] });
const state = (sec: number, agent: string, st: string, reason?: string) =>
  ev(sec, { type: 'agent.state', agent, state: st, ...(reason ? { reason } : {}) });
const offered = (sec: number, call: string) => ev(sec, { type: 'call.offered', call, queue: 'q1' });
const answered = (sec: number, call: string, agent: string) =>
  ev(sec, { type: 'call.answered', call, queue: 'q1', agent });

function runtime(
  opts: { workforce?: boolean; alerts?: boolean; cfg?: SiteConfig } = {},
): SiteRuntime {
  const cfg = opts.cfg ?? defaultSiteConfig('S');
  return new SiteRuntime('S', cfg, {
    queue: createQueueEngine('S', cfg, { latenessMs: 10_000 }),
    workforce: opts.workforce ? createWorkforceEngine('S', cfg) : undefined,
    alerts: opts.alerts ? createAlertEngine('S', cfg) : undefined,
  });
}

describe('SiteRuntime', () => {
  it('applies a batch in event-time order whatever the arrival order', () => {
    const rt = runtime();
    const batch = [state(20, 'a1', 'talking'), login(0, 'a1'), state(10, 'a1', 'ready')];
    const frozen = JSON.stringify(batch);
    rt.apply(batch, s(30));
    expect(JSON.stringify(batch)).toBe(frozen);
    const a = rt.snapshot(s(30)).agents.find((x) => x.agent === 'a1');
    expect(a).toMatchObject({
      state: 'talking',
      name: 'A1',
      team: 'red',
      since: '2026-11-23T09:00:20.000Z',
    });
  });

  it('ignores events of another site', () => {
    const rt = runtime();
    rt.apply([login(0, 'a1'), { ...login(0, 'x9'), site: 'OTHER' } as FwEvent], s(1));
    expect(rt.snapshot(s(1)).agents.map((a) => a.agent)).toEqual(['a1']);
  });

  it('builds a snapshot with the site fields in the site zone', () => {
    const cfg = {
      ...defaultSiteConfig('S'),
      timezone: 'Asia/Shanghai',
      interval_minutes: 30 as const,
    };
    const rt = runtime({ cfg });
    rt.apply([login(0, 'a1'), state(1, 'a1', 'ready')], s(30));
    const snap = rt.snapshot(s(30));
    expect(snap).toMatchObject({
      site: 'S',
      timezone: 'Asia/Shanghai',
      interval_minutes: 30,
      at: '2026-11-23T17:00:30.000+08:00',
      interval_start: '2026-11-23T17:00:00.000+08:00',
      operating_day: '2026-11-23',
      last_event_at: '2026-11-23T17:00:01.000+08:00',
      feed_stale: false,
    });
    expect(snap.agents[0]).toMatchObject({
      adherence: 'unscheduled',
      out_of_adherence_s: 0,
      scheduled_activity: null,
    });
  });

  it('sends deltas with only the agents that changed, and nothing when nothing changed', () => {
    const rt = runtime();
    rt.apply(
      [login(0, 'a1'), login(0, 'a2'), state(1, 'a1', 'ready'), state(1, 'a2', 'ready')],
      s(2),
    );
    rt.baseSnapshot(s(2));
    expect(rt.delta(s(2))).toBeNull();
    rt.apply([offered(3, 'c1'), state(4, 'a2', 'talking'), answered(4, 'c1', 'a2')], s(5));
    const d = rt.delta(s(5));
    expect(d?.agents?.map((a) => [a.agent, a.state])).toEqual([['a2', 'talking']]);
    expect(d?.queues?.map((q) => q.queue)).toEqual(['q1']);
    expect(d?.queues?.[0]?.interval.answered).toBe(1);
    expect(rt.delta(s(5))).toBeNull();
    // A logout keeps the agent (as logged out), so it is a change, not a removal.
    rt.apply([ev(6, { type: 'agent.logout', agent: 'a1' })], s(7));
    const d2 = rt.delta(s(7));
    expect(d2?.agents?.map((a) => [a.agent, a.state])).toEqual([['a1', 'logged_out']]);
    expect(d2?.removed_agents).toBeUndefined();
  });

  it('marks the feed stale after alerts.stale_feed_s of silence and publishes that alone', () => {
    const rt = runtime();
    rt.apply([login(0, 'a1')], s(1));
    rt.baseSnapshot(s(1));
    expect(rt.feedStale(s(60))).toBe(false);
    expect(rt.delta(s(60))).toBeNull();
    expect(rt.snapshot(s(61)).feed_stale).toBe(true);
    const d = rt.delta(s(61));
    expect(d).toMatchObject({
      type: 'delta',
      feed_stale: true,
      last_event_at: '2026-11-23T09:00:00.000Z',
    });
    expect(d?.agents).toBeUndefined();
  });

  it('merges adherence from the workforce engine and lists rostered agents who have not signed in', () => {
    const rt = runtime({ workforce: true });
    const day = '2026-11-23';
    rt.modules.workforce?.setRoster(
      [
        { agent: 'a1', team: 'red', start: s(0), end: s(8 * 3600), activity: 'work', day },
        { agent: 'a9', team: 'red', start: s(0), end: s(8 * 3600), activity: 'work', day },
      ],
      [
        { agent: 'a1', day },
        { agent: 'a9', day },
      ],
    );
    rt.apply([login(0, 'a1'), state(1, 'a1', 'not_ready', 'break')], s(2));
    const snap = rt.snapshot(s(301));
    const a1 = snap.agents.find((a) => a.agent === 'a1');
    expect(a1).toMatchObject({
      state: 'not_ready',
      reason: 'break',
      adherence: 'out',
      scheduled_activity: 'work',
    });
    // Out since sign-in at 0 s (signed in, not yet in a work state), continuously.
    expect(a1?.out_of_adherence_s).toBe(301);
    const a9 = snap.agents.find((a) => a.agent === 'a9');
    expect(a9).toMatchObject({
      state: 'logged_out',
      team: 'red',
      calls_today: 0,
      since: '2026-11-23T00:00:00.000Z',
    });
    expect(snap.teams.map((t) => t.team)).toEqual(['red']);
    // The instant the board ticks from: a1 out since sign-in, a9 (rostered, absent) since the shift began.
    expect(a1?.out_of_adherence_since).toBe(new Date(s(0)).toISOString());
    expect(a9?.out_of_adherence_since).toBe(new Date(s(0)).toISOString());
    // The clock check sends no agent whose seconds out of adherence merely ticked.
    rt.apply([login(301, 'a5', 'blue'), state(301, 'a5', 'ready')], s(301));
    rt.baseSnapshot(s(301));
    expect(rt.delta(s(302), { timed: true })?.agents).toBeUndefined();
    // Back in adherence: a1 is sent, with no instant.
    rt.apply([state(303, 'a1', 'ready')], s(303));
    const back = rt.delta(s(303), { timed: true });
    expect(back?.agents?.map((a) => [a.agent, a.adherence, a.out_of_adherence_since])).toEqual([
      ['a1', 'in', null],
    ]);
    // Nothing moved within the same second: nothing to send.
    expect(rt.delta(s(303), { timed: true })).toBeNull();
    // A full check compares every agent in full and finds the same.
    expect(rt.delta(s(303), { full: true })).toBeNull();
  });

  it('raises the stale-feed alert on the clock, shows it, and clears it when events return', () => {
    const rt = runtime({ alerts: true });
    expect(rt.apply([login(0, 'a1')], s(1))).toEqual([]);
    rt.baseSnapshot(s(1));
    const raised = rt.tick(s(61));
    expect(raised.map((c) => [c.kind, c.alert.kind])).toEqual([['raised', 'stale_feed']]);
    expect(rt.snapshot(s(61)).alerts.map((a) => a.kind)).toEqual(['stale_feed']);
    const d1 = rt.delta(s(61));
    expect(d1?.alerts?.map((a) => [a.kind, a.cleared_at])).toEqual([['stale_feed', null]]);
    const cleared = rt.apply([state(62, 'a1', 'ready')], s(62)).filter((c) => c.kind === 'cleared');
    expect(cleared.map((c) => c.alert.kind)).toEqual(['stale_feed']);
    const d2 = rt.delta(s(62));
    const sent = d2?.alerts?.find((a) => a.kind === 'stale_feed');
    expect(sent?.cleared_at).not.toBeNull();
    expect(rt.snapshot(s(62)).alerts).toEqual([]);
  });

  it('rolls the day on the clock: a fresh snapshot is due and today starts empty', () => {
    const rt = runtime();
    rt.apply(
      [login(0, 'a1'), state(1, 'a1', 'ready'), offered(2, 'c1'), answered(5, 'c1', 'a1')],
      s(6),
    );
    expect(rt.snapshot(s(6)).queues[0]?.today.answered).toBe(1);
    expect(rt.takeSnapshotNeeded()).toBe(false);
    const tomorrow = Date.parse('2026-11-24T00:00:01.000Z');
    rt.tick(tomorrow);
    expect(rt.takeSnapshotNeeded()).toBe(true);
    expect(rt.takeSnapshotNeeded()).toBe(false);
    const snap = rt.snapshot(tomorrow);
    expect(snap.operating_day).toBe('2026-11-24');
    for (const q of snap.queues) expect(q.today.answered).toBe(0);
  });

  it('gives the alert engine a view whose lists match the snapshot', () => {
    const rt = runtime({ workforce: true });
    rt.apply([login(0, 'a1'), state(1, 'a1', 'ready'), offered(2, 'c1')], s(3));
    const v = rt.view(s(3));
    const snap = rt.snapshot(s(3));
    expect(v.queues).toEqual(snap.queues);
    expect(v.agents).toEqual(snap.agents);
    expect(v.teams).toEqual(snap.teams);
    expect(v.lastEventAt).toBe(s(2));
    expect(v.rollingServiceLevel('q1', 15 * 60_000)).toHaveProperty('explain');
  });

  it('leaves the alert evaluation of a batch pending when the previous one was under minEvalGapMs ago', () => {
    const cfg = defaultSiteConfig('S');
    const rt = new SiteRuntime(
      'S',
      cfg,
      {
        queue: createQueueEngine('S', cfg, { latenessMs: 10_000 }),
        alerts: createAlertEngine('S', cfg),
      },
      { minEvalGapMs: 250 },
    );
    rt.apply([login(0, 'a1')], s(1));
    expect(rt.hasPendingEvaluation).toBe(false);
    rt.apply([state(1, 'a1', 'ready')], s(1) + 100);
    expect(rt.hasPendingEvaluation).toBe(true);
    const changes = rt.evaluatePending(s(70));
    expect(changes.map((c) => [c.kind, c.alert.kind])).toEqual([['raised', 'stale_feed']]);
    expect(rt.hasPendingEvaluation).toBe(false);
    // Nothing pending: nothing evaluated, even though time moved.
    expect(rt.evaluatePending(s(200))).toEqual([]);
  });

  it('replays without alerts, then rolls and evaluates once', () => {
    const rt = runtime({ alerts: true });
    rt.replay([login(0, 'a1'), state(1, 'a1', 'ready')]);
    expect(rt.snapshot(s(2)).alerts).toEqual([]);
    const changes = rt.finishReplay(s(120));
    expect(changes.map((c) => c.alert.kind)).toEqual(['stale_feed']);
  });
});
