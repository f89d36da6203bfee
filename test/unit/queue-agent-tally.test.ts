// The per-queue agent tallies (agents by state, ready agents, occupancy of open history)
// give exactly what scanning every agent gives: two engines, one with tallies and one
// scanning, get the same random stream (logins with and without queues, states, logouts,
// calls, out-of-order arrivals, ghosts, interval and hour boundaries) and are read after
// every batch, at `now` equal to, and past, the newest event, and before it (scan fallback).
import { describe, expect, it } from 'vitest';
import type { FwEvent } from '../../ingest/src/core/contract.js';
import { AgentTally } from '../../ingest/src/core/queue/agent-tally.js';
import { insertEvent, newAgent, prune } from '../../ingest/src/core/queue/agent-timeline.js';
import { createQueueEngine } from '../../ingest/src/core/queue/index.js';
import { Ev, SITE, T0, siteConfig } from './queue-helpers.js';
import { seeded } from '../helpers/random.js';

const STATES = ['ready', 'not_ready', 'talking', 'hold', 'wrap_up', 'ringing', 'outbound'] as const;

const rng = seeded;

describe('agent tallies equal the full scan', () => {
  // 30 agents keep short histories; 3 agents keep 16+ events each inside the fold horizon,
  // which is where the tally's memo of closed segments works (late events, prunes included).
  it.each([
    [1, 30],
    [2, 30],
    [3, 30],
    [4, 3],
    [5, 3],
  ])('random stream, seed %i, %i agents', (seed, nAgents) => {
    const r = rng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
    const cfg = siteConfig({ timezone: 'America/New_York', interval_minutes: 15 });
    cfg.alerts = { ...cfg.alerts, ghost_agent_s: 120 };
    const opts = { latenessMs: 2_000, foldAfterMs: 60_000 };
    const tally = createQueueEngine(SITE, cfg, opts);
    const scan = createQueueEngine(SITE, cfg, { ...opts, agentTallies: false });
    const ev = new Ev();
    const agents = Array.from({ length: nAgents }, (_, i) => `a${i}`);
    const queues = ['q1', 'q2', 'q3', 'q4'];
    let t = T0 + 13 * 60_000;
    let calls = 0;
    let reads = 0;
    let busyTotal = 0;
    const seen = new Set<string>();
    for (let batch = 0; batch < 150; batch++) {
      const from = ev.list.length;
      for (let i = 0; i < 8; i++) {
        t += Math.floor((r() * 20_000 * Math.min(nAgents, 30)) / 30 / (nAgents < 30 ? 3 : 1));
        // Some events arrive late (up to 10 s before the newest).
        const ts = t - (r() < 0.2 ? Math.floor(r() * 10_000) : 0);
        const a = pick(agents);
        const x = r();
        if (x < 0.1)
          ev.login(
            a,
            ts,
            r() < 0.3 ? undefined : queues.filter(() => r() < 0.5),
            a.toUpperCase(),
            't1',
          );
        else if (x < 0.15) ev.logout(a, ts);
        else if (x < 0.7) ev.state(a, ts, pick(STATES));
        else {
          const c = `c${++calls}`;
          const q = pick(queues);
          ev.offered(c, q, ts);
          if (r() < 0.7) {
            ev.answered(c, q, a, ts + 3_000);
            ev.ended(c, q, a, ts + 40_000);
          } else ev.abandoned(c, q, ts + 9_000);
        }
      }
      const fresh = ev.list.slice(from).sort((x, y) => x.ts - y.ts) as FwEvent[];
      for (const e of fresh) {
        tally.apply(e);
        scan.apply(e);
      }
      const newest = tally.lastEventAt() as number;
      for (const now of [newest, newest + Math.floor(r() * 300_000), newest - 5_000]) {
        const got = tally.queues(now);
        expect(got).toEqual(scan.queues(now));
        busyTotal += got.reduce((n, q) => n + (q.today.occupancy ?? 0), 0);
        for (const q of got) for (const k of Object.keys(q.agents_by_state)) seen.add(k);
        reads++;
      }
    }
    expect(reads).toBe(450);
    // The stream did exercise occupancy and several states.
    expect(busyTotal).toBeGreaterThan(0);
    expect(seen.has('stale') && seen.has('ready') && seen.has('talking')).toBe(true);
  });
});

describe("agent tallies' memo of a busy agent's closed segments", () => {
  // A busy agent whose oldest events are pruned as new ones arrive: the memo is carried over
  // the prune (the dropped segments are taken out of its sums), so a share walks the newest
  // events only, and the tallies still equal a recount from scratch (a fresh AgentTally).
  it('survives prunes, late events included, and equals a recount', () => {
    const a = newAgent('a1');
    a.queues = ['q1'];
    const agents = new Map([[a.id, a]]);
    const T = Date.parse('2026-11-24T08:00:00Z');
    const froms = [T - 15 * 60_000, T - 8 * 3600_000];
    const tally = new AgentTally();
    const states = ['ready', 'talking', 'wrap_up', 'not_ready', 'hold'] as const;
    insertEvent(a, { ts: T, id: 'login', k: 0, st: '', rs: null });
    tally.update(agents, froms);
    let walkedInLoop = 0;
    let minHistory = Infinity;
    for (let i = 1; i <= 600; i++) {
      const before = tally.walked;
      tally.touch(a);
      // Every 7th event is late: it lands before the newest ones (the memo must notice).
      const ts = T + i * 1_000 - (i % 7 === 0 ? 2_500 : 0);
      insertEvent(a, { ts, id: `e${i}`, k: 2, st: states[i % states.length] as string, rs: null });
      prune(a, T + (i - 30) * 1_000, () => {});
      tally.update(agents, froms);
      if (i > 100) {
        walkedInLoop += tally.walked - before;
        minHistory = Math.min(minHistory, a.hist.length);
      }
      if (i % 50 === 0) {
        const fresh = new AgentTally();
        fresh.update(agents, froms);
        const now = T + i * 1_000 + 500;
        expect(tally.occupancy(now)).toEqual(fresh.occupancy(now));
        expect(tally.states('q1')).toEqual(fresh.states('q1'));
      }
    }
    // The history stayed long (~30 events), yet an event walked ~3 of them on average, plus
    // the whole history after each late one (1 in 7): ~7, where dropping the memo at every
    // prune walks ~31.
    expect(minHistory).toBeGreaterThanOrEqual(25);
    expect(walkedInLoop / 500).toBeLessThan(10);
  });
});
