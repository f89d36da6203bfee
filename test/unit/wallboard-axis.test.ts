// Time-axis tick choice (wallboard/src/lib/axis.ts) and the history page's row helpers
// (wallboard/src/lib/reports.ts): labels never overlap and read as time steps.
import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import {
  dayTicks,
  dropOverlaps,
  intervalTicks,
  type AxisSpace,
} from '../../wallboard/src/lib/axis.js';
import { agentTeams, monthsBetween, narrowRows } from '../../wallboard/src/lib/reports.js';

const ZONE = 'Asia/Shanghai';
/** 7 px per character: a stand-in for canvas measureText. */
const measure = (s: string): number => s.length * 7;
const space = (n: number, step: number): AxisSpace => ({
  centres: Array.from({ length: n }, (_, i) => 40 + step / 2 + i * step),
  measure,
  gap: 9,
  min: 0,
  max: 40 + n * step,
});
const days = (from: string, n: number): string[] =>
  Array.from(
    { length: n },
    (_, i) => DateTime.fromISO(from).plus({ days: i }).toISODate() as string,
  );
const hours = (from: string, nDays: number, first: number, last: number, step: number): string[] =>
  Array.from({ length: nDays }, (_, d) =>
    Array.from(
      { length: ((last - first) * 60) / step + 1 },
      (_, k) =>
        DateTime.fromISO(from, { zone: ZONE })
          .plus({ days: d, minutes: first * 60 + k * step })
          .toUTC()
          .toISO() as string,
    ),
  ).flat();

/** No two kept labels touch, and none sticks out. */
function expectApart(ticks: { i: number; label: string }[], s: AxisSpace): void {
  for (let k = 0; k < ticks.length; k++) {
    const t = ticks[k]!;
    const c = s.centres[t.i]!;
    expect(c - measure(t.label) / 2).toBeGreaterThanOrEqual(s.min);
    expect(c + measure(t.label) / 2).toBeLessThanOrEqual(s.max);
    if (k === 0) continue;
    const p = ticks[k - 1]!;
    expect(c - measure(t.label) / 2).toBeGreaterThanOrEqual(
      s.centres[p.i]! + measure(p.label) / 2 + s.gap,
    );
  }
}

describe('dayTicks', () => {
  it.each([
    { n: 7, step: 90, want: 7 }, // every day
    { n: 31, step: 30, want: 14 }, // every 2nd day (an edge label may not fit)
    { n: 31, step: 12, want: 4 }, // Mondays
    { n: 62, step: 4, want: 0 }, // too narrow even for month starts: none rather than a pile
  ])('$n days at $step px a day', ({ n, step, want }) => {
    const keys = days('2026-11-01', n);
    const copy = [...keys];
    const s = space(n, step);
    const t = dayTicks(keys, ZONE, 'en', s);
    expect(keys).toEqual(copy);
    expectApart(t, s);
    if (want) expect(t.length).toBeGreaterThanOrEqual(want);
  });
});

describe('intervalTicks', () => {
  it('one day of 15-min intervals shows times only, on round steps', () => {
    const keys = hours('2026-12-07', 1, 8, 20, 15);
    const s = space(keys.length, 10);
    const t = intervalTicks(keys, ZONE, 'en', 15, s);
    expectApart(t, s);
    expect(t.length).toBeGreaterThan(3);
    for (const x of t) expect(x.label).toMatch(/^\d\d:(00|30)$/);
  });
  it('a month of hourly intervals shows dates, never a time pile', () => {
    const keys = hours('2026-11-07', 31, 9, 20, 60);
    const s = space(keys.length, 2.5);
    const t = intervalTicks(keys, ZONE, 'zh-CN', 60, s);
    expectApart(t, s);
    expect(t.length).toBeGreaterThan(3);
    for (const x of t) expect(x.label).toMatch(/^\d+月\d+日$/);
  });
  it('dropOverlaps keeps the first of two labels that would touch', () => {
    const s = { ...space(3, 20), max: 200, measure: () => 30 };
    expect(
      dropOverlaps(
        [0, 1, 2].map((i) => ({ i, label: `${i}` })),
        s,
      ).map((t) => t.i),
    ).toEqual([0, 2]);
  });
});

describe('history rows', () => {
  it('agentTeams takes the latest day, narrowRows filters by team and name', () => {
    const rows = [
      { key: 'a1', date: '2026-12-01', team: 'T1' },
      { key: 'a1', date: '2026-12-02', team: 'T2' },
      { key: 'a2', date: '2026-12-02', team: 'T1' },
    ];
    const teamOf = agentTeams(rows);
    expect([...teamOf]).toEqual([
      ['a1', 'T2'],
      ['a2', 'T1'],
    ]);
    const name = (a: string): string => (a === 'a1' ? 'Li Na' : a);
    expect(narrowRows(['a1', 'a2'], { team: 'T1', search: '', teamOf, name })).toEqual(['a2']);
    expect(narrowRows(['a1', 'a2'], { team: '', search: 'li n', teamOf, name })).toEqual(['a1']);
  });
  it('monthsBetween spans a year end', () => {
    expect(monthsBetween('2026-11-20', '2027-01-05')).toEqual(['2026-11', '2026-12', '2027-01']);
    expect(monthsBetween('2026-11-20', '2027-01-05', 2)).toEqual(['2026-11', '2026-12']);
  });
});
