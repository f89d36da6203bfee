// Event timestamps: an ISO-8601 text with an offset (already checked by the contract's
// pattern) or epoch ms, to epoch ms. A date that does not exist on the calendar is refused.
/** Parses an ISO-8601 string with offset (already pattern-checked) to epoch ms. */
export function parseTs(ts: string | number): number {
  if (typeof ts === 'number') return ts;
  // A batch often stamps many events with the same text (a producer's clock tick): parse once.
  if (ts === lastTsText) return lastTsMs;
  // Date.parse wants "+hh:mm"; accept "+hhmm" as ISO-8601 allows it.
  const norm = ts.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  // Date.parse rolls 2026-02-30 over to 2 March: a date that does not exist is refused.
  const ms = realCalendarTime(norm) ? Date.parse(norm) : NaN;
  lastTsText = ts;
  lastTsMs = ms;
  return ms;
}
let lastTsText = '';
let lastTsMs = NaN;

const TS_PARTS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/;

/** Whether the date and time fields of an ISO-8601 text name a real moment (no 30 February, no 25:00). */
function realCalendarTime(text: string): boolean {
  const m = TS_PARTS.exec(text);
  if (!m) return true;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
  // Day 0 of the next month is the last day of this one.
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}
