// Site-local time: offsets, local dates and ISO-8601 formatting with the site's offset.
// luxon answers the zone rules; offsets are cached per UTC hour because every DST rule in
// the IANA database changes on whole-hour (or half-hour) UTC instants at most once per hour,
// and formatting millions of events through luxon would dominate a back-fill.
import { DateTime, IANAZone } from 'luxon';

const HOUR = 3_600_000;
const DAY = 86_400_000;

export class SiteClock {
  private readonly zone: IANAZone;
  private cacheHour = NaN;
  private cacheOffset = 0;
  private cacheSuffix = '+00:00';
  /** Offsets of half hours seen before: a roster's rows jump between days, past the one-entry cache. */
  private readonly offsets = new Map<number, number>();
  /** Instants of (date, minutes) asked before: a roster asks for a few shift starts per agent. */
  private readonly atCache = new Map<string, number>();

  constructor(readonly timezone: string) {
    this.zone = IANAZone.create(timezone);
    if (!this.zone.isValid) throw new RangeError(`unknown time zone "${timezone}"`);
  }

  /** Offset from UTC in minutes at instant t. */
  offsetMin(t: number): number {
    // Cache per half hour so half-hour DST rules (Lord Howe) stay exact.
    const bucket = Math.floor(t / (HOUR / 2));
    if (bucket !== this.cacheHour) {
      this.cacheHour = bucket;
      let off = this.offsets.get(bucket);
      if (off === undefined) {
        if (this.offsets.size >= 4096) this.offsets.clear();
        this.offsets.set(bucket, (off = this.zone.offset(t)));
      }
      this.cacheOffset = off;
      const abs = Math.abs(this.cacheOffset);
      const sign = this.cacheOffset < 0 ? '-' : '+';
      this.cacheSuffix = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    }
    return this.cacheOffset;
  }

  /** ISO-8601 with the site offset and milliseconds, e.g. 2026-11-23T09:00:00.000+08:00. */
  iso(t: number): string {
    const ms = Math.round(t);
    const off = this.offsetMin(ms);
    return new Date(ms + off * 60_000).toISOString().slice(0, 23) + this.cacheSuffix;
  }

  /** Local hour of day as a fraction, 0..24. */
  hourOfDay(t: number): number {
    const local = t + this.offsetMin(t) * 60_000;
    return (((local % DAY) + DAY) % DAY) / HOUR;
  }

  /** Local day of week, Monday = 0. */
  weekday(t: number): number {
    const local = t + this.offsetMin(t) * 60_000;
    // 1970-01-01 was a Thursday (index 3 from Monday).
    return (((Math.floor(local / DAY) + 3) % 7) + 7) % 7;
  }

  /** Local date yyyy-MM-dd containing t. */
  date(t: number): string {
    return DateTime.fromMillis(t, { zone: this.zone }).toISODate() ?? '';
  }

  /** Epoch ms of local midnight of `date` (yyyy-MM-dd), DST-safe. */
  midnight(date: string): number {
    return DateTime.fromISO(date, { zone: this.zone }).startOf('day').toMillis();
  }

  /**
   * Epoch ms of the local wall-clock time `minutes` after midnight of `date` (may be negative
   * or past 24 h: other days). Wall clock, so a 07:30 shift starts at 07:30 on DST days too.
   */
  at(date: string, minutes: number): number {
    const key = `${date}|${minutes}`;
    let t = this.atCache.get(key);
    if (t === undefined) {
      if (this.atCache.size >= 4096) this.atCache.clear();
      this.atCache.set(key, (t = this.atUncached(date, minutes)));
    }
    return t;
  }

  private atUncached(date: string, minutes: number): number {
    const days = Math.floor(minutes / 1440);
    const rem = minutes - days * 1440;
    return DateTime.fromISO(date, { zone: this.zone })
      .plus({ days })
      .set({
        hour: Math.floor(rem / 60),
        minute: Math.floor(rem % 60),
        second: 0,
        millisecond: Math.round((rem % 1) * 60_000),
      })
      .toMillis();
  }

  addDays(date: string, days: number): string {
    return DateTime.fromISO(date, { zone: this.zone }).plus({ days }).toISODate() ?? date;
  }

  /** Parses an ISO-8601 date or date-time; a value without offset is read in the site zone. */
  parse(text: string): number {
    const dt = DateTime.fromISO(text, { zone: this.zone, setZone: false });
    if (!dt.isValid) throw new RangeError(`"${text}" is not an ISO-8601 date or date-time`);
    return dt.toMillis();
  }
}
