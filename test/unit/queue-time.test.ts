// Interval and operating-day alignment in the site zone, across DST changes.
import { describe, expect, it } from 'vitest';
import {
  intervalStart,
  nextIntervalStart,
  operatingDay,
} from '../../ingest/src/core/queue/index.js';

const u = (s: string) => Date.parse(s);
const iso = (t: number) => new Date(t).toISOString();

describe('intervalStart (local wall-clock floor in the site zone)', () => {
  const cases: { zone: string; min: number; at: string; start: string; note: string }[] = [
    {
      zone: 'UTC',
      min: 15,
      at: '2026-11-23T09:14:59.999Z',
      start: '2026-11-23T09:00:00.000Z',
      note: 'last ms of an interval',
    },
    {
      zone: 'UTC',
      min: 15,
      at: '2026-11-23T09:15:00.000Z',
      start: '2026-11-23T09:15:00.000Z',
      note: 'first ms of the next',
    },
    // America/New_York 2026-03-08: 02:00 EST -> 03:00 EDT (07:00 UTC).
    {
      zone: 'America/New_York',
      min: 15,
      at: '2026-03-08T06:59:00Z',
      start: '2026-03-08T06:45:00.000Z',
      note: '01:59 EST is in 01:45',
    },
    {
      zone: 'America/New_York',
      min: 15,
      at: '2026-03-08T07:00:00Z',
      start: '2026-03-08T07:00:00.000Z',
      note: '03:00 EDT starts a new interval',
    },
    {
      zone: 'America/New_York',
      min: 60,
      at: '2026-03-08T07:30:00Z',
      start: '2026-03-08T07:00:00.000Z',
      note: '03:30 EDT is in 03:00',
    },
    // 2026-11-01: 02:00 EDT -> 01:00 EST (06:00 UTC): the 01:00 hour happens twice.
    {
      zone: 'America/New_York',
      min: 60,
      at: '2026-11-01T05:30:00Z',
      start: '2026-11-01T05:00:00.000Z',
      note: 'first 01:00 (EDT)',
    },
    {
      zone: 'America/New_York',
      min: 60,
      at: '2026-11-01T06:30:00Z',
      start: '2026-11-01T06:00:00.000Z',
      note: 'second 01:00 (EST)',
    },
    // Europe/London 2026-03-29: 01:00 GMT -> 02:00 BST; 2026-10-25: 02:00 BST -> 01:00 GMT.
    {
      zone: 'Europe/London',
      min: 30,
      at: '2026-03-29T00:59:00Z',
      start: '2026-03-29T00:30:00.000Z',
      note: '00:59 GMT',
    },
    {
      zone: 'Europe/London',
      min: 30,
      at: '2026-03-29T01:10:00Z',
      start: '2026-03-29T01:00:00.000Z',
      note: '02:10 BST',
    },
    {
      zone: 'Europe/London',
      min: 30,
      at: '2026-10-25T00:45:00Z',
      start: '2026-10-25T00:30:00.000Z',
      note: '01:45 BST',
    },
    {
      zone: 'Europe/London',
      min: 30,
      at: '2026-10-25T01:15:00Z',
      start: '2026-10-25T01:00:00.000Z',
      note: '01:15 GMT',
    },
    // Half-hour offset: hours start at :30 UTC.
    {
      zone: 'Asia/Kolkata',
      min: 60,
      at: '2026-11-23T04:10:00Z',
      start: '2026-11-23T03:30:00.000Z',
      note: '09:40 IST is in 09:00',
    },
  ];
  it.each(cases)('$zone $min min at $at -> $start ($note)', ({ zone, min, at, start }) => {
    expect(iso(intervalStart(u(at), zone, min))).toBe(start);
  });

  it('every interval across both 2026 New York DST days lasts exactly 15 min', () => {
    for (const day of ['2026-03-08T00:00:00Z', '2026-11-01T00:00:00Z']) {
      let t = u(day);
      const starts: number[] = [];
      for (let i = 0; i < 120; i++) {
        starts.push(intervalStart(t, 'America/New_York', 15));
        t = nextIntervalStart(t, 'America/New_York', 15);
      }
      for (let i = 1; i < starts.length; i++)
        expect((starts[i] as number) - (starts[i - 1] as number)).toBe(15 * 60_000);
    }
  });
});

describe('operatingDay', () => {
  const cases = [
    { zone: 'UTC', dayStart: '00:00', at: '2026-11-23T23:59:59Z', day: '2026-11-23', hours: 24 },
    {
      zone: 'Asia/Shanghai',
      dayStart: '06:00',
      at: '2026-11-23T21:00:00Z',
      day: '2026-11-23',
      hours: 24,
    }, // 05:00 local on the 24th
    {
      zone: 'Asia/Shanghai',
      dayStart: '06:00',
      at: '2026-11-23T22:00:00Z',
      day: '2026-11-24',
      hours: 24,
    },
    {
      zone: 'America/New_York',
      dayStart: '00:00',
      at: '2026-03-08T12:00:00Z',
      day: '2026-03-08',
      hours: 23,
    },
    {
      zone: 'America/New_York',
      dayStart: '00:00',
      at: '2026-11-01T12:00:00Z',
      day: '2026-11-01',
      hours: 25,
    },
    {
      zone: 'Europe/London',
      dayStart: '00:00',
      at: '2026-03-29T12:00:00Z',
      day: '2026-03-29',
      hours: 23,
    },
  ];
  it.each(cases)(
    '$zone day_start $dayStart at $at is $day ($hours h)',
    ({ zone, dayStart, at, day, hours }) => {
      const d = operatingDay(u(at), zone, dayStart);
      expect(d.day).toBe(day);
      expect(d.end - d.start).toBe(hours * 3_600_000);
      expect(d.start <= u(at) && u(at) < d.end).toBe(true);
    },
  );
});
