// Reads the `from`/`to` query parameters of every report: ISO-8601 dates or date-times;
// a date without a time is midnight in the site's zone; `to` is exclusive.
import { DateTime, IANAZone } from 'luxon';
import { HttpError, requireParam } from './router.js';

export interface Range {
  from: number;
  to: number;
}

/** Longest range one report request may cover (a year): bounds the work a request can ask for. */
export const MAX_RANGE_MS = 366 * 86_400_000;

export function parseInstant(value: string, zone: string, name: string): number {
  const dt = /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? DateTime.fromISO(value, { zone })
    : DateTime.fromISO(value, { zone, setZone: true });
  if (!dt.isValid)
    throw new HttpError(
      400,
      `query parameter "${name}" must be an ISO-8601 date or date-time, got "${value.slice(0, 40)}"`,
    );
  return dt.toMillis();
}

export function parseRange(q: URLSearchParams, zone: string): Range {
  const from = parseInstant(requireParam(q, 'from'), zone, 'from');
  const to = parseInstant(requireParam(q, 'to'), zone, 'to');
  if (to <= from) throw new HttpError(400, '"to" must be after "from" (to is exclusive)');
  if (to - from > MAX_RANGE_MS)
    throw new HttpError(400, 'the range from "from" to "to" may be at most 366 days');
  return { from, to };
}

/** ISO-8601 with the site's offset, as every response time is. */
export function isoInZone(ms: number, zone: string): string {
  // A whole DateTime per call is dear (~15 µs): a 90-day interval report formats 8,640
  // starts. With the zone's offset the text is plain arithmetic; a zero offset goes to luxon,
  // which writes it "Z" or "+00:00" depending on the zone.
  const z = IANAZone.create(zone);
  const off = z.isValid ? z.offset(ms) : NaN;
  if (Number.isFinite(off) && off !== 0) {
    const a = Math.abs(off);
    const local = new Date(ms + off * 60_000).toISOString();
    if (local.length === 24)
      return `${local.slice(0, 23)}${off < 0 ? '-' : '+'}${pad2(Math.floor(a / 60))}:${pad2(a % 60)}`;
  }
  return (
    DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: false }) ??
    new Date(ms).toISOString()
  );
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
