// Date-times on the admin pages: "2026-12-07 09:05" in the browser's own zone (who did what
// when is read by the person at the desk), the same in every language.
const two = (n: number): string => String(n).padStart(2, '0');

export function formatStamp(iso: string | number): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** Today in the browser's zone as YYYY-MM-DD, `days` away. */
export function localDay(days = 0, now = Date.now()): string {
  const d = new Date(now + days * 86_400_000);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

/** "YYYY-MM-DD HH:mm" of an instant in a time zone (the form the roster API reads as local). */
export function zoneStamp(ms: number, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(ms);
  const p = (t: string): string => parts.find((x) => x.type === t)?.value ?? '00';
  return `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')}`;
}
