// Site-time helpers for rosters: the operating day an instant belongs to, where a day
// starts, and reading roster times written either as ISO-8601 with an offset or as local
// wall-clock times in the site zone (what workforce tools export). DST-safe via luxon.
import { DateTime } from 'luxon';

/** Minutes after local midnight at which the operating day starts ("HH:mm", default 00:00). */
function dayStartMinutes(dayStart: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(dayStart);
  return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
}

/** The operating day (yyyy-MM-dd, site zone) containing instant `ms`. */
export function operatingDay(ms: number, zone: string, dayStart = '00:00'): string {
  const dt = DateTime.fromMillis(ms, { zone });
  // Wall-clock comparison, not absolute arithmetic: a 23- or 25-hour DST day still starts at day_start.
  const before = dt.hour * 60 + dt.minute < dayStartMinutes(dayStart);
  return (before ? dt.minus({ days: 1 }) : dt).toISODate() as string;
}

/** Epoch ms at which operating day `day` (yyyy-MM-dd) starts in the site zone. */
export function dayStartMs(day: string, zone: string, dayStart = '00:00'): number {
  return DateTime.fromISO(`${day}T${dayStart}`, { zone }).toMillis();
}

/** The day after `day` (calendar arithmetic). */
export function nextDay(day: string): string {
  return DateTime.fromISO(day, { zone: 'UTC' }).plus({ days: 1 }).toISODate() as string;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;
const OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

export type TimeParse = { ok: true; ms: number } | { ok: false; error: string };

/**
 * Reads a roster time: ISO-8601 with an offset ("2026-11-23T09:00:00+08:00"), or a local
 * time "YYYY-MM-DD HH:mm" / "YYYY-MM-DDTHH:mm[:ss]" in `zone`. A local time that does not
 * exist (skipped by a DST change) is an error rather than silently shifted by an hour.
 */
export function parseRosterTime(value: unknown, zone: string): TimeParse {
  if (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value > 946684800000 &&
    value < 4102444800000
  )
    return { ok: true, ms: value };
  if (typeof value !== 'string') return { ok: false, error: 'must be a date-time string' };
  const v = value.trim();
  if (OFFSET.test(v)) {
    const dt = DateTime.fromISO(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'), { setZone: true });
    if (!dt.isValid) return { ok: false, error: `"${v.slice(0, 40)}" is not a valid date-time` };
    return { ok: true, ms: dt.toMillis() };
  }
  const m = LOCAL.exec(v);
  if (!m)
    return {
      ok: false,
      error: `"${v.slice(0, 40)}" must be ISO-8601 with an offset or a local time "YYYY-MM-DD HH:mm"`,
    };
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const dt = DateTime.fromObject(
    { year: y, month: mo, day: d, hour: h, minute: mi, second: s },
    { zone },
  );
  if (!dt.isValid) return { ok: false, error: `"${v.slice(0, 40)}" is not a valid date-time` };
  if (dt.hour !== h || dt.minute !== mi || dt.day !== d)
    return {
      ok: false,
      error: `local time "${v}" does not exist in ${zone} (skipped by a daylight-saving change)`,
    };
  return { ok: true, ms: dt.toMillis() };
}
