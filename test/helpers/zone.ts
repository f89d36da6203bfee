// Tests whose story needs "today" in the site's zone to hold data (calls since the morning, a
// roster that has started) would otherwise pass or fail with the wall-clock hour CI happens to
// run at. They pick the site's zone at run time instead: a fixed-offset zone in which it is
// now the given local hour, so the local day has the same shape whenever the test runs.

const H = 3_600_000;

export interface FixedZone {
  /** IANA name: 'UTC' or Etc/GMT±N (POSIX sign, inverted: Etc/GMT-8 is UTC+8). No DST. */
  zone: string;
  /** Offset from UTC in hours, east positive. */
  offsetH: number;
  /** Local date yyyy-MM-dd of instant ms. */
  dayOf(ms: number): string;
  /** Local weekday of instant ms, 0 Sunday .. 6 Saturday. */
  weekday(ms: number): number;
}

/** A fixed-offset zone in which the local hour at `now` is `hour` (0..23). */
export function zoneAtHour(now: number, hour: number): FixedZone {
  let off = hour - new Date(now).getUTCHours();
  // Etc/GMT zones run from UTC-12 to UTC+14.
  if (off > 14) off -= 24;
  if (off < -12) off += 24;
  const zone = off === 0 ? 'UTC' : `Etc/GMT${off > 0 ? '-' : '+'}${Math.abs(off)}`;
  return {
    zone,
    offsetH: off,
    dayOf: (ms) => new Date(ms + off * H).toISOString().slice(0, 10),
    weekday: (ms) => new Date(ms + off * H).getUTCDay(),
  };
}
