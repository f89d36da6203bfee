// One agent's state timeline as runs of equivalent states (see StateClasses): run i holds
// from starts[i] until starts[i+1] (or now). Before the first run the agent is logged out.
// A day is a few dozen runs. Both arrays are kept at their exact length (a new array per
// change of class, which is rare): a push onto an empty array reserves 17 slots, more than
// an agent holds for most of a shift, and that slack counts against the 2 KB-per-agent goal.
import { LOGGED_OUT, type StateClasses } from './adherence-map.js';

export interface Timeline {
  starts: number[];
  /** The state key that opened each run (representative of its class). */
  keys: string[];
}

export const newTimeline = (): Timeline => ({ starts: [], keys: [] });

/**
 * A copy of `xs` with `v` inserted at `i`, allocated at its exact length. One function per
 * element type on purpose: V8 remembers an array's element kind per allocation site, and
 * a site shared with the string keys made the times boxed numbers (a heap object each).
 */
function insertedTime(xs: readonly number[], i: number, v: number): number[] {
  const n = xs.length;
  const out = new Array<number>(n + 1);
  for (let j = 0; j < i; j++) out[j] = xs[j] as number;
  out[i] = v;
  for (let j = i; j < n; j++) out[j + 1] = xs[j] as number;
  return out;
}

function insertedKey(xs: readonly string[], i: number, v: string): string[] {
  const n = xs.length;
  const out = new Array<string>(n + 1);
  for (let j = 0; j < i; j++) out[j] = xs[j] as string;
  out[i] = v;
  for (let j = i; j < n; j++) out[j + 1] = xs[j] as string;
  return out;
}

/** Items [from, to) of `xs` at their exact length (`xs` itself when nothing is cut). */
const cut = <T>(xs: T[], from: number, to: number): T[] =>
  from === 0 && to === xs.length ? xs : xs.slice(from, to);

/**
 * Adds a state change at `ts`. In order (the normal case) it appends, or is folded into
 * the current run when its class is the same. An event older than the newest run is
 * placed at its time and lasts until the next run boundary: the exact boundary of the
 * following (folded) event is no longer known, an accepted approximation for the few
 * events that arrive out of order within the lateness window.
 */
export function addChange(tl: Timeline, ts: number, key: string, classes: StateClasses): void {
  const { starts, keys } = tl;
  let i = starts.length;
  while (i > 0 && (starts[i - 1] as number) > ts) i--;
  // i: insert position; run i-1 starts at or before ts.
  const prevKey = i > 0 ? (keys[i - 1] as string) : LOGGED_OUT;
  if (i > 0 && starts[i - 1] === ts) {
    keys[i - 1] = key;
  } else {
    if (classes.classOf(prevKey) === classes.classOf(key)) return;
    tl.starts = insertedTime(starts, i, ts);
    tl.keys = insertedKey(keys, i, key);
  }
  normalize(tl, classes);
}

/** Merges neighbouring runs of one class (and a leading logged-out run into "before"). */
export function normalize(tl: Timeline, classes: StateClasses): void {
  const { starts, keys } = tl;
  let w = 0;
  for (let r = 0; r < starts.length; r++) {
    const k = keys[r] as string;
    const prev = w > 0 ? (keys[w - 1] as string) : LOGGED_OUT;
    if (classes.classOf(prev) === classes.classOf(k)) continue;
    starts[w] = starts[r] as number;
    keys[w] = k;
    w++;
  }
  tl.starts = cut(starts, 0, w);
  tl.keys = cut(keys, 0, w);
}

/** Drops runs that ended at or before `before`, keeping the run in force at `before`. */
export function dropBefore(tl: Timeline, before: number): void {
  let n = 0;
  while (n + 1 < tl.starts.length && (tl.starts[n + 1] as number) <= before) n++;
  if (n > 0) {
    tl.starts = cut(tl.starts, n, tl.starts.length);
    tl.keys = cut(tl.keys, n, tl.keys.length);
  }
}

/** Visits each run clipped to (-inf, now): [start, end) with its key; `open` when no later run began before now. */
export function forEachRun(
  tl: Timeline,
  now: number,
  fn: (start: number, end: number, key: string, open: boolean) => void,
): void {
  const { starts, keys } = tl;
  // Before the first change the agent is logged out (which a break, lunch or off segment allows).
  const first = starts[0];
  if (first === undefined || first > -Infinity)
    fn(
      -Infinity,
      first === undefined || first >= now ? now : first,
      LOGGED_OUT,
      first === undefined || first >= now,
    );
  for (let i = 0; i < starts.length; i++) {
    const s = starts[i] as number;
    if (s >= now) break;
    const next = starts[i + 1];
    const open = next === undefined || next >= now;
    fn(s, open ? now : next, keys[i] as string, open);
  }
}

/** The state key in force at instant `t` (the run with start <= t). */
export function keyAt(tl: Timeline, t: number): { key: string; start: number } {
  const { starts, keys } = tl;
  let i = starts.length - 1;
  while (i >= 0 && (starts[i] as number) > t) i--;
  return i < 0
    ? { key: LOGGED_OUT, start: -Infinity }
    : { key: keys[i] as string, start: starts[i] as number };
}
