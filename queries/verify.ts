// Proves history figures: every report as the API serves it (stored facts of closed days plus
// the open days) against the same report recomputed from the raw `events` table alone (no
// stored facts, no derived table; see `fromEvents` in queries/index.ts and workforce.ts).
// Each figure that differs is one mismatch: (report, day, key, field, served, recomputed).
// Used by GET /api/reports/verify and `npm run verify` (scripts/verify.ts).
import type { SiteConfig } from '../ingest/src/core/site-config.js';
import { dayStartMs, nextDay } from '../ingest/src/core/workforce/time.js';
import { adherenceReport, attendanceReport, conformanceReport, intervalsReport } from './index.js';
import type { Store } from './store.js';

export const VERIFIABLE = ['intervals', 'conformance', 'adherence', 'attendance'] as const;
export type VerifiableReport = (typeof VERIFIABLE)[number];

export interface VerifyParams {
  site: string;
  config: SiteConfig;
  /** Operating days fromDay..toDay inclusive (yyyy-MM-dd in the site's zone). */
  fromDay: string;
  toDay: string;
  now: number;
  reports: readonly VerifiableReport[];
  /** Formats an instant in the site's zone (the API's ISO form). */
  iso(ms: number): string;
}

export interface Mismatch {
  report: string;
  day: string;
  key: string;
  field: string;
  served: unknown;
  recomputed: unknown;
}

export interface VerifyResult {
  /** Rows compared per report (the larger of served and recomputed). */
  rows: Record<string, number>;
  mismatches: Mismatch[];
}

type Row = Record<string, unknown>;

/** Ratios equal within 1e-9 (sums read in another order round differently); everything else exactly. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number' && !Number.isInteger(a + b))
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Compares two row lists keyed by `keyOf`; each differing field (or a missing row) is a mismatch. */
function compareRows(
  report: string,
  served: Row[],
  recomputed: Row[],
  keyOf: (r: Row) => { day: string; key: string },
  out: Mismatch[],
): number {
  const index = (rows: Row[]) =>
    new Map(
      rows.map((r) => {
        const k = keyOf(r);
        return [`${k.day}\u0000${k.key}`, { ...k, r }];
      }),
    );
  const a = index(served);
  const b = index(recomputed);
  for (const id of new Set([...a.keys(), ...b.keys()])) {
    const s = a.get(id);
    const c = b.get(id);
    const { day, key } = (s ?? c) as { day: string; key: string };
    if (!s || !c) {
      out.push({
        report,
        day,
        key,
        field: '(row)',
        served: s ? 'present' : 'missing',
        recomputed: c ? 'present' : 'missing',
      });
      continue;
    }
    for (const f of new Set([...Object.keys(s.r), ...Object.keys(c.r)])) {
      if (!same(s.r[f], c.r[f]))
        out.push({
          report,
          day,
          key,
          field: f,
          served: s.r[f] ?? null,
          recomputed: c.r[f] ?? null,
        });
    }
  }
  return Math.max(a.size, b.size);
}

export async function verifyReports(store: Store, p: VerifyParams): Promise<VerifyResult> {
  const tz = p.config.timezone;
  const from = dayStartMs(p.fromDay, tz, p.config.day_start);
  const to = dayStartMs(nextDay(p.toDay), tz, p.config.day_start);
  const mismatches: Mismatch[] = [];
  const rows: Record<string, number> = {};
  const wf = {
    site: p.site,
    fromDay: p.fromDay,
    toDay: p.toDay,
    fromDayStartMs: from,
    now: p.now,
    config: p.config,
  };
  const byDayKey = (r: Row) => ({ day: String(r['date']), key: String(r['key']) });
  for (const report of p.reports) {
    if (report === 'intervals') {
      for (const interval of [15, 30, 60] as const) {
        const q = { site: p.site, from, to, interval, config: p.config, now: p.now };
        const served = (await intervalsReport(store, q)) as unknown as Row[];
        const recomputed = (await intervalsReport(store, {
          ...q,
          fromEvents: true,
        })) as unknown as Row[];
        const keyOf = (r: Row) => {
          const start = p.iso(Number(r['interval_start_ms']));
          return { day: start.slice(0, 10), key: `${interval} min ${start} ${String(r['queue'])}` };
        };
        rows[`intervals-${interval}`] = compareRows(
          `intervals-${interval}`,
          served,
          recomputed,
          keyOf,
          mismatches,
        );
      }
    } else if (report === 'conformance') {
      rows[report] = compareRows(
        report,
        await rowsOf(conformanceReport(store, { ...wf, by: 'agent' })),
        await rowsOf(conformanceReport(store, { ...wf, by: 'agent', fromEvents: true })),
        byDayKey,
        mismatches,
      );
    } else if (report === 'adherence') {
      rows[report] = compareRows(
        report,
        await rowsOf(adherenceReport(store, { ...wf, by: 'agent' })),
        await rowsOf(adherenceReport(store, { ...wf, by: 'agent', fromEvents: true })),
        byDayKey,
        mismatches,
      );
    } else {
      rows[report] = compareRows(
        report,
        await rowsOf(attendanceReport(store, { ...wf, by: 'team' })),
        await rowsOf(attendanceReport(store, { ...wf, by: 'team', fromEvents: true })),
        byDayKey,
        mismatches,
      );
    }
  }
  return { rows, mismatches };
}

const rowsOf = async (p: Promise<object[]>): Promise<Row[]> => (await p) as Row[];
