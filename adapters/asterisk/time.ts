// Field 1 of a queue_log row to epoch ms: epoch seconds (the flat file), or the realtime
// table's local "YYYY-MM-DD HH:MM:SS[.ffffff]" read in the PBX's time zone.
import { DateTime } from 'luxon';

const EPOCH = /^\d{9,11}(\.\d{1,6})?$/;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

/** Epoch ms, or null when the text is neither form (or not a real date and time in `zone`). */
export function parseQueueLogTime(text: string, zone: string): number | null {
  const t = text.trim();
  if (EPOCH.test(t)) return Math.floor(Number(t) * 1000);
  const m = LOCAL.exec(t);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac] = m;
  // Microseconds are cut to milliseconds (the contract's resolution). A wall time in a DST
  // gap moves forward; one in the repeated hour reads as its first occurrence (luxon's rule).
  const dt = DateTime.fromObject(
    {
      year: Number(y),
      month: Number(mo),
      day: Number(d),
      hour: Number(h),
      minute: Number(mi),
      second: Number(s),
      millisecond: frac ? Math.floor(Number(frac.padEnd(6, '0')) / 1000) : 0,
    },
    { zone },
  );
  return dt.isValid ? dt.toMillis() : null;
}
