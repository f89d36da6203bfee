// Response times in the site's zone: the arithmetic path of isoInZone writes exactly what
// luxon writes, across DST changes, half-hour and 45-minute zones, zero offsets and unknown zones.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { isoInZone } from '../../ingest/src/adapters/http/range.js';

const luxon = (ms: number, zone: string) =>
  DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: false }) ??
  new Date(ms).toISOString();

describe('isoInZone', () => {
  const zones = [
    'Asia/Shanghai',
    'America/New_York',
    'Europe/London',
    'Asia/Kolkata',
    'America/St_Johns',
    'Australia/Lord_Howe',
    'Asia/Kathmandu',
    'UTC',
    'Etc/GMT-14',
    'Not/AZone',
  ];
  it.each(zones)('equals luxon every 15 min 1.5 s over a year in %s', (zone) => {
    const start = Date.UTC(2026, 0, 1);
    const want: string[] = [];
    const got: string[] = [];
    for (let ms = start; ms < start + 366 * 86_400_000; ms += 901_500) {
      want.push(luxon(ms, zone));
      got.push(isoInZone(ms, zone));
    }
    expect(got).toEqual(want);
  });
});
