// Locale-aware formatting of board figures: counts, ratios (0..1 or null), durations in
// seconds, and clock times in the site's zone. null means "no denominator" and shows a dash,
// never 0%, so an empty interval is not mistaken for a failing one.
import { DateTime } from 'luxon';

export type Locale = 'en' | 'zh-CN';
export const LOCALES: readonly Locale[] = ['en', 'zh-CN'];

/** Intl locale tags: en-GB for a 24-hour clock on a floor that runs shifts round the clock. */
export const INTL: Record<Locale, string> = { en: 'en-GB', 'zh-CN': 'zh-CN' };

const cache = new Map<string, Intl.NumberFormat>();
function nf(locale: Locale, opts: Intl.NumberFormatOptions): Intl.NumberFormat {
  const k = locale + JSON.stringify(opts);
  let f = cache.get(k);
  if (!f) {
    f = new Intl.NumberFormat(INTL[locale], opts);
    cache.set(k, f);
  }
  return f;
}

export const DASH = '—';

export function formatCount(v: number | null | undefined, locale: Locale): string {
  return v === null || v === undefined || !Number.isFinite(v)
    ? DASH
    : nf(locale, { maximumFractionDigits: 0 }).format(v);
}

/** A 0..1 ratio as a percent with at most `digits` decimals (80% vs 79.6% matters at target). */
export function formatPercent(v: number | null | undefined, locale: Locale, digits = 1): string {
  return v === null || v === undefined || !Number.isFinite(v)
    ? DASH
    : nf(locale, {
        style: 'percent',
        maximumFractionDigits: digits,
        minimumFractionDigits: 0,
      }).format(v);
}

/** Seconds as m:ss, or h:mm:ss from one hour; negative inputs (clock skew) clamp to 0. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return DASH;
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Always h:mm:ss (0:45:00), for figures labelled "h:mm:ss" side by side with hours. */
export function formatHms(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return DASH;
  const s = Math.max(0, Math.floor(seconds));
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  return `${Math.floor(s / 3600)}:${mm}:${String(s % 60).padStart(2, '0')}`;
}

function toDateTime(t: string | number): DateTime {
  return typeof t === 'number' ? DateTime.fromMillis(t) : DateTime.fromISO(t, { setZone: true });
}

/** hh:mm:ss in the site's zone. */
export function formatClock(t: string | number | null, zone: string): string {
  if (t === null) return DASH;
  const d = toDateTime(t).setZone(zone);
  return d.isValid ? d.toFormat('HH:mm:ss') : DASH;
}

/** hh:mm in the site's zone (interval starts, chart axes). */
export function formatHourMinute(t: string | number, zone: string): string {
  const d = toDateTime(t).setZone(zone);
  return d.isValid ? d.toFormat('HH:mm') : DASH;
}

/** A date (yyyy-MM-dd or ISO) for the locale: "23 Nov" / "11月23日". */
export function formatDay(t: string, locale: Locale, zone: string): string {
  const d = DateTime.fromISO(t, { zone });
  return d.isValid
    ? d.setLocale(INTL[locale]).toLocaleString({ month: 'short', day: 'numeric' })
    : t;
}

/**
 * A queue's longest current wait at `now`, ticked on the board from when that call was
 * offered (deltas do not resend a queue only because a second passed). A message without the
 * instant (an older server) keeps its own seconds.
 */
export function longestWaitSeconds(
  q: { longest_wait_s: number; longest_wait_since?: string | null },
  now: number,
): number {
  if (q.longest_wait_since === undefined) return q.longest_wait_s;
  return q.longest_wait_since === null ? 0 : secondsSince(q.longest_wait_since, now);
}

/** Whole seconds between `since` and `now`, for time-in-state ticking on the client. */
export function secondsSince(since: string, now: number): number {
  const t = Date.parse(since);
  return Number.isFinite(t) ? Math.max(0, Math.floor((now - t) / 1000)) : 0;
}
