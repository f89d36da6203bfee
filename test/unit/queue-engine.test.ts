// The engine's live behaviour: out-of-order application, ghost agents, agent queues,
// folding of finished calls, idempotency, and that input events are never mutated.
import { describe, expect, it } from 'vitest';
import type { FwEvent } from '../../ingest/src/core/contract.js';
import { createQueueEngine } from '../../ingest/src/core/queue/index.js';
import { Ev, SITE, T0, rng, siteConfig, traffic } from './queue-helpers.js';

const S = 1000;

/** Delivers events late and out of order: each is held back by up to `maxDelay` ms of event time. */
function shuffled(events: FwEvent[], seed: number, maxDelay: number): FwEvent[] {
  const r = rng(seed);
  return events
    .map((ev) => ({ ev, arrive: ev.ts + Math.floor(r() * maxDelay) }))
    .sort((a, b) => a.arrive - b.arrive)
    .map((x) => x.ev);
}

type QueueEngine = ReturnType<typeof createQueueEngine>;

/**
 * Call c0's offer again, 1 s earlier under a new id, to an engine that has folded c0 away:
 * it is counted as a late-born call, and the figures stay those of `keep` (which never folds).
 */
function expectLateBorn(
  engine: QueueEngine,
  keep: QueueEngine,
  events: FwEvent[],
  end: number,
  id: string,
): void {
  const first = events.find((e) => e.type === 'call.offered' && e.call === 'c0') as FwEvent;
  const lateBefore = engine.stats().lateCalls;
  engine.apply({ ...first, id, ts: first.ts - 1000 });
  expect(engine.stats().lateCalls).toBe(lateBefore + 1);
  expect(engine.intervals(end)).toEqual(keep.intervals(end));
  expect(engine.queues(end).reduce((n, q) => n + q.waiting, 0)).toBe(
    keep.queues(end).reduce((n, q) => n + q.waiting, 0),
  );
}

describe('out-of-order application', () => {
  it.each([1, 2, 3, 4])(
    'seed %i: shuffled within the lateness window gives the same figures as event-time order',
    (seed) => {
      const { events, end } = traffic(seed);
      const sorted = [...events].sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : 1));
      const a = createQueueEngine(SITE, siteConfig(), { latenessMs: 10_000 });
      const b = createQueueEngine(SITE, siteConfig(), { latenessMs: 10_000 });
      for (const ev of sorted) a.apply(ev);
      for (const ev of shuffled(events, seed + 100, 10_000)) b.apply(ev);
      const now = end + 5 * 60 * S;
      expect(b.intervals(now)).toEqual(a.intervals(now));
      expect(b.intervals(now).reduce((n, r) => n + r.offered, 0)).toBeGreaterThan(200);
      expect(b.queues(now)).toEqual(a.queues(now));
      expect(b.agents(now)).toEqual(a.agents(now));
      expect(b.stats().tooLate).toBe(0);
    },
  );

  it.each([5, 6])(
    'seed %i: two agents with dozens of ended calls each inside the fold horizon, shuffled and late, give the same figures',
    (seed) => {
      // Every agent event looks only at the pinned calls it can affect (engine.ts affectedPins):
      // with many pins per agent, late agent events must still move the right wrap-ups.
      const { events, end } = traffic(seed, 2, 400);
      const sorted = [...events].sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : 1));
      const a = createQueueEngine(SITE, siteConfig(), {
        latenessMs: 60_000,
        foldAfterMs: 24 * 3600 * S,
      });
      const b = createQueueEngine(SITE, siteConfig(), {
        latenessMs: 60_000,
        foldAfterMs: 24 * 3600 * S,
      });
      for (const ev of sorted) a.apply(ev);
      for (const ev of shuffled(events, seed + 200, 120 * S)) b.apply(ev);
      const now = end + 5 * 60 * S;
      expect(b.intervals(now)).toEqual(a.intervals(now));
      expect(b.intervals(now).reduce((n, r) => n + r.answered, 0)).toBeGreaterThan(40);
      expect(b.agents(now)).toEqual(a.agents(now));
    },
  );

  it('events later than the lateness window (but inside the fold horizon) still count', () => {
    const { events, end } = traffic(7);
    const a = createQueueEngine(SITE, siteConfig(), { latenessMs: 10_000 });
    const b = createQueueEngine(SITE, siteConfig(), { latenessMs: 10_000 });
    for (const ev of [...events].sort((x, y) => x.ts - y.ts || (x.id < y.id ? -1 : 1))) a.apply(ev);
    for (const ev of shuffled(events, 9, 5 * 60 * S)) b.apply(ev);
    const now = end + 5 * 60 * S;
    expect(b.intervals(now)).toEqual(a.intervals(now));
  });

  it('applying the same event twice changes nothing (idempotent per call and agent)', () => {
    const { events, end } = traffic(11, 4, 80);
    const a = createQueueEngine(SITE, siteConfig(), { latenessMs: 10_000 });
    const b = createQueueEngine(SITE, siteConfig(), { latenessMs: 10_000 });
    for (const ev of events) a.apply(ev);
    for (const ev of events) {
      b.apply(ev);
      b.apply(ev);
    }
    expect(b.intervals(end)).toEqual(a.intervals(end));
    expect(b.agents(end)).toEqual(a.agents(end));
  });

  it('does not mutate its input events', () => {
    const { events, end } = traffic(5, 4, 60);
    const copy = structuredClone(events);
    const eng = createQueueEngine(SITE, siteConfig(), { latenessMs: 10_000 });
    for (const ev of events) eng.apply(Object.freeze(ev));
    eng.queues(end);
    eng.intervals(end);
    expect(events).toEqual(copy);
  });
});

describe('folding finished calls', () => {
  it('drops finished call records after the fold horizon, keeps their figures, and a very late event for one makes no phantom waiting call', () => {
    const { events } = traffic(3, 6, 400);
    // After every event: state time past `now` is not counted live (history only has the past).
    const end = Math.max(...events.map((e) => e.ts)) + 60_000;
    const keep = createQueueEngine(SITE, siteConfig(), { latenessMs: 10_000, foldAfterMs: 1e12 });
    const fold = createQueueEngine(SITE, siteConfig(), { latenessMs: 10_000, foldAfterMs: 60_000 });
    for (const ev of events) {
      keep.apply(ev);
      fold.apply(ev);
    }
    expect(fold.intervals(end)).toEqual(keep.intervals(end));
    expect(fold.queues(end)).toEqual(keep.queues(end));
    expect(fold.stats().calls).toBeLessThan(keep.stats().calls / 5);
    expectLateBorn(fold, keep, events, end, 'late-1');
  });
  it('keeps at most the budget of finished calls, folding the oldest early, with the same figures; an event below the floor is late-born', () => {
    const { events } = traffic(4, 6, 400);
    const end = Math.max(...events.map((e) => e.ts)) + 60_000;
    const keep = createQueueEngine(SITE, siteConfig(), { latenessMs: 10_000, foldAfterMs: 1e12 });
    const budget = createQueueEngine(SITE, siteConfig(), {
      latenessMs: 10_000,
      foldAfterMs: 1e12,
      maxHeldCalls: 20,
    });
    let most = 0;
    let narrowest = Infinity;
    for (const ev of events) {
      keep.apply(ev);
      budget.apply(ev);
      most = Math.max(most, budget.stats().calls);
      narrowest = Math.min(narrowest, budget.stats().horizonMs);
    }
    expect(budget.intervals(end)).toEqual(keep.intervals(end));
    expect(budget.queues(end)).toEqual(keep.queues(end));
    expect(budget.agents(end)).toEqual(keep.agents(end));
    // 20 held plus a quarter before the next check, plus the calls still in progress: one
    // per agent (6) and the callers waiting at the busiest moment.
    expect(most).toBeLessThanOrEqual(20 + 5 + 6 + peakWaiting(events));
    expect(keep.stats().calls).toBeGreaterThan(300);
    expect(budget.stats().earlyFolded).toBeGreaterThan(300);
    expect(budget.stats().earlyFolded).toBe(budget.stats().folded);
    // Never closer to the newest event than max(lateness, 10 s).
    expect(narrowest).toBeGreaterThanOrEqual(10_000);
    expect(budget.stats().horizonMs).toBeLessThan(1e12);
    // c0 was folded early: its event is far inside the fold horizon but below the floor.
    expectLateBorn(budget, keep, events, end, 'late-2');
  });

  it('under a budget of one call the horizon still covers the lateness window: shuffled events within it give the same figures', () => {
    const { events } = traffic(8, 6, 300);
    const end = Math.max(...events.map((e) => e.ts)) + 60_000;
    const sorted = [...events].sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : 1));
    const keep = createQueueEngine(SITE, siteConfig(), { latenessMs: 10_000, foldAfterMs: 1e12 });
    const budget = createQueueEngine(SITE, siteConfig(), {
      latenessMs: 10_000,
      foldAfterMs: 1e12,
      maxHeldCalls: 1,
    });
    for (const ev of sorted) keep.apply(ev);
    for (const ev of shuffled(events, 31, 10_000)) budget.apply(ev);
    expect(budget.stats().earlyFolded).toBeGreaterThan(200);
    expect(budget.stats().horizonMs).toBeGreaterThanOrEqual(10_000);
    expect(budget.intervals(end)).toEqual(keep.intervals(end));
    expect(budget.queues(end)).toEqual(keep.queues(end));
  });
});

describe('agents', () => {
  it('a ghost (logged in, silent past ghost_agent_s) is stale and not counted as ready', () => {
    const e = new Ev();
    e.login('a', T0, ['q'], 'Ann', 'T1');
    e.state('a', T0 + S, 'ready');
    e.login('b', T0, ['q']);
    e.state('b', T0 + S, 'ready');
    const cfg = siteConfig();
    cfg.alerts.ghost_agent_s = 3600;
    const eng = createQueueEngine(SITE, cfg, { latenessMs: 10_000 });
    for (const ev of e.list) eng.apply(ev);
    eng.apply(e.state('b', T0 + 3000 * S, 'ready'));
    const now = T0 + 3602 * S;
    expect(eng.agent('a', now)).toMatchObject({
      name: 'Ann',
      team: 'T1',
      state: 'ready',
      stale: true,
    });
    expect(eng.agent('b', now)).toMatchObject({
      state: 'ready',
      stale: false,
      since: '2026-11-23T09:00:01.000Z',
    });
    expect(eng.queues(now)[0]).toMatchObject({
      ready_agents: 1,
      agents_by_state: { ready: 1, stale: 1 },
    });
    expect(eng.queues(T0 + 3600 * S)[0]).toMatchObject({ ready_agents: 2 });
  });

  it('agents with no queues count for every queue; logged-out agents count for none', () => {
    const e = new Ev();
    e.login('all', T0);
    e.state('all', T0 + S, 'not_ready', 'break');
    e.login('q1only', T0, ['q1']);
    e.state('q1only', T0 + S, 'ready');
    e.login('gone', T0, ['q2']);
    e.logout('gone', T0 + 2 * S);
    e.offered('c', 'q2', T0 + 3 * S);
    const eng = createQueueEngine(SITE, siteConfig(), { latenessMs: 10_000 });
    for (const ev of e.list) eng.apply(ev);
    const qs = eng.queues(T0 + 10 * S);
    expect(qs.find((q) => q.queue === 'q1')).toMatchObject({
      ready_agents: 1,
      agents_by_state: { ready: 1, not_ready: 1 },
    });
    expect(qs.find((q) => q.queue === 'q2')).toMatchObject({
      ready_agents: 0,
      agents_by_state: { not_ready: 1 },
      waiting: 1,
      longest_wait_s: 7,
    });
    expect(eng.agent('gone', T0 + 10 * S)).toMatchObject({ state: 'logged_out', stale: false });
    expect(eng.agent('all', T0 + 10 * S)).toMatchObject({ state: 'not_ready', reason: 'break' });
  });

  it('tracks the current call and calls handled today, and marks changes dirty', () => {
    const e = new Ev();
    e.login('a', T0, ['q']);
    e.offered('c', 'q', T0 + S);
    e.answered('c', 'q', 'a', T0 + 3 * S);
    const eng = createQueueEngine(SITE, siteConfig(), { latenessMs: 10_000 });
    for (const ev of e.list) eng.apply(ev);
    expect(eng.agent('a', T0 + 5 * S)).toMatchObject({ current_call: 'c', calls_today: 1 });
    const d = eng.takeDirty();
    expect([...d.queues]).toEqual(['q']);
    expect([...d.agents]).toEqual(['a']);
    expect(eng.takeDirty().queues.size).toBe(0);
    eng.apply(e.ended('c', 'q', 'a', T0 + 60 * S));
    expect(eng.agent('a', T0 + 61 * S)).toMatchObject({ current_call: null });
    expect(eng.lastEventAt()).toBe(T0 + 60 * S);
    // The next operating day starts from zero.
    const tomorrow = T0 + 86_400_000;
    eng.roll(tomorrow);
    expect(eng.agent('a', tomorrow)?.calls_today).toBe(0);
    expect(eng.intervals(tomorrow)).toEqual([]);
  });
});

/** The most calls waiting at once (offered, not yet answered or abandoned), in event time. */
function peakWaiting(events: readonly FwEvent[]): number {
  const waiting = new Set<string>();
  let peak = 0;
  for (const ev of [...events].sort((a, b) => a.ts - b.ts)) {
    if (!('call' in ev) || !ev.call) continue;
    if (ev.type === 'call.offered') waiting.add(ev.call);
    if (ev.type === 'call.answered' || ev.type === 'call.abandoned') waiting.delete(ev.call);
    peak = Math.max(peak, waiting.size);
  }
  return peak;
}
