// Arrival-rate shape: an intraday curve (piecewise linear over the local hour of day) times
// a day-of-week factor. The default has a morning peak at 10-11, a lunch dip at 12-13 and a
// smaller afternoon peak, which is the shape most inbound service lines show.

/** Knots as [hour of day 0..24, relative rate]; linear in between; hour 24 wraps to 0. */
export type ProfileCurve = ReadonlyArray<readonly [number, number]>;

export const DEFAULT_PROFILE: ProfileCurve = [
  [0, 0.02],
  [6, 0.03],
  [7, 0.25],
  [8, 0.6],
  [9, 0.9],
  [10, 1],
  [11, 1],
  [12, 0.65],
  [13, 0.7],
  [14, 0.9],
  [15, 0.9],
  [16, 0.8],
  [17, 0.6],
  [18, 0.4],
  [20, 0.2],
  [22, 0.06],
  [24, 0.02],
];

/** Monday..Sunday: Monday is busiest, weekends light. */
export const DEFAULT_DOW: readonly number[] = [1.15, 1.05, 1, 1, 0.95, 0.6, 0.45];

export const FLAT_PROFILE: ProfileCurve = [
  [0, 1],
  [24, 1],
];

export class ProfileError extends Error {
  readonly code = 'bad_profile';
}

/** Parses "0:0.05,9:0.9,10:1,12:0.6,24:0.05". */
export function parseProfile(text: string): ProfileCurve {
  const knots = text.split(',').map((part) => {
    const [h, v] = part.split(':').map((s) => Number(s.trim()));
    if (
      h === undefined ||
      v === undefined ||
      !Number.isFinite(h) ||
      !Number.isFinite(v) ||
      h < 0 ||
      h > 24 ||
      v < 0
    ) {
      throw new ProfileError(`--profile: "${part}" is not hour:rate (hour 0-24, rate >= 0)`);
    }
    return [h, v] as const;
  });
  knots.sort((a, b) => a[0] - b[0]);
  if (knots.length < 1 || !knots.some((k) => k[1] > 0))
    throw new ProfileError('--profile needs at least one positive rate');
  return knots;
}

export function parseDow(text: string): number[] {
  const v = text.split(',').map((s) => Number(s.trim()));
  if (v.length !== 7 || v.some((x) => !Number.isFinite(x) || x < 0))
    throw new ProfileError('--dow needs 7 non-negative factors, Monday first');
  return v;
}

/** Relative rate at `hour` (0..24) by linear interpolation, wrapping around midnight. */
export function profileAt(curve: ProfileCurve, hour: number): number {
  const first = curve[0];
  const last = curve[curve.length - 1];
  if (!first || !last) return 0;
  if (hour <= first[0]) {
    // Wrap: interpolate between the last knot (minus 24 h) and the first.
    const span = first[0] + 24 - last[0];
    return span > 0 ? last[1] + ((first[1] - last[1]) * (hour + 24 - last[0])) / span : first[1];
  }
  for (let i = 1; i < curve.length; i++) {
    const b = curve[i]!;
    if (hour <= b[0]) {
      const a = curve[i - 1]!;
      return b[0] === a[0] ? b[1] : a[1] + ((b[1] - a[1]) * (hour - a[0])) / (b[0] - a[0]);
    }
  }
  const span = first[0] + 24 - last[0];
  return span > 0 ? last[1] + ((first[1] - last[1]) * (hour - last[0])) / span : last[1];
}

export function profileMax(curve: ProfileCurve): number {
  return Math.max(...curve.map((k) => k[1]));
}
