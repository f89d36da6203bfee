// The cached zone offsets and the arithmetic ISO form equal luxon's own answers minute by
// minute across DST changes (whole-hour, half-hour Lord Howe, fall-back repeats), odd
// offsets, fixed UTC, and an operating day cached across its boundaries.
import { DateTime, IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { intervalStart, isoZ, offsetMs, operatingDay } from '../../ingest/src/core/queue/index.js';

const u = (s: string) => Date.parse(s);
const luxonIso = (t: number, zone: string) =>
  DateTime.fromMillis(t, { zone }).toISO({ suppressMilliseconds: false });

const spans: { zone: string; from: string }[] = [
  { zone: 'America/New_York', from: '2026-03-08T05:00:00Z' },
  { zone: 'America/New_York', from: '2026-11-01T04:00:00Z' },
  { zone: 'Europe/London', from: '2026-03-29T00:00:00Z' },
  { zone: 'Europe/London', from: '2026-10-25T00:00:00Z' },
  { zone: 'Australia/Lord_Howe', from: '2026-04-04T14:00:00Z' },
  { zone: 'Australia/Lord_Howe', from: '2026-10-03T14:30:00Z' },
  { zone: 'Asia/Kathmandu', from: '2026-11-23T00:00:00Z' },
  { zone: 'UTC', from: '2026-11-23T00:00:00Z' },
  { zone: 'Etc/UTC', from: '2026-11-23T00:00:00Z' },
];

describe('cached zone offsets', () => {
  it.each(spans)(
    '$zone from $from: offset, interval start and ISO text equal luxon each minute for 5 h',
    ({ zone, from }) => {
      const z = IANAZone.create(zone);
      const t0 = u(from);
      let checked = 0;
      // Two passes: the first fills the caches, the second reads them.
      for (let pass = 0; pass < 2; pass++)
        for (let t = t0; t < t0 + 5 * 3_600_000; t += 60_000 + 7) {
          expect(offsetMs(t, zone)).toBe(z.offset(t) * 60_000);
          expect(isoZ(t, zone)).toBe(luxonIso(t, zone));
          const step = 15 * 60_000;
          const local = t + z.offset(t) * 60_000;
          expect(intervalStart(t, zone, 15)).toBe(t - (((local % step) + step) % step));
          checked++;
        }
      expect(checked).toBe(2 * 300);
    },
  );

  it('the last millisecond before a change and the first after it get their own offsets', () => {
    const change = u('2026-03-08T07:00:00Z');
    expect(offsetMs(change - 1, 'America/New_York')).toBe(-5 * 3_600_000);
    expect(offsetMs(change, 'America/New_York')).toBe(-4 * 3_600_000);
    expect(isoZ(change - 1, 'America/New_York')).toBe('2026-03-08T01:59:59.999-05:00');
    expect(isoZ(change, 'America/New_York')).toBe('2026-03-08T03:00:00.000-04:00');
    expect(isoZ(change, 'UTC')).toBe('2026-03-08T07:00:00.000Z');
  });

  it('a cached operating day is returned only inside it, and a changed day start is recomputed', () => {
    const zone = 'America/New_York';
    const a = operatingDay(u('2026-11-23T12:00:00Z'), zone, '00:00');
    expect(a).toEqual({
      day: '2026-11-23',
      start: u('2026-11-23T05:00:00Z'),
      end: u('2026-11-24T05:00:00Z'),
    });
    expect(operatingDay(a.end - 1, zone, '00:00').day).toBe('2026-11-23');
    expect(operatingDay(a.end, zone, '00:00').day).toBe('2026-11-24');
    expect(operatingDay(a.start - 1, zone, '00:00').day).toBe('2026-11-22');
    expect(operatingDay(u('2026-11-23T16:00:00Z'), zone, '09:00')).toEqual({
      day: '2026-11-23',
      start: u('2026-11-23T14:00:00Z'),
      end: u('2026-11-24T14:00:00Z'),
    });
    // A caller changing the returned object does not change the cache.
    const b = operatingDay(u('2026-11-23T20:00:00Z'), zone, '09:00');
    b.start = 0;
    expect(operatingDay(u('2026-11-23T20:00:00Z'), zone, '09:00').start).toBe(
      u('2026-11-23T14:00:00Z'),
    );
  });
});
