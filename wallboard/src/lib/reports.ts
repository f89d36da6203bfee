// Shaping report rows for the charts and heat maps: pooling queues per interval (ratios
// recomputed from summed counts, never averaged) and pivoting agent×day rows into a matrix.
import type { IntervalRow } from './api.js';

export interface IntervalCounts {
  interval_start: string;
  offered: number;
  answered: number;
  answered_within_threshold: number;
  abandoned: number;
  short_abandoned: number;
  /** Default-variant SL from the pooled counts: within / (answered + abandoned − short). */
  service_level: number | null;
}

/** Rows of one queue, or all queues summed per interval, in time order. */
export function poolIntervals(
  rows: readonly IntervalRow[],
  queue: string | null,
): IntervalCounts[] {
  const by = new Map<number, IntervalCounts>();
  for (const r of rows) {
    if (queue !== null && r.queue !== queue) continue;
    const k = Date.parse(r.interval_start);
    const c = by.get(k) ?? {
      interval_start: r.interval_start,
      offered: 0,
      answered: 0,
      answered_within_threshold: 0,
      abandoned: 0,
      short_abandoned: 0,
      service_level: null,
    };
    c.offered += r.offered;
    c.answered += r.answered;
    c.answered_within_threshold += r.answered_within_threshold;
    c.abandoned += r.abandoned;
    c.short_abandoned += r.short_abandoned;
    by.set(k, c);
  }
  return [...by.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, c]) => {
      // A single queue keeps the server's own SL (its configured variant); pooled ones use the default formula.
      const own =
        queue !== null
          ? rows.find(
              (r) =>
                r.queue === queue && Date.parse(r.interval_start) === Date.parse(c.interval_start),
            )?.service_level
          : undefined;
      const den = c.answered + c.abandoned - c.short_abandoned;
      return {
        ...c,
        service_level: own !== undefined ? own : den > 0 ? c.answered_within_threshold / den : null,
      };
    });
}

export interface Matrix {
  rows: string[];
  cols: string[];
  /** value at [row][col], null when no data or no denominator. */
  cells: Map<string, number | null>;
}

export const cellKey = (row: string, col: string): string => `${row}\u0000${col}`;

/** Rows × days; `days` fixes the columns (every day of the range, even empty ones). */
export function pivot<T extends { key: string; date: string }>(
  data: readonly T[],
  value: (r: T) => number | null,
  days?: readonly string[],
): Matrix {
  const rows = new Set<string>();
  const cols = new Set<string>();
  const cells = new Map<string, number | null>();
  for (const r of data) {
    rows.add(r.key);
    cols.add(r.date);
    cells.set(cellKey(r.key, r.date), value(r));
  }
  return { rows: [...rows].sort(), cols: days ? [...days] : [...cols].sort(), cells };
}

/** The operating days from `from` to `to` inclusive (yyyy-MM-dd), at most `max` of them. */
export function daysBetween(from: string, to: string, max = 366): string[] {
  const out: string[] = [];
  const d = new Date(`${from}T00:00:00Z`);
  const end = new Date(`${to}T00:00:00Z`);
  while (d <= end && out.length < max) {
    out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

/** One point of a ratio chart: a category key, its axis label, the ratio and its counts. */
export interface RatioPoint {
  key: string;
  label: string;
  value: number | null;
  detail: string;
}

/** Each agent's team on the latest day it was rostered (by=agent conformance rows carry it). */
export function agentTeams(
  rows: readonly { key: string; date: string; team?: string }[],
): Map<string, string> {
  const latest = new Map<string, { date: string; team: string }>();
  for (const r of rows) {
    if (r.team === undefined) continue;
    const had = latest.get(r.key);
    if (!had || r.date >= had.date) latest.set(r.key, { date: r.date, team: r.team });
  }
  return new Map([...latest].map(([k, v]) => [k, v.team]));
}

/** Agent rows of one team ('' for all) whose name or id contains `search` (any case). */
export function narrowRows(
  rows: readonly string[],
  f: {
    team: string;
    search: string;
    teamOf: ReadonlyMap<string, string>;
    name: (agent: string) => string;
  },
): string[] {
  const q = f.search.trim().toLocaleLowerCase();
  return rows.filter(
    (r) =>
      (f.team === '' || f.teamOf.get(r) === f.team) &&
      (q === '' || r.toLocaleLowerCase().includes(q) || f.name(r).toLocaleLowerCase().includes(q)),
  );
}

/** The calendar months (yyyy-MM) from `from` to `to` inclusive, at most `max` of them. */
export function monthsBetween(from: string, to: string, max = 12): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const end = to.slice(0, 7);
  while (out.length < max && Number.isFinite(y) && Number.isFinite(m)) {
    const k = `${y}-${String(m).padStart(2, '0')}`;
    if (k > end) break;
    out.push(k);
    if (++m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}
