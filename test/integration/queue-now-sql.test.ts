// Queued, ringing and expired calls (docs/definitions.md, "Live queue figures"): the live
// engine against the same figures recomputed by SQL from the stored events, on the real
// embedded ClickHouse, at several instants of random traffic in which agents ring for a
// while before answering, some calls never end and some are answered only after their
// expiry deadline; and a call that never ends is dropped from memory after a day but stays
// counted as expired.
import { describe, expect, it } from 'vitest';
import type { Store } from '../../ingest/src/adapters/clickhouse/store.js';
import type { FwEvent } from '../../ingest/src/core/contract.js';
import {
  createQueueEngine,
  nextIntervalStart,
  intervalStart,
} from '../../ingest/src/core/queue/index.js';
import { operatingDay } from '../../ingest/src/core/queue/time-buckets.js';
import type { SiteConfig } from '../../ingest/src/core/site-config.js';
import { eventBlock, insertEventBlock, rowOf } from '../../ingest/src/pipeline/native-rows.js';
import { expiredCalls, queueNow } from '../../queries/queue-now.js';
import { Ev, rng, siteConfig } from '../unit/queue-helpers.js';
import { useTempStore } from '../helpers/store.js';

let store: Store;
useTempStore('fw_queue_now', (s) => (store = s));

const S = 1000;

function config(site: string, zone: string, expiryS: number): SiteConfig {
  const cfg = { ...siteConfig({ timezone: zone, call_expiry_s: expiryS }), site };
  // The SQL leaves the ghost rule out (it needs every event's agent); no agent is a ghost here.
  cfg.alerts = { ...cfg.alerts, ghost_agent_s: 10 ** 7 };
  return cfg;
}

/** Traffic where a ringing agent rings 2-25 s, 8% of calls never end, some wait past expiry. */
function ringingTraffic(site: string, start: number, calls: number): FwEvent[] {
  const r = rng(site.length * 31 + 7);
  const e = new Ev(site, `${site}-`);
  const agents = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'];
  const queuesOf = (i: number) => (i % 4 === 0 ? [] : i % 2 ? ['q1', 'q3'] : ['q2', 'q3']);
  agents.forEach((a, i) => {
    e.login(a, start + i * S, queuesOf(i), a, i < 4 ? 'T1' : 'T2');
    e.state(a, start + i * S + 500, 'ready');
  });
  let t = start + 10 * S;
  for (let c = 0; c < calls; c++) {
    t += Math.floor(r() * 15 * S);
    const q = ['q1', 'q2', 'q3'][Math.floor(r() * 3)] as string;
    const id = `c${c}`;
    e.offered(id, q, t);
    const roll = r();
    if (roll < 0.08) continue; // never ends: expires
    const wait = Math.floor(r() * (roll < 0.2 ? 300 : 60) * S); // some wait past a 120-s expiry
    if (roll < 0.3) {
      e.abandoned(id, q, t + wait);
      continue;
    }
    const agent = agents[Math.floor(r() * agents.length)] as string;
    const ring = 2 * S + Math.floor(r() * 23 * S);
    e.state(agent, Math.max(t, t + wait - ring), 'ringing');
    e.answered(id, q, agent, t + wait);
    e.state(agent, t + wait, 'talking');
    const talk = 10 * S + Math.floor(r() * 60 * S);
    e.ended(id, q, agent, t + wait + talk);
    e.state(agent, t + wait + talk, 'ready');
  }
  return e.list;
}

async function insert(events: FwEvent[]): Promise<void> {
  await insertEventBlock(store, eventBlock(events.map((ev) => rowOf(ev, 'test', false))));
}

/** The live engine fed the events up to `at` (in their arrival order), read at `at`. */
function liveAt(cfg: SiteConfig, arrival: FwEvent[], at: number) {
  const engine = createQueueEngine(cfg.site, cfg, { latenessMs: 10_000 });
  for (const ev of arrival) if (ev.ts <= at) engine.apply(ev);
  return { engine, queues: engine.queues(at) };
}

async function expectSameAt(cfg: SiteConfig, arrival: FwEvent[], at: number) {
  const { queues } = liveAt(cfg, arrival, at);
  const names = queues.map((q) => q.queue);
  const sql = await queueNow(store, { site: cfg.site, at, config: cfg, queues: names });
  expect(
    queues.map((q) => ({
      queue: q.queue,
      waiting: q.waiting,
      queued: q.queued,
      ringing: q.ringing,
      oldest_ms: q.longest_wait_since ? Date.parse(q.longest_wait_since) : null,
    })),
    `at ${new Date(at).toISOString()}`,
  ).toEqual(sql);
  const day = operatingDay(at, cfg.timezone, cfg.day_start);
  const cur = intervalStart(at, cfg.timezone, cfg.interval_minutes);
  const curEnd = nextIntervalStart(cur, cfg.timezone, cfg.interval_minutes);
  const p = { site: cfg.site, at, config: cfg };
  const today = await expiredCalls(store, { ...p, from: day.start, to: day.end });
  const interval = await expiredCalls(store, { ...p, from: cur, to: curEnd });
  for (const q of queues) {
    expect(q.today.expired, `${q.queue} today`).toBe(today.get(q.queue) ?? 0);
    expect(q.interval.expired, `${q.queue} interval`).toBe(interval.get(q.queue) ?? 0);
  }
  return { queues, sql };
}

describe('queued, ringing and expired: live equals SQL', () => {
  it('agrees at many instants of ringing traffic (Shanghai, 15 min, 120-s expiry)', async () => {
    const cfg = config('qnow1', 'Asia/Shanghai', 120);
    const start = Date.parse('2026-11-23T01:00:00Z');
    const events = ringingTraffic(cfg.site, start, 300);
    // Arrival order: each event held back up to 5 s (within the lateness window).
    const r = rng(9);
    const arrival = events
      .map((ev) => ({ ev, at: ev.ts + Math.floor(r() * 5 * S) }))
      .sort((a, b) => a.at - b.at)
      .map((x) => x.ev);
    await insert(arrival);
    const last = Math.max(...events.map((e) => e.ts));
    let sawRinging = 0;
    let sawQueued = 0;
    let sawExpired = 0;
    for (let i = 1; i <= 24; i++) {
      const at = start + Math.floor(((last - start) * i) / 24) + 1;
      const { queues } = await expectSameAt(cfg, arrival, at);
      for (const q of queues) {
        sawRinging += q.ringing ?? 0;
        sawQueued += q.queued ?? 0;
        sawExpired += q.today.expired ?? 0;
        expect((q.queued ?? 0) + (q.ringing ?? 0)).toBe(q.waiting);
        expect(q.longest_wait_s).toBeLessThan(120);
      }
    }
    // The instants covered each case.
    expect(sawRinging).toBeGreaterThan(0);
    expect(sawQueued).toBeGreaterThan(0);
    expect(sawExpired).toBeGreaterThan(0);
    // Long after the last event every call that never ended has expired; none waits.
    const { queues } = await expectSameAt(cfg, arrival, last + 10 * 60 * S);
    expect(queues.reduce((n, q) => n + q.waiting, 0)).toBe(0);
  });

  it('drops a call that never ends after a day, and keeps it counted as expired', async () => {
    const cfg = config('qnow2', 'UTC', 3600);
    const e = new Ev(cfg.site, 'qnow2-');
    const off = Date.parse('2026-11-23T23:20:00Z');
    e.login('a1', off - 60 * S, ['q1']);
    e.state('a1', off - 59 * S, 'ready');
    e.offered('lost', 'q1', off);
    // The agent's day goes on; the lost call's deadline (00:20) falls on the next day.
    for (let t = off + 10 * 60 * S; t <= off + 24 * 3_600_000 + 10 * 60 * S; t += 10 * 60 * S)
      e.state('a1', t, (t / (10 * 60 * S)) % 2 ? 'ready' : 'not_ready');
    await insert(e.list);
    const at = off + 24 * 3_600_000 + 10 * 60 * S + 1;
    const { engine, queues } = liveAt(cfg, e.list, at);
    // Folded from memory (the sweep runs as events arrive), counted all the same.
    expect(engine.stats().calls).toBe(0);
    expect(queues.find((q) => q.queue === 'q1')?.today.expired).toBe(1);
    await expectSameAt(cfg, e.list, at);
    // An hour before its deadline it still waits; at the deadline it expires.
    const before = await expectSameAt(cfg, e.list, off + 59 * 60 * S);
    expect(before.queues.find((q) => q.queue === 'q1')?.waiting).toBe(1);
    const atDeadline = await expectSameAt(cfg, e.list, off + 3_600_000);
    expect(atDeadline.queues.find((q) => q.queue === 'q1')).toMatchObject({ waiting: 0 });
    expect(atDeadline.queues.find((q) => q.queue === 'q1')?.today.expired).toBe(1);
  });
});
