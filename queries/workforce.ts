// Typed functions for the workforce reports (conformance, adherence, attendance, absences),
// over queries/reports/*.sql with server-side parameters. Roster reads: queries/roster.ts.
import type { Store } from './store.js';
import type { SiteConfig } from '../ingest/src/core/site-config.js';
import { ratio } from '../ingest/src/core/ratio.js';
import { dayStartMs } from '../ingest/src/core/workforce/time.js';
import { chTime, n, report, type Num } from './sql.js';
import { ensureWorkforceFacts, workforceConfigKey } from './workforce-facts.js';

/** The days and clock of a workforce report: operating days from..to inclusive, clipped to `now`. */
export interface WorkforceReportParams {
  site: string;
  /** yyyy-MM-dd, inclusive. */
  fromDay: string;
  /** yyyy-MM-dd, inclusive. */
  toDay: string;
  /** Epoch ms of the first day's start; events are read from 48 h before it (state at the start). */
  fromDayStartMs: number;
  /** Everything is clipped to before now: today's figures are today-so-far, as on the board. */
  now: number;
  config: SiteConfig;
  /** Recompute every day from the raw events, reading no stored facts (verify). */
  fromEvents?: boolean;
}

/** Per agent-day figures in integer ms (queries/reports/conformance-agent-days.sql). */
export interface WorkforceAgentDayRow {
  agent: string;
  team: string;
  day: string;
  scheduled_ms: number;
  logged_in_ms: number;
  excused_ms: number;
  late: number;
  early: number;
  scheduled: number;
  attended: number;
  adh_sched_ms: number;
  in_adh_ms: number;
}

// 48 h: an agent logged in longer than that without an event is a ghost, not a session.
const WORKFORCE_LOOKBACK_MS = 48 * 3_600_000;

function workforceParams(p: WorkforceReportParams): Record<string, unknown> {
  const wf = p.config.workforce;
  const acts = Object.keys(wf.adherence).filter((a) => wf.adherence[a] !== 'neutral');
  return {
    site: p.site,
    from_day: p.fromDay,
    to_day: p.toDay,
    now: chTime(p.now),
    ev_from: chTime(p.fromDayStartMs - WORKFORCE_LOOKBACK_MS),
    ev_to: chTime(p.now),
    early_ms: wf.sign_in_early_s * 1000,
    late_ms: wf.sign_out_late_s * 1000,
    work: wf.work_activities,
    adh_acts: acts,
    adh_allowed: acts.map((a) => wf.adherence[a] as string[]),
    // Every agent rostered in the range, each starting logged out (see workforce-facts.ts).
    only_agents: [],
    init_agents: [],
    init_keys: [],
  };
}

type WorkforceReportName =
  'conformance' | 'conformance-by-agent' | 'adherence' | 'attendance' | 'absences';

/** A workforce report's SQL with the shared agent-day query inlined. */
export function workforceSql(
  name: WorkforceReportName,
  db: string,
  agentDays = report('conformance-agent-days', db),
): string {
  return report(name, db).replace(/\{agent_days\}/g, () => agentDays);
}

/**
 * A workforce report over stored closed days plus the open days derived from events
 * (queries/workforce-facts.ts): the SQL and its parameters. Same figures as deriving every
 * day from events, with each stored day read as a report starting on that day reads it.
 */
async function workforcePlanned(
  store: Store,
  name: WorkforceReportName,
  p: WorkforceReportParams,
  extra: Record<string, unknown>,
): Promise<{ query: string; params: Record<string, unknown> }> {
  const db = store.database;
  const params = { ...workforceParams(p), ...extra };
  const derive = report('conformance-agent-days', db);
  if (p.fromEvents) return { query: workforceSql(name, db, derive), params };
  const plan = await ensureWorkforceFacts(store, p, params, {
    status: report('workforce-fact-status', db),
    build: report('workforce-fact-build', db).replace('{agent_days}', () => derive),
    prior: report('workforce-fact-prior', db),
  });
  const parts: string[] = [];
  if (plan.stored.length > 0) {
    const days = plan.stored.map((b) => b.day);
    Object.assign(params, {
      cfg: workforceConfigKey(p.config, params),
      c_from: days[0],
      c_to: days[days.length - 1],
      c_days: days,
      c_versions: plan.stored.map((b) => b.version),
      range_ev_from_ms: p.fromDayStartMs - WORKFORCE_LOOKBACK_MS,
    });
    parts.push(report('workforce-fact-read', db));
  }
  if (plan.openFrom !== null) {
    // The open days read events from 48 h before the first of them; an agent whose last
    // event between the range's look-back and that left them signed in starts in that state,
    // exactly as deriving the whole range (2,000 agents, today open: ~4 -> ~1 CPU-s).
    Object.assign(params, { from_day: plan.openFrom });
    const openEvFrom =
      dayStartMs(plan.openFrom, p.config.timezone, p.config.day_start) - WORKFORCE_LOOKBACK_MS;
    const rangeEvFrom = p.fromDayStartMs - WORKFORCE_LOOKBACK_MS;
    if (openEvFrom > rangeEvFrom) {
      const prior = await workforceRows<{ agent: string; k: string }>(
        store,
        report('workforce-fact-prior', db),
        {
          site: p.site,
          day: plan.openFrom,
          day_to: p.toDay,
          before: chTime(openEvFrom),
          back_ms: openEvFrom - rangeEvFrom,
        },
      );
      Object.assign(params, {
        ev_from: chTime(openEvFrom),
        init_agents: prior.map((r) => r.agent),
        init_keys: prior.map((r) => r.k),
      });
    }
    parts.push(derive);
  }
  const agentDays = parts.map((q) => `SELECT * FROM (\n${q}\n)`).join('\nUNION ALL\n');
  return { query: workforceSql(name, db, agentDays), params };
}

async function workforcePlannedArgs(
  store: Store,
  name: WorkforceReportName,
  p: WorkforceReportParams,
  extra: Record<string, unknown>,
): Promise<[string, Record<string, unknown>]> {
  const { query, params } = await workforcePlanned(store, name, p, extra);
  return [query, params];
}

/** Runs one workforce query and returns its rows (JSONEachRow). */
export async function workforceRows<T>(
  store: Store,
  query: string,
  params: Record<string, unknown>,
): Promise<T[]> {
  const rs = await store.client.query({ query, query_params: params, format: 'JSONEachRow' });
  return rs.json<T>();
}

export async function workforceAgentDays(
  store: Store,
  p: WorkforceReportParams,
): Promise<WorkforceAgentDayRow[]> {
  const rows = await workforceRows<Record<string, Num>>(
    store,
    report('conformance-agent-days', store.database),
    workforceParams(p),
  );
  return rows.map((r) => ({
    agent: String(r['agent']),
    team: String(r['team']),
    day: String(r['day']),
    scheduled_ms: n(r['scheduled_ms'] ?? null),
    logged_in_ms: n(r['logged_in_ms'] ?? null),
    excused_ms: n(r['excused_ms'] ?? null),
    late: n(r['late'] ?? null),
    early: n(r['early'] ?? null),
    scheduled: n(r['scheduled'] ?? null),
    attended: n(r['attended'] ?? null),
    adh_sched_ms: n(r['adh_sched_ms'] ?? null),
    in_adh_ms: n(r['in_adh_ms'] ?? null),
  }));
}

export interface ConformanceRow {
  date: string;
  key: string;
  scheduled_s: number;
  logged_in_s: number;
  excused_s: number;
  conformance: number | null;
  late_sign_ins: number;
  early_sign_outs: number;
  /** Additive, by=agent only: the agent's rostered team that day. */
  team?: string;
}

/**
 * Login conformance (API v1 fields), time-weighted per day and agent/team/site: the rows as a
 * JSON array in UTF-8, written by ClickHouse (queries/reports/conformance*.sql), for the route
 * to send as they are. By agent over 90 days x 5,000 agents that is 57 MB: decoding it into a
 * JS string and encoding it again for the socket cost more than the query.
 */
export async function conformanceRowsJson(
  store: Store,
  p: WorkforceReportParams & { by: 'agent' | 'team' | 'site' },
  name: 'conformance' | 'conformance-by-agent' = p.by === 'agent'
    ? 'conformance-by-agent'
    : 'conformance',
): Promise<Buffer> {
  const [query, params] = await workforcePlannedArgs(store, name, p, { by: p.by });
  // In the query's own SETTINGS: the embedded client would SET clickhouse_settings on its
  // session, and every later JSONEachRow answer would come as an array. exec: the answer's
  // bytes as the engine wrote them, not a decoded text.
  const rs = await store.client.exec({
    query: `${query}\nSETTINGS output_format_json_array_of_rows = 1\nFORMAT JSONEachRow`,
    query_params: params,
  });
  const chunks: Buffer[] = [];
  for await (const c of rs.stream) chunks.push(c as Buffer);
  const out = trimmed(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
  // A server that applies no query SETTINGS to the output format sends one row a line.
  const json =
    out[0] === 0x5b /* [ */ ? out : Buffer.from(`[${out.toString('utf8').split('\n').join(',')}]`);
  if (p.by === 'agent') return json;
  // A day has a row per team at most (or one for the site): few enough to rewrite in JS.
  const rows = JSON.parse(json.toString('utf8')) as ConformanceRow[];
  return Buffer.from(JSON.stringify(rows.map(({ team: _, ...r }) => r)));
}

/** The bytes without leading and trailing JSON white space, as a view (no copy). */
function trimmed(b: Buffer): Buffer {
  const ws = (c: number | undefined) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
  let start = 0;
  let end = b.length;
  while (start < end && ws(b[start])) start++;
  while (end > start && ws(b[end - 1])) end--;
  return b.subarray(start, end);
}

/** Login conformance as rows (verify, the warmer, tests): the same rows the route sends. */
export async function conformanceReport(
  store: Store,
  p: WorkforceReportParams & { by: 'agent' | 'team' | 'site' },
): Promise<ConformanceRow[]> {
  return JSON.parse((await conformanceRowsJson(store, p)).toString('utf8')) as ConformanceRow[];
}

export interface AdherenceRow {
  date: string;
  key: string;
  scheduled_s: number;
  in_adherence_s: number;
  adherence: number | null;
}

export async function adherenceReport(
  store: Store,
  p: WorkforceReportParams & { by: 'agent' | 'team' | 'site' },
): Promise<AdherenceRow[]> {
  const rows = await workforceRows<Record<string, Num>>(
    store,
    ...(await workforcePlannedArgs(store, 'adherence', p, { by: p.by })),
  );
  return rows.map((r) => {
    const sched = n(r['scheduled_ms'] ?? null);
    const inn = n(r['in_adherence_ms'] ?? null);
    return {
      date: String(r['date']),
      key: String(r['key']),
      scheduled_s: sched / 1000,
      in_adherence_s: inn / 1000,
      adherence: ratio(inn, sched),
    };
  });
}

export interface AttendanceRow {
  date: string;
  key: string;
  scheduled: number;
  attended: number;
  attendance: number | null;
  /** Additive: scheduled agents who did not sign in during their shift. */
  missing: string[];
}

export async function attendanceReport(
  store: Store,
  p: WorkforceReportParams & { by: 'team' | 'site' },
): Promise<AttendanceRow[]> {
  const rows = await workforceRows<Record<string, unknown>>(
    store,
    ...(await workforcePlannedArgs(store, 'attendance', p, { by: p.by })),
  );
  return rows.map((r) => {
    const sched = Number(r['n_scheduled']);
    const att = Number(r['n_attended']);
    return {
      date: String(r['date']),
      key: String(r['key']),
      scheduled: sched,
      attended: att,
      attendance: ratio(att, sched),
      missing: ((r['missing'] as string[]) ?? []).slice().sort(),
    };
  });
}

export interface AbsenceReportRow {
  agent: string;
  team: string;
  absent_days: number;
  days: string[];
  flagged: boolean;
}

/** Agents absent on at least one day of the range; `flagged` above cfg.workforce.absence_days_flag. */
export async function absencesReport(
  store: Store,
  p: WorkforceReportParams,
): Promise<AbsenceReportRow[]> {
  const rows = await workforceRows<Record<string, unknown>>(
    store,
    ...(await workforcePlannedArgs(store, 'absences', p, {
      flag_above: p.config.workforce.absence_days_flag,
    })),
  );
  return rows.map((r) => ({
    agent: String(r['agent']),
    team: String(r['team']),
    absent_days: Number(r['absent_days']),
    days: r['days'] as string[],
    flagged: Boolean(Number(r['flagged'])),
  }));
}
