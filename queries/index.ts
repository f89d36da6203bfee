// Typed functions for the historical reports: each loads queries/reports/<name>.sql and
// runs it with server-side parameters. Keep this a flat list of functions; add yours
// below with the shared `report()` loader.
import type { Store } from './store.js';
import { chTime, n, nn, report, type Num } from './sql.js';
import { seededEventDays } from './ingest.js';
import { utcDayNumber } from '../ingest/src/core/event-days.js';
import type { IntervalRow } from '../ingest/src/core/modules.js';
import { callExpiryMs, queueConfig, type SiteConfig } from '../ingest/src/core/site-config.js';

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
  /** Recompute every figure from the raw events: no stored facts, no derived tables (verify). */
  fromEvents?: boolean;
}

/** An interval row with its start as epoch ms (the route formats it in the site's zone). */
export interface IntervalRowMs extends Omit<IntervalRow, 'interval_start'> {
  interval_start_ms: number;
  /** Calls counted for AHT, and the sums behind ASA and AHT (ms), for explain. */
  handled: number;
  wait_sum_ms: number;
  handle_sum_ms: number;
}

/**
 * The expiry parameters of intervals-facts.sql: the site's call_expiry_s in ms, and the
 * instant up to which deadlines have passed (a call whose deadline is still ahead has not
 * expired yet).
 */
const expiryParams = (expiryMs: number, now: number) => ({
  expiry_ms: expiryMs,
  expired_by: chTime(now),
});

const DAY_MS = 86_400_000;
const QUARTER_MS = 900_000;
/** A UTC day's facts are final 6 h after it ends (the wrap-up look-ahead) plus 1 min for late events. */
export const FACTS_CLOSE_AFTER_MS = 6 * 3_600_000 + 60_000;

const stripComments = (sql: string) => sql.replace(/--[^\n]*/g, '');

/**
 * intervals-facts.sql without its comments, for inlining into another query; its calls read
 * from calls_facts, or from the raw events when `fromEvents` (a recomputation that trusts
 * no derived table).
 */
function factsSql(db: string, fromEvents = false): string {
  const calls = stripComments(report(fromEvents ? 'event-calls' : 'stored-calls', db));
  return stripComments(report('intervals-facts', db)).replace('{calls}', () => calls);
}

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Builds (or rebuilds when events arrived for it since) the stored interval facts of each
 * closed UTC day from the day of `from` on, and returns the instant up to which stored
 * facts are complete and fresh (`from` when none are).
 *
 * A stored day is fresh while the events of the days it read (the day before, the day, the
 * day after) are as many as when its build began (store.eventDays, which the writer advances
 * only once an insert and its derived rows are visible, before acknowledging it). The count
 * is taken before the build reads anything, so the build sees at least those events; an
 * insert it missed raises the count. A day built with another call expiry (`expiryMs`, the
 * site's call_expiry_s in ms; 0 for builds older than migration 0150) counts its expired calls
 * at other deadlines, so it is rebuilt too. One check-and-build at a time per site in this
 * process: two builds of a day never share a version.
 */
export async function ensureIntervalFacts(
  store: Store,
  site: string,
  from: number,
  to: number,
  now: number,
  expiryMs: number,
): Promise<number> {
  const key = `${store.database}|${site}`;
  const run = (intervalLocks.get(key) ?? Promise.resolve()).then(() =>
    ensureIntervalFactsLocked(store, site, from, to, now, expiryMs),
  );
  const tail = run.then(
    () => {},
    () => {},
  );
  intervalLocks.set(key, tail);
  void tail.then(() => {
    if (intervalLocks.get(key) === tail) intervalLocks.delete(key);
  });
  return run;
}

const intervalLocks = new Map<string, Promise<void>>();

async function ensureIntervalFactsLocked(
  store: Store,
  site: string,
  from: number,
  to: number,
  now: number,
  expiryMs: number,
): Promise<number> {
  const first = Math.floor(from / DAY_MS) * DAY_MS;
  const days: number[] = [];
  for (let d = first; d < to && d + DAY_MS + FACTS_CLOSE_AFTER_MS <= now; d += DAY_MS) days.push(d);
  if (days.length === 0) return from;
  const ledger = await seededEventDays(store, site);
  const rs = await store.client.query({
    query: report('intervals-fact-status', store.database),
    query_params: {
      site,
      lo: utcDay(days[0] as number),
      hi: utcDay(days[days.length - 1] as number),
    },
    format: 'JSONEachRow',
  });
  const status = new Map(
    (await rs.json<{ day: string; version_ms: Num; events_seen: Num; expiry_ms: Num }>()).map(
      (r) => [
        r.day,
        { version: n(r.version_ms), seen: n(r.events_seen), expiryMs: n(r.expiry_ms) },
      ],
    ),
  );
  const build = report('intervals-fact-build', store.database).replace('{facts}', () =>
    factsSql(store.database),
  );
  const sumQuarters = report('intervals-quarter-build', store.database);
  for (const d of days) {
    const st = status.get(utcDay(d));
    const dn = utcDayNumber(d);
    // Read before the build: every event counted here is visible to it.
    const seen = ledger.count(site, dn - 1, dn + 1);
    if (st && st.seen === seen && st.expiryMs === expiryMs) continue;
    // A day with nothing around it has nothing to store (and reads as empty).
    if (!st && seen === 0) continue;
    const version = Math.max(Date.now(), (st?.version ?? 0) + 1);
    await store.client.command({
      query: build,
      query_params: {
        site,
        ev_from: chTime(d),
        ev_to: chTime(d + DAY_MS),
        version: chTime(version),
        ...expiryParams(expiryMs, now),
      },
    });
    // The day's facts summed per UTC quarter hour, same version; only then is the build recorded.
    await store.client.command({
      query: sumQuarters,
      query_params: { site, day: utcDay(d), version: chTime(version) },
    });
    await store.client.insert({
      table: `${store.database}.interval_fact_days`,
      values: [
        {
          site,
          day: utcDay(d),
          version: chTime(version),
          facts: 0,
          events_seen: seen,
          expiry_ms: expiryMs,
        },
      ],
      format: 'JSONEachRow',
    });
  }
  return Math.min(to, (days[days.length - 1] as number) + DAY_MS);
}

/** Whether every queue's SL threshold (and the default) is a whole number of seconds. */
function wholeSecondThresholds(cfg: SiteConfig): boolean {
  return [cfg.default_queue, ...Object.values(cfg.queues)].every((q) =>
    Number.isInteger(q.threshold_s),
  );
}

/** The interval report (queries/reports/intervals.sql); same definitions as the live engine. */
/** The derived facts' shape with no rows (the columns of interval_facts). */
const NOTHING_TO_DERIVE =
  "SELECT toUInt8(0) AS k, toLowCardinality('') AS queue, toDateTime64(0, 3, 'UTC') AS t, toUInt8(0) AS is_answered, toInt64(0) AS wait_ms, toInt64(0) AS handle_ms WHERE 0";

export async function intervalsReport(store: Store, p: IntervalsParams): Promise<IntervalRowMs[]> {
  const now = p.now ?? Date.now();
  const expiryMs = callExpiryMs(p.config);
  const builtTo = p.fromEvents
    ? p.from
    : await ensureIntervalFacts(store, p.site, p.from, p.to, now, expiryMs);
  // When stored days cover the whole range nothing is left to derive: skip that part, which
  // would still group the calls of the days around the range (long-history goal: 500 ms).
  const derived = builtTo >= p.to ? NOTHING_TO_DERIVE : factsSql(store.database, p.fromEvents);
  // The whole UTC quarter hours of the stored part, read summed from interval_quarters.
  const qLo = Math.ceil(p.from / QUARTER_MS) * QUARTER_MS;
  const qHi = Math.max(qLo, Math.floor(builtTo / QUARTER_MS) * QUARTER_MS);
  const rs = await store.client.query({
    query: report('intervals', store.database).replace('{facts}', derived),
    query_params: {
      site: p.site,
      from: chTime(p.from),
      to: chTime(p.to),
      built_to: chTime(builtTo),
      q_lo: chTime(qLo),
      q_hi: chTime(qHi),
      edges: p.from !== qLo || builtTo !== qHi ? 1 : 0,
      whole_seconds: wholeSecondThresholds(p.config) ? 1 : 0,
      ev_from: chTime(Math.max(p.from, builtTo)),
      ev_to: chTime(p.to),
      interval: p.interval,
      tz: p.config.timezone,
      queue: p.queue ?? '',
      ...queueParams(p.config),
      ...expiryParams(expiryMs, now),
    },
    // Rows as arrays (no key per value): half the text to write and parse of JSONEachRow.
    format: 'JSONCompact',
  });
  const { meta, data } = await rs.json<Num[]>();
  const names = (meta ?? []).map((m) => m.name);
  const col = (name: string): number => {
    const i = names.indexOf(name);
    if (i < 0) throw new Error(`intervals.sql has no column "${name}"`);
    return i;
  };
  const [
    start,
    queue,
    offered,
    answered,
    within,
    abandoned,
    short,
    sl,
    asa,
    aht,
    rate,
    handled,
    waitSum,
    handleSum,
    expired,
  ] = [
    'interval_start_ms',
    'queue',
    'offered',
    'answered',
    'answered_within_threshold',
    'abandoned',
    'short_abandoned',
    'service_level',
    'asa_s',
    'aht_s',
    'answer_rate',
    'handled',
    'wait_sum_ms',
    'handle_sum_ms',
    'expired',
  ].map(col) as number[] as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return data.map((r) => ({
    interval_start_ms: n(r[start] ?? null),
    queue: String(r[queue]),
    offered: n(r[offered] ?? null),
    answered: n(r[answered] ?? null),
    answered_within_threshold: n(r[within] ?? null),
    abandoned: n(r[abandoned] ?? null),
    short_abandoned: n(r[short] ?? null),
    service_level: nn(r[sl] ?? null),
    asa_s: nn(r[asa] ?? null),
    aht_s: nn(r[aht] ?? null),
    answer_rate: nn(r[rate] ?? null),
    handled: n(r[handled] ?? null),
    wait_sum_ms: n(r[waitSum] ?? null),
    handle_sum_ms: n(r[handleSum] ?? null),
    expired: n(r[expired] ?? null),
  }));
}

// ---- Workforce reports (conformance, adherence, attendance, absences) -------------------

// The workforce reports (conformance, adherence, attendance, absences) live in
// queries/workforce.ts and the roster reads in queries/roster.ts; re-exported so callers
// keep one import.
export * from './workforce.js';
export * from './roster.js';
export { chTime, report, REPORTS_DIR } from './sql.js';
