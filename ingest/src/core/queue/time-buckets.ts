// Interval and operating-day alignment in the site's IANA zone. The SQL of
// queries/reports/intervals.sql uses the same formula, so live and history put every
// event in the same interval, across DST changes too.
import { DateTime, IANAZone } from 'luxon';

/**
 * Per zone: the luxon zone, its offset per UTC hour, and the ISO suffix per offset. luxon's
 * offset look-up formats Intl parts on every call and the queue engine asks per event; an hour's
 * offset is cached only when both ends of the hour agree, so an hour holding a DST change
 * (tzdb never has two changes within an hour) is always computed exactly.
 */
interface ZoneCache {
  z: IANAZone;
  hours: Map<number, number>;
  suffix: Map<number, string>;
  /** False once the arithmetic ISO form disagreed with luxon's (then luxon formats). */
  fastIso: boolean;
  lastDay: OperatingDay | null;
  lastDayStart: string;
}
const HOUR_MS = 3_600_000;
/** ~5.7 years of hours per zone before the cache starts over (a few hundred KB at most). */
const MAX_HOURS = 50_000;
const zones = new Map<string, ZoneCache>();
function cacheOf(name: string): ZoneCache {
  let c = zones.get(name);
  if (!c) {
    c = {
      z: IANAZone.create(name),
      hours: new Map(),
      suffix: new Map(),
      fastIso: true,
      lastDay: null,
      lastDayStart: '',
    };
    zones.set(name, c);
  }
  return c;
}

/** The zone's UTC offset at `t`, in milliseconds. */
export function offsetMs(t: number, zone: string): number {
  const c = cacheOf(zone);
  const h = Math.floor(t / HOUR_MS);
  const o = c.hours.get(h);
  if (o !== undefined) return o;
  const a = c.z.offset(h * HOUR_MS);
  if (a !== c.z.offset(h * HOUR_MS + HOUR_MS - 1)) return c.z.offset(t) * 60_000;
  if (c.hours.size >= MAX_HOURS) c.hours.clear();
  c.hours.set(h, a * 60_000);
  return a * 60_000;
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
  // The board asks this several times per delta; the day only changes once a day.
  const c = cacheOf(zone);
  const last = c.lastDay;
  if (last && c.lastDayStart === dayStart && t >= last.start && t < last.end) return { ...last };
  const d = computeOperatingDay(t, zone, dayStart);
  c.lastDay = d;
  c.lastDayStart = dayStart;
  return { ...d };
}

function computeOperatingDay(t: number, zone: string, dayStart: string): OperatingDay {
  const [h, m] = dayStart.split(':').map(Number) as [number, number];
  const local = DateTime.fromMillis(t, { zone });
  let start = local.set({ hour: h, minute: m, second: 0, millisecond: 0 });
  if (start.toMillis() > t) start = start.minus({ days: 1 }).set({ hour: h, minute: m });
  const end = start.plus({ days: 1 }).set({ hour: h, minute: m });
  return { day: start.toISODate() ?? '', start: start.toMillis(), end: end.toMillis() };
}

function luxonIso(t: number, zone: string): string {
  return (
    DateTime.fromMillis(t, { zone }).toISO({ suppressMilliseconds: false }) ??
    new Date(t).toISOString()
  );
}

/**
 * ISO-8601 with the zone's offset (milliseconds kept), as every API time is. Built from the
 * cached offset: the local wall-clock text plus luxon's own suffix for that offset ("Z",
 * "-05:00"), checked against luxon once per offset (a 20k-agent snapshot formats 20k times).
 */
export function isoZ(t: number, zone: string): string {
  const c = cacheOf(zone);
  const off = offsetMs(t, zone);
  const local = t + off;
  // toISOString has a six-digit year outside 0000-9999; luxon does not: leave those to luxon.
  if (!c.fastIso || !Number.isFinite(off) || local < -62167219200000 || local >= 253402300800000)
    return luxonIso(t, zone);
  const text = new Date(local).toISOString().slice(0, 23);
  const suf = c.suffix.get(off);
  if (suf !== undefined) return text + suf;
  const exact = luxonIso(t, zone);
  if (exact.slice(0, 23) !== text) {
    c.fastIso = false;
    return exact;
  }
  c.suffix.set(off, exact.slice(23));
  return exact;
}
