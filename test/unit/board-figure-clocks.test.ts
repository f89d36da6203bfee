// The board computes two clock-driven figures itself from instants the server sends: a team's
// login conformance (teamAt, from its conformance clock) and the work orders' time left and
// order (ordersAt, from each due time). At any instant t up to the next shift, excused-time or
// event boundary, what the board computes from an earlier message equals what the server
// computes afresh at t; and a quiet site's deltas carry neither teams nor the quality block.
import { describe, expect, it } from 'vitest';
import type { FwEvent } from '../../ingest/src/core/contract.js';
import { defaultSiteConfig } from '../../ingest/src/core/site-config.js';
import {
  createWorkforceEngine,
  groupFigures,
  parseExcused,
  parseRoster,
  teamLive,
} from '../../ingest/src/core/workforce/index.js';
import {
  clockKey,
  conformanceAt,
  teamAt,
} from '../../ingest/src/core/workforce/conformance-clock.js';
import { QualityEngine } from '../../ingest/src/core/quality/engine.js';
import { ordersAt } from '../../ingest/src/core/quality/live.js';
import { SiteRuntime } from '../../ingest/src/core/site-runtime.js';
import { createQueueEngine } from '../../ingest/src/core/queue/engine.js';
import { seeded } from '../helpers/random.js';
import { applyDelta } from '../../wallboard/src/lib/feed-state.js';
import { alertNow } from '../../wallboard/src/lib/alert-now.js';
import type { AlertView } from '../../ingest/src/core/snapshot.js';

const ZONE = 'UTC';
const D = '2026-11-23';
const H = 3_600_000;
const MIN = 60_000;
const T0 = Date.parse(`${D}T00:00:00.000Z`);
const iso = (ms: number) => new Date(ms).toISOString();

/** A seeded day: 3 teams of 6, split shifts with breaks, excused spans, sign-ins and -outs. */
function floorDay(seed: number) {
  const r = seeded(seed);
  const cfg = defaultSiteConfig('s1');
  cfg.timezone = ZONE;
  const roster: object[] = [];
  const excused: object[] = [];
  const evs: FwEvent[] = [];
  const bounds = new Set<number>();
  let n = 0;
  for (let i = 0; i < 18; i++) {
    const agent = `a${i}`;
    const team = `t${i % 3}`;
    // Minute-aligned plus odd seconds, so boundaries fall between whole seconds too.
    const start = T0 + 6 * H + Math.floor(r() * 240) * MIN + Math.floor(r() * 60) * 1000;
    const mid = start + 3 * H + Math.floor(r() * 60) * MIN;
    const back = mid + 30 * MIN;
    const end = back + 3 * H + Math.floor(r() * 90) * MIN + 7;
    for (const [s, e, activity] of [
      [start, mid, 'work'],
      [mid, back, 'lunch'],
      [back, end, 'work'],
    ] as const) {
      roster.push({ agent, team, start: iso(s), end: iso(e), activity });
      bounds.add(s).add(e);
    }
    if (r() < 0.4) {
      const xs = start + Math.floor(r() * 120) * MIN + 123;
      const xe = xs + (10 + Math.floor(r() * 50)) * MIN;
      excused.push({
        agent,
        start: iso(xs),
        end: iso(xe),
        reason: 'system fault',
        entered_by: 'x',
      });
      bounds.add(xs).add(xe);
    }
    // Sign in around the start (some late), out at lunch for some, back, out around the end.
    let t = start + Math.floor((r() - 0.6) * 20 * MIN);
    const push = (type: string, at: number, extra: object = {}) => {
      evs.push({ id: `e${++n}`, ts: at, site: 's1', type, agent, team, ...extra } as FwEvent);
      bounds.add(at);
    };
    if (r() < 0.9) {
      push('agent.login', t);
      push('agent.state', t + 1000, { state: 'ready' });
      if (r() < 0.5) {
        push('agent.logout', mid + Math.floor(r() * 5 * MIN));
        t = back - Math.floor(r() * 5 * MIN) + Math.floor(r() * 10 * MIN);
        push('agent.login', t);
        push('agent.state', t + 1000, { state: 'ready' });
      }
      if (r() < 0.7) push('agent.logout', end + Math.floor((r() - 0.7) * 30 * MIN));
    }
  }
  const eng = createWorkforceEngine('s1', cfg);
  const p = parseRoster(Buffer.from(JSON.stringify(roster)), 'application/json', cfg);
  expect(p.errors).toEqual([]);
  eng.setRoster(p.segments, p.agentDays);
  const x = parseExcused(excused, cfg, T0 + 23 * H, (k) => `x${k}`);
  expect(x.errors).toEqual([]);
  eng.addExcused(x.spans);
  for (const e of evs) eng.apply(e);
  return { eng, r, bounds: [...bounds].sort((a, b) => a - b) };
}

const teamsAt = (eng: ReturnType<typeof createWorkforceEngine>, t: number) =>
  groupFigures(eng.agentFigures(t), 'team').map((g) => teamLive(g, t, ZONE));

describe('conformance on the board clock', () => {
  it('equals the server figure at every instant up to the next boundary (3 seeded days)', () => {
    let compared = 0;
    let moved = 0;
    for (const seed of [1, 2, 3]) {
      const { eng, r, bounds } = floorDay(seed);
      // Random instants, then every boundary itself in order (a shift starting at t0 accrues from t0).
      const instants = Array.from(
        { length: 60 },
        () => T0 + 5 * H + Math.floor(r() * 14 * H) + Math.floor(r() * 1000),
      );
      for (const t0 of [...instants, ...bounds]) {
        const next = bounds.find((b) => b > t0) ?? T0 + 24 * H - 1;
        const sent = teamsAt(eng, t0);
        // Just after, a random instant, and the boundary itself (the sums are continuous).
        for (const t of [t0 + 1, t0 + Math.floor(r() * (next - t0)), next]) {
          const fresh = teamsAt(eng, t);
          expect(fresh.map((x) => x.team)).toEqual(sent.map((x) => x.team));
          sent.forEach((s, i) => {
            const f = fresh[i]!;
            const b = teamAt(s, t);
            expect(b.conformance).toBe(f.conformance);
            expect(conformanceAt(s, t)).toBe(f.conformance);
            const [bx, fx] = [b.conformance_explain, f.conformance_explain];
            expect([bx.numerator, bx.denominator]).toEqual([fx.numerator, fx.denominator]);
            // Late sign-ins count from just after a shift starts: a change the feed sends.
            const [sc, fc] = [s.conformance_clock!, f.conformance_clock!];
            if (sc.late_sign_ins === fc.late_sign_ins && sc.early_sign_outs === fc.early_sign_outs)
              expect(bx.text).toBe(fx.text);
            else expect(clockKey(sc, T0)).not.toBe(clockKey(fc, T0));
            if (f.conformance !== s.conformance) moved++;
            compared++;
          });
        }
      }
    }
    expect(compared).toBeGreaterThan(3 * 60 * 3 * 3);
    // Most instants fall mid-shift, where the figure moves with the clock.
    expect(moved).toBeGreaterThan(compared / 2);
  });

  it('a team with no clock shows what was sent', () => {
    const { eng } = floorDay(4);
    const t = teamsAt(eng, T0 + 10 * H)[0]!;
    const { conformance_clock: _, ...plain } = t;
    expect(teamAt(plain, T0 + 11 * H)).toBe(plain);
    expect(conformanceAt(plain, T0 + 11 * H)).toBe(t.conformance);
  });
});

describe('work orders on the board clock', () => {
  it('time left equals the server list at each instant, and the list does not move with the clock', () => {
    const r = seeded(11);
    const cfg = defaultSiteConfig('S');
    const e = new QualityEngine('S', cfg);
    const classes = ['ordinary', 'hard', 'urgent'];
    let n = 0;
    const C = T0 + 8 * H;
    for (let i = 0; i < 200; i++) {
      // Within a few minutes of each other, seconds apart: minutes left tie and untie as the clock runs.
      const at = C + Math.floor(r() * 600) * 1000 + Math.floor(r() * 1000);
      e.apply({
        id: `o${++n}`,
        ts: at,
        site: 'S',
        type: 'ticket.created',
        ticket: `T${String(Math.floor(r() * 1000)).padStart(3, '0')}-${i}`,
        category: 'billing',
        class: classes[i % 3],
      } as unknown as FwEvent);
    }
    const t0 = C + 20 * MIN;
    const sent = e.live(t0).orders;
    let moved = 0;
    let steps = 0;
    // Four and a half hours, 7 s apart: every order goes overdue, minutes left tie and untie.
    for (let k = 1; k <= 2400; k++) {
      const t = t0 + k * 7000;
      const board = ordersAt(sent, t);
      expect(board.map((o) => [o.ticket, o.time_left_s, o.due])).toEqual(
        e.live(t).orders.map((o) => [o.ticket, o.time_left_s, o.due]),
      );
      if (board !== sent) moved++;
      steps++;
    }
    expect(steps).toBe(2400);
    expect(moved).toBeGreaterThan(2000);
    expect(sent.some((o) => o.time_left_s > 0)).toBe(true);
    expect(ordersAt(sent, t0 + 2400 * 7000).every((o) => o.time_left_s < 0)).toBe(true);
    // Nothing moved: the same array, so the tile does not re-render.
    expect(ordersAt(sent, t0)).toBe(sent);
  });
});

describe('a quiet site', () => {
  it('sends no team and no quality block while only the clock moves, and a team when an event changes it', () => {
    const cfg = defaultSiteConfig('Q');
    cfg.timezone = ZONE;
    const wf = createWorkforceEngine('Q', cfg);
    const rt = new SiteRuntime('Q', cfg, {
      queue: createQueueEngine('Q', cfg, { latenessMs: 10_000 }),
      workforce: wf,
      quality: new QualityEngine('Q', cfg),
    });
    const start = T0 + 8 * H;
    const agents = Array.from({ length: 30 }, (_, i) => `a${i}`);
    wf.setRoster(
      agents.map((agent, i) => ({
        agent,
        team: `t${i % 3}`,
        start,
        end: start + 8 * H,
        activity: 'work',
        day: D,
      })),
      agents.map((agent) => ({ agent, day: D })),
    );
    const evs: FwEvent[] = [];
    agents.forEach((agent, i) => {
      if (i % 5 === 4) return; // some never sign in: conformance below 1 and moving
      evs.push({
        id: `l${i}`,
        ts: start + i * 1000,
        site: 'Q',
        type: 'agent.login',
        agent,
        team: `t${i % 3}`,
      } as FwEvent);
    });
    for (let i = 0; i < 20; i++)
      evs.push({
        id: `w${i}`,
        ts: start + H + i * 17_000,
        site: 'Q',
        type: 'ticket.created',
        ticket: `W${i}`,
        category: 'billing',
        class: 'urgent',
      } as unknown as FwEvent);
    const now0 = start + 2 * H;
    rt.apply(evs, now0);
    const snap = rt.baseSnapshot(now0);
    expect(snap.teams.every((t) => t.conformance_clock)).toBe(true);
    expect(snap.quality?.orders.length).toBe(12);
    let teams = 0;
    let quality = 0;
    // Ten minutes of 1-s clock checks: conformance and time left move, nothing is resent.
    for (let k = 1; k <= 600; k++) {
      const d = rt.delta(now0 + k * 1000, { timed: true, heartbeat: true });
      teams += d?.teams?.length ?? 0;
      quality += d?.quality ? 1 : 0;
    }
    expect(teams).toBe(0);
    expect(quality).toBe(0);
    const later = now0 + 600_000;
    const fresh = rt.teams(later + 1000);
    snap.teams.forEach((t, i) =>
      expect(conformanceAt(t, later + 1000)).toBe(fresh[i]!.conformance),
    );
    expect(fresh.some((t, i) => t.conformance !== snap.teams[i]!.conformance)).toBe(true);
    // An event that changes a team's rates sends that team, once.
    rt.apply(
      [
        {
          id: 'late',
          ts: later + 1500,
          site: 'Q',
          type: 'agent.login',
          agent: 'a4',
          team: 't1',
        } as FwEvent,
      ],
      later + 1500,
    );
    const d = rt.delta(later + 2000, { timed: true });
    expect(d?.teams?.map((t) => t.team)).toEqual(['t1']);
    expect(rt.delta(later + 3000, { timed: true })?.teams).toBeUndefined();
  });
});

describe('quality counts', () => {
  it('travel alone when an order only passes a limit, and the board merges them', () => {
    const cfg = defaultSiteConfig('Q');
    cfg.timezone = ZONE;
    const rt = new SiteRuntime('Q', cfg, {
      queue: createQueueEngine('Q', cfg, { latenessMs: 10_000 }),
      quality: new QualityEngine('Q', cfg),
    });
    const C = T0 + 8 * H;
    const t = (id: string, type: string, ticket: string, at: number, extra: object = {}) =>
      ({ id, ts: at, site: 'Q', type, ticket, ...extra }) as unknown as FwEvent;
    // Urgent (4 h), signed, dispatched, replied: no timer left, near its limit 1 h before due.
    rt.apply(
      [
        t('c', 'ticket.created', 'U1', C, { category: 'billing', class: 'urgent' }),
        t('s', 'ticket.signed', 'U1', C + MIN),
        t('d', 'ticket.dispatched', 'U1', C + 2 * MIN, { department: 'x' }),
        t('r', 'ticket.replied', 'U1', C + 3 * MIN),
      ],
      C + 4 * MIN,
    );
    const snap = rt.baseSnapshot(C + 4 * MIN);
    expect(snap.quality?.near_limit).toBe(0);
    let board = snap;
    const kinds: string[] = [];
    for (let k = 1; k <= 6; k++) {
      // Every 15 min from 2 h 30 min: into near-limit at 3 h, overdue at 4 h.
      const d = rt.delta(C + 150 * MIN + k * 15 * MIN, { timed: true });
      if (d?.quality) kinds.push('whole');
      if (d?.quality_counts)
        kinds.push(`counts ${d.quality_counts.near_limit}/${d.quality_counts.overdue}`);
      if (d) board = applyDelta(board, { ...d, seq: k });
    }
    // Overdue also changes the order's warning: the whole block, once.
    expect(kinds).toEqual(['counts 1/0', 'whole']);
    expect(board.quality?.overdue).toBe(1);
    expect(board.quality?.near_limit).toBe(0);
    const mid = applyDelta(snap, {
      type: 'delta',
      seq: 1,
      site: 'Q',
      at: snap.at,
      last_event_at: null,
      feed_stale: false,
      quality_counts: { ...snap.quality!, near_limit: 1 },
    });
    expect(mid.quality).toEqual({ ...snap.quality, near_limit: 1 });
  });
});

describe("an alert card's current figure", () => {
  it('is carried forward on the board clock for conformance, waits and adherence', () => {
    const { eng, bounds } = floorDay(5);
    const t0 = T0 + 10 * H;
    const team = teamsAt(eng, t0).find((x) => x.conformance_clock!.scheduled_now > 0)!;
    const at = iso(t0);
    const snap = {
      teams: [team],
      queues: [
        { queue: 'q1', waiting: 2, longest_wait_s: 30, longest_wait_since: iso(t0 - 30_000) },
      ],
      agents: [
        {
          agent: 'a1',
          adherence: 'out',
          out_of_adherence_s: 200,
          out_of_adherence_since: iso(t0 - 200_000),
        },
      ],
    } as unknown as Parameters<typeof alertNow>[1];
    const alert = (kind: string, f: Partial<AlertView>) => ({ kind, ...f }) as AlertView;
    const t = t0 + 7 * MIN;
    // Up to the team's next shift or excused-time boundary (the server resends it there).
    const tc = Math.min(
      t,
      bounds.find((b) => b > t0)!,
    );
    const fresh = teamsAt(eng, tc).find((x) => x.team === team.team)!;
    expect(fresh.conformance).not.toBe(team.conformance);
    expect(alertNow(alert('conformance', { team: team.team }), snap, tc)).toEqual({
      unit: 'ratio',
      value: fresh.conformance,
    });
    expect(alertNow(alert('overflow', { queue: 'q1' }), snap, t)).toEqual({
      unit: 'waiting',
      waiting: 2,
      longest_s: 30 + 420,
    });
    expect(alertNow(alert('adherence', { agent: 'a1' }), snap, t)).toEqual({
      unit: 'seconds',
      value: 200 + 420,
    });
    // Without the board clock: the figures as sent.
    expect(alertNow(alert('adherence', { agent: 'a1' }), snap)).toEqual({
      unit: 'seconds',
      value: 200,
    });
    expect(at).toBe(team.conformance_clock!.at);
  });
});
