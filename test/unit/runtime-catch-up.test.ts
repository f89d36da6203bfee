// SiteRuntime's catch-up: while a backlog arrives (the demo's pre-roll, a producer resending
// after an outage) alerts are judged at the events' own time, not the wall clock, and a site
// whose feed has not started is not judged at all.
import { describe, expect, it } from 'vitest';
import type { FwEvent } from '../../ingest/src/core/contract.js';
import { createAlertEngine } from '../../ingest/src/core/alerts/engine.js';
import { createQueueEngine } from '../../ingest/src/core/queue/engine.js';
import { defaultSiteConfig } from '../../ingest/src/core/site-config.js';
import { CATCH_UP_QUIET_MS, SiteRuntime } from '../../ingest/src/core/site-runtime.js';
import { createWorkforceEngine } from '../../ingest/src/core/workforce/engine.js';

const T0 = Date.parse('2026-11-23T09:00:00.000Z');
const at = (sec: number) => T0 + sec * 1000;
let n = 0;
const ev = (sec: number, body: Record<string, unknown>): FwEvent =>
  ({ id: `c${++n}`, ts: at(sec), site: 'S', ...body }) as unknown as FwEvent;

function runtime(catchUpMs: number): SiteRuntime {
  const cfg = {
    ...defaultSiteConfig('S'),
    alerts: { ...defaultSiteConfig('S').alerts, stale_feed_s: 60 },
  };
  return new SiteRuntime(
    'S',
    cfg,
    {
      queue: createQueueEngine('S', cfg, { latenessMs: 10_000 }),
      workforce: createWorkforceEngine('S', cfg),
      alerts: createAlertEngine('S', cfg),
    },
    { catchUpMs },
  );
}

describe('SiteRuntime catch-up', () => {
  it('judges a backlog at its events’ time: no stale-feed alert while 20-min-old events pour in', () => {
    const now = at(1200);
    const table = [
      { catchUpMs: 30_000, staleRaised: false, alertTime: at(10) },
      { catchUpMs: 0, staleRaised: true, alertTime: now },
    ];
    for (const row of table) {
      const rt = runtime(row.catchUpMs);
      const batch = [
        ev(0, { type: 'agent.login', agent: 'a1', queues: ['q1'] }),
        ev(10, { type: 'agent.state', agent: 'a1', state: 'ready' }),
      ];
      const frozen = JSON.stringify(batch);
      const changes = rt.apply(batch, now);
      expect(JSON.stringify(batch)).toBe(frozen);
      expect(rt.alertTime(now)).toBe(row.alertTime);
      expect(
        changes.some((c) => c.alert.kind === 'stale_feed'),
        JSON.stringify(row),
      ).toBe(row.staleRaised);
    }
  });

  it('returns to the clock once the backlog stops arriving, so a dead feed is still called stale', () => {
    const rt = runtime(30_000);
    const now = at(1200);
    rt.apply([ev(0, { type: 'agent.login', agent: 'a1', queues: ['q1'] })], now);
    expect(rt.alertTime(now + CATCH_UP_QUIET_MS - 1)).toBe(at(0));
    expect(rt.alertTime(now + CATCH_UP_QUIET_MS)).toBe(now + CATCH_UP_QUIET_MS);
    expect(rt.tick(now + CATCH_UP_QUIET_MS).some((c) => c.alert.kind === 'stale_feed')).toBe(true);
  });

  it('judges a backlog’s last seconds at its events’ time too, until it is live', () => {
    const rt = runtime(30_000);
    rt.apply([ev(0, { type: 'agent.login', agent: 'a1', queues: ['q1'] })], at(1200));
    expect(rt.alertTime(at(1200))).toBe(at(0));
    // The backlog's last batch: 5 s behind, under catchUpMs, still the events' time.
    rt.apply([ev(1195, { type: 'agent.state', agent: 'a1', state: 'ready' })], at(1200));
    expect(rt.alertTime(at(1200))).toBe(at(1195));
    // Live: within CATCH_UP_DONE_MS of the clock, and the clock from then on.
    rt.apply([ev(1200.5, { type: 'agent.state', agent: 'a1', state: 'talking' })], at(1201));
    expect(rt.alertTime(at(1201))).toBe(at(1201));
    expect(rt.alertTime(at(1205))).toBe(at(1205));
    // A live feed seconds behind is not a backlog: the clock.
    const live = runtime(30_000);
    live.apply([ev(0, { type: 'agent.login', agent: 'a1', queues: ['q1'] })], at(5));
    expect(live.alertTime(at(5))).toBe(at(5));
  });

  it('keeps the clock for a live feed, and judges nothing before the first event', () => {
    const rt = runtime(30_000);
    expect(rt.alertTime(at(5))).toBeNull();
    expect(rt.tick(at(5))).toEqual([]);
    rt.apply([ev(0, { type: 'agent.login', agent: 'a1', queues: ['q1'] })], at(1));
    expect(rt.alertTime(at(1))).toBe(at(1));
  });
});

describe('feed.heartbeat', () => {
  it('keeps a quiet site live without naming an agent, and its absence makes the feed stale', () => {
    const rt = runtime(0);
    rt.apply([ev(0, { type: 'agent.login', agent: 'a1', queues: ['q1'] })], at(1));
    // 50 s of nothing but heartbeats every 10 s: not stale, and no agent appears from them.
    for (let t = 10; t <= 50; t += 10) rt.apply([ev(t, { type: 'feed.heartbeat' })], at(t));
    expect(rt.feedStale(at(55))).toBe(false);
    expect(rt.snapshot(at(55)).agents.map((a) => a.agent)).toEqual(['a1']);
    expect(rt.feedStale(at(50 + 61))).toBe(true);
  });
});
