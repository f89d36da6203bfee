// Interval and operating-day alignment in the site's IANA zone. The SQL of
// queries/reports/intervals.sql uses the same formula, so live and history put every
// event in the same interval, across DST changes too.
import { DateTime, IANAZone } from 'luxon';

const zones = new Map<string, IANAZone>();
function zoneOf(name: string): IANAZone {
  let z = zones.get(name);
  if (!z) {
    z = IANAZone.create(name);
    zones.set(name, z);
  }
  return z;
}

/** The zone's UTC offset at `t`, in milliseconds. */
export function offsetMs(t: number, zone: string): number {
  return zoneOf(zone).offset(t) * 60_000;
}

/**
 * Start (epoch ms) of the interval containing `t`: local wall-clock time floored to
 * `minutes`, using the offset in force at `t`. Formula (also in SQL):
 *   start = t - ((t + offset(t)) mod step)
 * So on 2026-03-08 in America/New_York the 01:45 EST interval is followed by 03:00 EDT
 * (07:00 UTC), and on 2026-11-01 the two 01:00 local hours are two separate intervals.
 */
export function intervalStart(t: number, zone: string, minutes: number): number {
  const step = minutes * 60_000;
  const local = t + offsetMs(t, zone);
  return t - (((local % step) + step) % step);
}

/** Start of the interval after the one containing `t` (first start strictly greater). */
export function nextIntervalStart(t: number, zone: string, minutes: number): number {
  const cand = intervalStart(t, zone, minutes) + minutes * 60_000;
  const aligned = intervalStart(cand, zone, minutes);
  return aligned > t ? aligned : cand;
}

export interface OperatingDay {
  /** Local date of the day's start, yyyy-MM-dd. */
  day: string;
  start: number;
  end: number;
}

/** The operating day containing `t`: it starts at `dayStart` (HH:mm) local time. */
export function operatingDay(t: number, zone: string, dayStart: string): OperatingDay {
  const [h, m] = dayStart.split(':').map(Number) as [number, number];
  const local = DateTime.fromMillis(t, { zone });
  let start = local.set({ hour: h, minute: m, second: 0, millisecond: 0 });
  if (start.toMillis() > t) start = start.minus({ days: 1 }).set({ hour: h, minute: m });
  const end = start.plus({ days: 1 }).set({ hour: h, minute: m });
  return { day: start.toISODate() ?? '', start: start.toMillis(), end: end.toMillis() };
}

/** ISO-8601 with the zone's offset (milliseconds kept), as every API time is. */
export function isoZ(t: number, zone: string): string {
  return DateTime.fromMillis(t, { zone }).toISO({ suppressMilliseconds: false }) ?? new Date(t).toISOString();
}
