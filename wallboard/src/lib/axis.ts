// Which labels a category time axis shows: a step that reads as time (every hour, every day,
// every Monday …), the finest whose measured labels fit side by side, in a format that fits
// the range (times within one day, dates across days). Pure: the caller measures text.
import { DateTime } from 'luxon';
import { INTL, type Locale } from './format.js';

export interface AxisTick {
  /** Index of the category the label sits under. */
  i: number;
  label: string;
}

export interface AxisSpace {
  /** Centre x of each category, in px. */
  centres: readonly number[];
  /** Rendered width of a label, in px (canvas measureText with the tick's font). */
  measure: (label: string) => number;
  /** Clear space kept between two labels, in px. */
  gap: number;
  /** The drawable x range: a label that would stick out of it is dropped, never clipped. */
  min: number;
  max: number;
}

/**
 * Keeps candidates left to right, dropping any whose box would touch the last kept one or
 * stick out of [min, max]: the guarantee that no two labels overlap, whatever the widths.
 */
export function dropOverlaps(cands: readonly AxisTick[], space: AxisSpace): AxisTick[] {
  const out: AxisTick[] = [];
  let right = -Infinity;
  for (const t of cands) {
    const c = space.centres[t.i];
    if (c === undefined) continue;
    const half = space.measure(t.label) / 2;
    if (c - half < space.min || c + half > space.max) continue;
    if (c - half < right + space.gap) continue;
    out.push(t);
    right = c + half;
  }
  return out;
}

/** The first level whose every candidate fits (none dropped), else the coarsest, thinned. */
function pick(levels: readonly AxisTick[][], space: AxisSpace): AxisTick[] {
  for (const level of levels) {
    if (level.length === 0) continue;
    const kept = dropOverlaps(level, space);
    // Edge labels may be dropped for sticking out; a level fits when no inner one had to go.
    const inner = level.filter((t) => {
      const c = space.centres[t.i] ?? 0;
      const half = space.measure(t.label) / 2;
      return c - half >= space.min && c + half <= space.max;
    });
    if (kept.length === inner.length && kept.length > 0) return kept;
  }
  const last = levels.filter((l) => l.length > 0).at(-1) ?? [];
  return dropOverlaps(last, space);
}

const dayLabel = (d: DateTime, locale: Locale): string =>
  d.setLocale(INTL[locale]).toLocaleString({ month: 'short', day: 'numeric' });

/** Whole days since 1970-01-01 of a local date: steps of n days stay put as the range moves. */
const ordinal = (d: DateTime): number =>
  Math.round(DateTime.utc(d.year, d.month, d.day).toMillis() / 86_400_000);

/** Day-level candidates over local days: every day, every 2nd, Mondays, every other Monday, 1st of month. */
function dayLevels(days: readonly DateTime[], label: (i: number) => string): AxisTick[][] {
  const firsts: number[] = [];
  days.forEach((d, i) => {
    if (i === 0 || !d.hasSame(days[i - 1] as DateTime, 'day')) firsts.push(i);
  });
  const at = (keep: (d: DateTime) => boolean): AxisTick[] =>
    firsts.filter((i) => keep(days[i] as DateTime)).map((i) => ({ i, label: label(i) }));
  return [
    at(() => true),
    at((d) => ordinal(d) % 2 === 0),
    at((d) => d.weekday === 1),
    at((d) => d.weekday === 1 && d.weekNumber % 2 === 0),
    at((d) => d.day === 1),
  ];
}

/** Ticks for one column per day (yyyy-MM-dd keys): attendance bars, heat-map columns. */
export function dayTicks(
  keys: readonly string[],
  zone: string,
  locale: Locale,
  space: AxisSpace,
): AxisTick[] {
  const days = keys.map((k) => DateTime.fromISO(k, { zone }));
  return pick(
    dayLevels(days, (i) => dayLabel(days[i] as DateTime, locale)),
    space,
  );
}

/** Minute steps tried within a day, finest first (each a multiple of the interval). */
const MINUTE_STEPS = [15, 30, 60, 120, 180, 360, 720];

/**
 * Ticks for one column per interval (ISO instants): times on a one-day range; across days,
 * the first tick of each day also names the day, and coarser levels show dates only.
 */
export function intervalTicks(
  keys: readonly string[],
  zone: string,
  locale: Locale,
  intervalMin: number,
  space: AxisSpace,
): AxisTick[] {
  const ts = keys.map((k) => DateTime.fromISO(k, { zone }));
  const first = ts[0];
  const multiDay = first !== undefined && ts.some((t) => !t.hasSame(first, 'day'));
  const time = (t: DateTime): string => t.toFormat('HH:mm');
  const levels: AxisTick[][] = [];
  for (const step of MINUTE_STEPS) {
    if (step < intervalMin || step % intervalMin !== 0) continue;
    const level: AxisTick[] = [];
    ts.forEach((t, i) => {
      const newDay = i === 0 || !t.hasSame(ts[i - 1] as DateTime, 'day');
      if (newDay && multiDay) level.push({ i, label: `${dayLabel(t, locale)} ${time(t)}` });
      else if ((t.hour * 60 + t.minute) % step === 0) level.push({ i, label: time(t) });
    });
    levels.push(level);
  }
  if (multiDay) levels.push(...dayLevels(ts, (i) => dayLabel(ts[i] as DateTime, locale)));
  return pick(levels, space);
}
