// Typed functions for the historical reports: each loads queries/reports/<name>.sql and
// runs it with server-side parameters. Keep this a flat list of functions; add yours
// below with the shared `report()` loader.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Store } from '../ingest/src/adapters/clickhouse/store.js';
import type { IntervalRow } from '../ingest/src/core/modules.js';
import { queueConfig, type SiteConfig } from '../ingest/src/core/site-config.js';
import { dayStartMs } from '../ingest/src/core/workforce/time.js';
import { ensureWorkforceFacts, workforceConfigKey } from './workforce-facts.js';

export const REPORTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'reports');

const cache = new Map<string, string>();

/** The text of queries/reports/<name>.sql with `{db}` replaced by the store's database. */
export function report(name: string, db: string): string {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`report name must be kebab-case, got "${name}"`);
  let text = cache.get(name);
  if (text === undefined) cache.set(name, (text = readFileSync(path.join(REPORTS_DIR, `${name}.sql`), 'utf8')));
  return text.replaceAll('{db}', db);
}

/** ClickHouse DateTime64(3) parameter text for an instant, in UTC. */
export function chTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 23);
}

/** Per-queue settings as array parameters (queue names, thresholds, short-abandon, variant) plus the default. */
export function queueParams(cfg: SiteConfig): Record<string, unknown> {
  const names = Object.keys(cfg.queues);
  return {
    q_names: names,
    q_threshold_s: names.map((q) => queueConfig(cfg, q).threshold_s),
    q_short_s: names.map((q) => queueConfig(cfg, q).short_abandon_s),
    q_variant: names.map((q) => queueConfig(cfg, q).variant),
    def_threshold_s: cfg.default_queue.threshold_s,
    def_short_s: cfg.default_queue.short_abandon_s,
    def_variant: cfg.default_queue.variant,
  };
}

export interface IntervalsParams {
  site: string;
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
  interval: 15 | 30 | 60;
  /** The site's configuration: time zone and per-queue thresholds and SL variant. */
  config: SiteConfig;
  queue?: string;
  /** Wall-clock time, for which UTC days are closed (default Date.now()). */
  now?: number;
}

/** An interval row with its start as epoch ms (the route formats it in the site's zone). */
export interface IntervalRowMs extends Omit<IntervalRow, 'interval_start'> {
  interval_start_ms: number;
  /** Calls counted for AHT, and the sums behind ASA and AHT (ms), for explain. */
  handled: number;
  wait_sum_ms: number;
  handle_sum_ms: number;
}

type Num = number | string | null;
const n = (v: Num): number => Number(v);
const nn = (v: Num): number | null => (v === null ? null : Number(v));

const DAY_MS = 86_400_000;
/** A UTC day's facts are final 6 h after it ends (the wrap-up look-ahead) plus 1 min for late events. */
export const FACTS_CLOSE_AFTER_MS = 6 * 3_600_000 + 60_000;

/** intervals-facts.sql without its comments, for inlining into another query. */
function factsSql(db: string): string {
  return report('intervals-facts', db).replace(/--[^\n]*/g, '');
}

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Builds (or rebuilds when events arrived for it since) the stored interval facts of each
 * closed UTC day from the day of `from` on, and returns the instant up to which stored
 * facts are complete and fresh (`from` when none are).
 */
export async function ensureIntervalFacts(store: Store, site: string, from: number, to: number, now: number): Promise<number> {
  const first = Math.floor(from / DAY_MS) * DAY_MS;
  const days: number[] = [];
  for (let d = first; d < to && d + DAY_MS + FACTS_CLOSE_AFTER_MS <= now; d += DAY_MS) days.push(d);
  if (days.length === 0) return from;
  const rs = await store.client.query({
    query: report('intervals-fact-status', store.database),
    query_params: { site, lo: utcDay(days[0] as number), hi: utcDay(days[days.length - 1] as number) },
    format: 'JSONEachRow',
  });
  const status = new Map((await rs.json<{ day: string; version_ms: Num; touched_ms: Num }>()).map((r) => [r.day, { version: n(r.version_ms), touched: n(r.touched_ms) }]));
  const build = report('intervals-fact-build', store.database).replace('{facts}', factsSql(store.database));
  for (const d of days) {
    const st = status.get(utcDay(d));
    if (st && st.version > 0 && st.version > st.touched) continue;
    // A day with no events at all has nothing to store and needs no build.
    if (!st || st.touched === 0) continue;
    const version = Date.now();
    await store.client.command({ query: build, query_params: { site, ev_from: chTime(d), ev_to: chTime(d + DAY_MS), version: chTime(version) } });
    await store.client.insert({ table: `${store.database}.interval_fact_days`, values: [{ site, day: utcDay(d), version: chTime(version), facts: 0 }], format: 'JSONEachRow' });
  }
  return Math.min(to, days[days.length - 1] as number + DAY_MS);
}

/** The interval report (queries/reports/intervals.sql); same definitions as the live engine. */
export async function intervalsReport(store: Store, p: IntervalsParams): Promise<IntervalRowMs[]> {
  const builtTo = await ensureIntervalFacts(store, p.site, p.from, p.to, p.now ?? Date.now());
  const rs = await store.client.query({
    query: report('intervals', store.database).replace('{facts}', factsSql(store.database)),
    query_params: {
      site: p.site,
      from: chTime(p.from),
      to: chTime(p.to),
      built_to: chTime(builtTo),
      ev_from: chTime(Math.max(p.from, builtTo)),
      ev_to: chTime(p.to),
      interval: p.interval,
      tz: p.config.timezone,
      queue: p.queue ?? '',
      ...queueParams(p.config),
    },
    format: 'JSONEachRow',
  });
  const rows = await rs.json<Record<string, Num>>();
  return rows.map((r) => ({
    interval_start_ms: n(r['interval_start_ms'] ?? null),
    queue: String(r['queue']),
    offered: n(r['offered'] ?? null),
    answered: n(r['answered'] ?? null),
    answered_within_threshold: n(r['answered_within_threshold'] ?? null),
    abandoned: n(r['abandoned'] ?? null),
    short_abandoned: n(r['short_abandoned'] ?? null),
    service_level: nn(r['service_level'] ?? null),
    asa_s: nn(r['asa_s'] ?? null),
    aht_s: nn(r['aht_s'] ?? null),
    answer_rate: nn(r['answer_rate'] ?? null),
    handled: n(r['handled'] ?? null),
    wait_sum_ms: n(r['wait_sum_ms'] ?? null),
    handle_sum_ms: n(r['handle_sum_ms'] ?? null),
  }));
}

// ---- Workforce reports (conformance, adherence, attendance, absences) -------------------

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

/** A workforce report's SQL with the shared agent-day query inlined. */
export function workforceSql(name: 'conformance' | 'adherence' | 'attendance' | 'absences', db: string, agentDays = report('conformance-agent-days', db)): string {
  return report(name, db).replace(/\{agent_days\}/g, () => agentDays);
}

/**
 * A workforce report over stored closed days plus the open days derived from events
 * (queries/workforce-facts.ts): the SQL and its parameters. Same figures as deriving every
 * day from events, with each stored day read as a report starting on that day reads it.
 */
async function workforcePlanned(
  store: Store,
  name: 'conformance' | 'adherence' | 'attendance' | 'absences',
  p: WorkforceReportParams,
  extra: Record<string, unknown>,
): Promise<{ query: string; params: Record<string, unknown> }> {
  const db = store.database;
  const params = { ...workforceParams(p), ...extra };
  const derive = report('conformance-agent-days', db);
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
    const openEvFrom = dayStartMs(plan.openFrom, p.config.timezone, p.config.day_start) - WORKFORCE_LOOKBACK_MS;
    const rangeEvFrom = p.fromDayStartMs - WORKFORCE_LOOKBACK_MS;
    if (openEvFrom > rangeEvFrom) {
      const prior = await workforceRows<{ agent: string; k: string }>(store, report('workforce-fact-prior', db), {
        site: p.site, day: plan.openFrom, day_to: p.toDay, before: chTime(openEvFrom), back_ms: openEvFrom - rangeEvFrom,
      });
      Object.assign(params, { ev_from: chTime(openEvFrom), init_agents: prior.map((r) => r.agent), init_keys: prior.map((r) => r.k) });
    }
    parts.push(derive);
  }
  const agentDays = parts.map((q) => `SELECT * FROM (\n${q}\n)`).join('\nUNION ALL\n');
  return { query: workforceSql(name, db, agentDays), params };
}

async function workforcePlannedArgs(
  store: Store,
  name: 'conformance' | 'adherence' | 'attendance' | 'absences',
  p: WorkforceReportParams,
  extra: Record<string, unknown>,
): Promise<[string, Record<string, unknown>]> {
  const { query, params } = await workforcePlanned(store, name, p, extra);
  return [query, params];
}

async function workforceRows<T>(store: Store, query: string, params: Record<string, unknown>): Promise<T[]> {
  const rs = await store.client.query({ query, query_params: params, format: 'JSONEachRow' });
  return rs.json<T>();
}

export async function workforceAgentDays(store: Store, p: WorkforceReportParams): Promise<WorkforceAgentDayRow[]> {
  const rows = await workforceRows<Record<string, Num>>(store, report('conformance-agent-days', store.database), workforceParams(p));
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
}

const ratioOf = (a: number, b: number): number | null => (b > 0 ? a / b : null);

/** Login conformance (API v1 fields), time-weighted per day and agent/team/site. */
export async function conformanceReport(store: Store, p: WorkforceReportParams & { by: 'agent' | 'team' | 'site' }): Promise<ConformanceRow[]> {
  const rows = await workforceRows<Record<string, Num>>(store, ...(await workforcePlannedArgs(store, 'conformance', p, { by: p.by })));
  return rows.map((r) => {
    const sched = n(r['scheduled_ms'] ?? null);
    const logged = n(r['logged_in_ms'] ?? null);
    return {
      date: String(r['date']),
      key: String(r['key']),
      scheduled_s: sched / 1000,
      logged_in_s: logged / 1000,
      excused_s: n(r['excused_ms'] ?? null) / 1000,
      conformance: ratioOf(logged, sched),
      late_sign_ins: n(r['late_sign_ins'] ?? null),
      early_sign_outs: n(r['early_sign_outs'] ?? null),
    };
  });
}

export interface AdherenceRow {
  date: string;
  key: string;
  scheduled_s: number;
  in_adherence_s: number;
  adherence: number | null;
}

export async function adherenceReport(store: Store, p: WorkforceReportParams & { by: 'agent' | 'team' | 'site' }): Promise<AdherenceRow[]> {
  const rows = await workforceRows<Record<string, Num>>(store, ...(await workforcePlannedArgs(store, 'adherence', p, { by: p.by })));
  return rows.map((r) => {
    const sched = n(r['scheduled_ms'] ?? null);
    const inn = n(r['in_adherence_ms'] ?? null);
    return { date: String(r['date']), key: String(r['key']), scheduled_s: sched / 1000, in_adherence_s: inn / 1000, adherence: ratioOf(inn, sched) };
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

export async function attendanceReport(store: Store, p: WorkforceReportParams & { by: 'team' | 'site' }): Promise<AttendanceRow[]> {
  const rows = await workforceRows<Record<string, unknown>>(store, ...(await workforcePlannedArgs(store, 'attendance', p, { by: p.by })));
  return rows.map((r) => {
    const sched = Number(r['n_scheduled']);
    const att = Number(r['n_attended']);
    return { date: String(r['date']), key: String(r['key']), scheduled: sched, attended: att, attendance: ratioOf(att, sched), missing: ((r['missing'] as string[]) ?? []).slice().sort() };
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
export async function absencesReport(store: Store, p: WorkforceReportParams): Promise<AbsenceReportRow[]> {
  const rows = await workforceRows<Record<string, unknown>>(store, ...(await workforcePlannedArgs(store, 'absences', p, { flag_above: p.config.workforce.absence_days_flag })));
  return rows.map((r) => ({ agent: String(r['agent']), team: String(r['team']), absent_days: Number(r['absent_days']), days: r['days'] as string[], flagged: Boolean(Number(r['flagged'])) }));
}

export interface RosterRow {
  agent: string;
  team: string;
  day: string;
  start_ms: number;
  end_ms: number;
  activity: string;
  upload_id: string;
  version: number;
}

/** The roster in force (newest version per agent-day) for days from..to inclusive. */
export async function rosterSegments(store: Store, p: { site: string; fromDay: string; toDay: string }): Promise<RosterRow[]> {
  const rows = await workforceRows<Record<string, Num>>(store, report('conformance-roster', store.database), { site: p.site, from_day: p.fromDay, to_day: p.toDay });
  return rows.map((r) => ({
    agent: String(r['agent']),
    team: String(r['team']),
    day: String(r['day_str']),
    start_ms: n(r['start_ms'] ?? null),
    end_ms: n(r['end_ms'] ?? null),
    activity: String(r['activity']),
    upload_id: String(r['upload_id']),
    version: n(r['version'] ?? null),
  }));
}

export interface ExcusedRow {
  id: string;
  agent: string;
  start_ms: number;
  end_ms: number;
  reason: string;
  entered_by: string;
  entered_at_ms: number;
}

/** Excused spans overlapping [from, to); `agents` empty means every agent. */
export async function excusedSpans(store: Store, p: { site: string; from: number; to: number; agents: string[] }): Promise<ExcusedRow[]> {
  const rows = await workforceRows<Record<string, Num>>(store, report('conformance-excused', store.database), { site: p.site, from: chTime(p.from), to: chTime(p.to), agents: p.agents });
  return rows.map((r) => ({
    id: String(r['id']),
    agent: String(r['agent']),
    start_ms: n(r['start_ms'] ?? null),
    end_ms: n(r['end_ms'] ?? null),
    reason: String(r['reason']),
    entered_by: String(r['entered_by']),
    entered_at_ms: n(r['entered_at_ms'] ?? null),
  }));
}

export interface RosterHistoryRow {
  agent: string;
  upload_id: string;
  version: number;
  uploaded_at_ms: number;
  segments: number;
  first_start_ms: number;
  last_end_ms: number;
  in_force: boolean;
}

/** Every uploaded version of each agent's roster for one operating day (the change history). */
export async function rosterHistory(store: Store, p: { site: string; day: string }): Promise<RosterHistoryRow[]> {
  const rows = await workforceRows<Record<string, Num>>(store, report('conformance-roster-history', store.database), { site: p.site, day: p.day });
  return rows.map((r) => ({
    agent: String(r['agent']),
    upload_id: String(r['upload_id']),
    version: n(r['version'] ?? null),
    uploaded_at_ms: n(r['uploaded_at_ms'] ?? null),
    segments: n(r['segments'] ?? null),
    first_start_ms: n(r['first_start_ms'] ?? null),
    last_end_ms: n(r['last_end_ms'] ?? null),
    in_force: Boolean(n(r['in_force'] ?? null)),
  }));
}

/** Sites with a roster on or after `fromDay` (yyyy-MM-dd). */
export async function rosterSites(store: Store, fromDay: string): Promise<string[]> {
  const rows = await workforceRows<{ site: string }>(store, report('conformance-roster-sites', store.database), { from_day: fromDay });
  return rows.map((r) => r.site);
}
