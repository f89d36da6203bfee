// The simulator's building blocks, table-driven: the seeded generator, the calendar's
// ordering, the intraday profile, site-clock formatting across DST, roster segments, and
// longest-idle routing observed from the event stream.
import { describe, expect, it } from 'vitest';
import { Calendar } from '../../simulator/generator/calendar.js';
import { Engine } from '../../simulator/generator/engine.js';
import { SiteClock } from '../../simulator/generator/site-clock.js';
import { Rng } from '../../simulator/distributions/rng.js';
import { exponential, lognormal } from '../../simulator/distributions/sample.js';
import { DEFAULT_PROFILE, parseProfile, profileAt } from '../../simulator/distributions/profile.js';
import { shiftSegments } from '../../simulator/roster/plan.js';
import { mmnScenario } from '../../simulator/scenarios/mmn.js';
import { buildTeams, DEFAULT_QUEUES } from '../../simulator/scenarios/site.js';

describe('Rng', () => {
  it('repeats for a seed and differs across seeds', () => {
    const a = new Rng('x'),
      b = new Rng('x'),
      c = new Rng('y');
    const sa = Array.from({ length: 5 }, () => a.nextU32());
    expect(Array.from({ length: 5 }, () => b.nextU32())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.nextU32())).not.toEqual(sa);
  });
  it.each([
    ['exponential mean 120', (r: Rng) => exponential(r, 120), 120],
    ['lognormal mean 300 cv 0.6', (r: Rng) => lognormal(r, 300, 0.6), 300],
  ])('%s has the right mean (200k draws, within 4 standard errors)', (_, draw, mean) => {
    const r = new Rng('moments');
    const n = 200_000;
    let s = 0;
    for (let i = 0; i < n; i++) s += draw(r);
    // SE of the mean: sd/sqrt(n); sd = mean for the exponential, 0.6 mean for the lognormal.
    expect(Math.abs(s / n - mean)).toBeLessThan((4 * mean) / Math.sqrt(n));
  });
});

describe('Calendar', () => {
  it('pops by time, ties in insertion order', () => {
    const cal = new Calendar<string>();
    const input: [number, string][] = [
      [5, 'a'],
      [1, 'b'],
      [5, 'c'],
      [3, 'd'],
      [1, 'e'],
      [9, 'f'],
      [0, 'g'],
    ];
    for (const [t, k] of input) cal.push(t, k, 0);
    const out: string[] = [];
    for (let s = cal.pop(); s; s = cal.pop()) out.push(s.kind);
    expect(out).toEqual(['g', 'b', 'e', 'd', 'a', 'c', 'f']);
  });
  it('stays ordered over many random pushes and pops', () => {
    const cal = new Calendar<number>();
    const r = new Rng('heap');
    let last = -Infinity;
    for (let i = 0; i < 20_000; i++) {
      cal.push(last + r.uniform(0, 100), 0, i);
      if (i % 3 === 0) {
        const s = cal.pop()!;
        expect(s.t).toBeGreaterThanOrEqual(last);
        last = s.t;
      }
    }
  });
});

describe('profile', () => {
  it.each([
    [10.5, 1],
    [12, 0.65],
    [12.5, 0.675],
    [24, 0.02],
    [0, 0.02],
  ])('default curve at %s h is %s', (h, v) =>
    expect(profileAt(DEFAULT_PROFILE, h)).toBeCloseTo(v, 6),
  );
  it('wraps around midnight for a curve without knots at 0 and 24', () => {
    const c = parseProfile('6:0,18:1');
    expect(profileAt(c, 0)).toBeCloseTo(0.5, 6);
    expect(profileAt(c, 12)).toBeCloseTo(0.5, 6);
  });
  it('rejects a curve without a positive rate', () =>
    expect(() => parseProfile('0:0,24:0')).toThrow(/positive/));
});

describe('SiteClock', () => {
  it.each([
    ['Asia/Shanghai', Date.UTC(2026, 10, 23, 1, 0, 0), '2026-11-23T09:00:00.000+08:00'],
    ['America/New_York', Date.UTC(2026, 2, 8, 6, 59, 59, 999), '2026-03-08T01:59:59.999-05:00'],
    ['America/New_York', Date.UTC(2026, 2, 8, 7, 0, 0), '2026-03-08T03:00:00.000-04:00'],
    ['Asia/Kolkata', Date.UTC(2026, 0, 1, 0, 0, 0), '2026-01-01T05:30:00.000+05:30'],
  ])('%s formats %s as %s', (zone, t, iso) => {
    const c = new SiteClock(zone);
    expect(c.iso(t)).toBe(iso);
    expect(Date.parse(iso)).toBe(t);
  });
});

describe('shiftSegments', () => {
  it('covers a 9-hour shift exactly with two breaks, lunch and optional training', () => {
    const start = Date.UTC(2026, 10, 23, 0, 0);
    for (const training of [false, true]) {
      const segs = shiftSegments(start, 9, 4, training);
      expect(segs[0]!.start).toBe(start);
      expect(segs.at(-1)!.end).toBe(start + 9 * 3_600_000);
      for (let i = 1; i < segs.length; i++) expect(segs[i]!.start).toBe(segs[i - 1]!.end);
      const kinds = segs.map((s) => s.activity).filter((a) => a !== 'work');
      expect(kinds).toEqual(
        training ? ['break', 'lunch', 'training', 'break'] : ['break', 'lunch', 'break'],
      );
    }
  });
});

describe('buildTeams', () => {
  it('splits agents into teams following the queue mix, every third team blended', () => {
    const teams = buildTeams(300, 15, DEFAULT_QUEUES);
    expect(teams.reduce((s, t) => s + t.agents, 0)).toBe(300);
    expect(teams).toHaveLength(20);
    const primaries = teams.map((t) => t.skills[0]);
    expect(primaries.filter((q) => q === 'billing').length).toBe(4);
    expect(teams.filter((t) => t.skills.length === 3).length).toBe(6);
  });
});

describe('routing', () => {
  it('gives every call to the longest-idle ready agent', () => {
    // Ring time 0: the answering agent is chosen at that instant from those ready.
    const readySince = new Map<string, number>();
    let checked = 0;
    const engine = new Engine(
      mmnScenario({
        agents: 12,
        callsPerHour: 150,
        ahtS: 240,
        patienceS: 60,
        hours: 48,
        seed: 'lia',
        from: Date.UTC(2026, 0, 5),
        tsFormat: 'epoch',
      }),
      (ev) => {
        const ts = ev.ts as number;
        if (ev.type === 'agent.state') {
          if (ev.state === 'ready') readySince.set(ev.agent, ts);
          else readySince.delete(ev.agent);
        } else if (ev.type === 'call.answered') {
          const since = readySince.get(ev.agent);
          expect(since, `${ev.agent} answered while not ready`).toBeDefined();
          for (const [other, t] of readySince)
            if (other !== ev.agent) expect(t).toBeGreaterThanOrEqual(since!);
          checked++;
        }
      },
    );
    engine.runUntil(Infinity);
    expect(checked).toBeGreaterThan(5000);
    expect(engine.liveCounts().waiting).toBeGreaterThanOrEqual(0);
  });
});

describe('SiteClock.at', () => {
  it.each([
    // 2026-03-08 is the US spring-forward day: 07:30 local is still 07:30 (EDT, -04:00).
    ['America/New_York', '2026-03-08', 450, '2026-03-08T07:30:00.000-04:00'],
    ['America/New_York', '2026-11-01', 450, '2026-11-01T07:30:00.000-05:00'],
    ['Asia/Shanghai', '2026-11-23', -60, '2026-11-22T23:00:00.000+08:00'],
    ['Asia/Shanghai', '2026-11-23', 1500, '2026-11-24T01:00:00.000+08:00'],
  ])('%s %s + %s min is %s', (zone, date, min, iso) => {
    const c = new SiteClock(zone);
    expect(c.iso(c.at(date, min))).toBe(iso);
  });
});
