// Stored workforce figures of closed operating days (migration 0021): a history report reads
// each closed day's agent-day rows from workforce_day_facts and derives only the open days
// (today, and a day whose shifts or sign-out grace have not ended) from the events.
// A day is (re)built with the same SQL as the report (conformance-agent-days.sql) for that
// day alone, reading events from 48 h before its start (as a report starting on that day
// does) up to its last segment end + the sign-out grace: a later event cannot change its
// figures (every run overlap is clipped to the segments, and the sign-in window closes at
// last work end + grace). A stored day is stale, and rebuilt on the next report, when the
// count of stored events of the UTC days it reads differs from the count taken before its
// build (store.eventDays, see ingest/src/core/event-days.ts), a newer roster version of the
// day exists, or the excused spans near it changed.
// A day's figures in a longer range also depend on events before its own look-back: an
// agent whose last event before it left them signed in (no sign-out, e.g. days off after a
// shift) is still signed in when the range reads that event. So a day is stored in two
// variants (migration 0022): everyone starting the look-back logged out, and, for those
// agents only, starting in that state; a report picks per agent-day what deriving its
// whole range from events gives (they rarely differ: only for agents signed in over days off).
import { createHash } from 'node:crypto';
import { chTime } from './sql.js';
import type { Store } from './store.js';
import { dayStartMs, nextDay } from '../ingest/src/core/workforce/time.js';
import type { SiteConfig } from '../ingest/src/core/site-config.js';
import { utcDayNumber } from '../ingest/src/core/event-days.js';
import { seededEventDays } from './ingest.js';

/** A stored build of one operating day: read its rows with workforce-fact-read.sql. */
export interface WorkforceFactBuild {
  day: string;
  version: number;
}

export interface WorkforceFactPlan {
  /** Closed days with a fresh stored build. */
  stored: WorkforceFactBuild[];
  /** The first day to derive from events (it and every later day of the range), or null. */
  openFrom: string | null;
  /** Days built (or rebuilt) by this call. */
  built: number;
}

interface DayStatus {
  day: string;
  version_ms: number | string;
  built_roster_v: number | string;
  built_excused_fp: string;
  built_events_seen: number | string;
  roster_v: number | string;
  max_end_ms: number | string;
  excused_fp: string;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
// Must equal the report's look-back (queries/index.ts WORKFORCE_LOOKBACK_MS).
const LOOKBACK_MS = 48 * HOUR_MS;
// How far back a report can read before a stored day: the longest range (366 days,
// ingest/src/adapters/http/range.ts) plus the look-back.
const PRIOR_BACK_MS = 368 * DAY_MS;

/** Fingerprint of the settings a day's figures depend on: another value reads other facts. */
export function workforceConfigKey(cfg: SiteConfig, params: Record<string, unknown>): string {
  const parts = [
    'v2',
    cfg.timezone,
    cfg.day_start,
    params['early_ms'],
    params['late_ms'],
    params['work'],
    params['adh_acts'],
    params['adh_allowed'],
  ];
  return createHash('sha1').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

/**
 * Makes sure every closed day of [fromDay, toDay] has a fresh stored build (building the
 * missing or stale ones) and says which days to read from storage and which to derive.
 * `params` are the report's parameters (queries/index.ts workforceParams); `agentDaysSql`
 * is conformance-agent-days.sql for the store's database.
 */
export async function ensureWorkforceFacts(
  store: Store,
  p: { site: string; fromDay: string; toDay: string; now: number; config: SiteConfig },
  params: Record<string, unknown>,
  sql: { status: string; build: string; prior: string },
): Promise<WorkforceFactPlan> {
  const cfgKey = workforceConfigKey(p.config, params);
  // One check-and-build at a time per site and settings in this process: two concurrent
  // reports must not store two builds of a day with the same version (the read would count
  // its rows twice); the second waits and then finds the first one's builds fresh.
  const key = `${store.database}|${p.site}|${cfgKey}`;
  const prev = inFlight.get(key) ?? Promise.resolve();
  const run = prev.then(() => ensureLocked(store, p, params, sql, cfgKey));
  const tail = run.catch(() => {});
  inFlight.set(key, tail);
  void tail.then(() => {
    if (inFlight.get(key) === tail) inFlight.delete(key);
  });
  return run;
}

const inFlight = new Map<string, Promise<unknown>>();

async function ensureLocked(
  store: Store,
  p: { site: string; fromDay: string; toDay: string; now: number; config: SiteConfig },
  params: Record<string, unknown>,
  sql: { status: string; build: string; prior: string },
  cfgKey: string,
): Promise<WorkforceFactPlan> {
  const lateMs = Number(params['late_ms']);
  const rs = await store.client.query({
    query: sql.status,
    query_params: { site: p.site, cfg: cfgKey, from_day: p.fromDay, to_day: p.toDay },
    format: 'JSONEachRow',
  });
  const status = new Map((await rs.json<DayStatus>()).map((r) => [r.day, r]));
  const tz = p.config.timezone;
  const ds = p.config.day_start;

  // Closed days in order, up to the first open one; days without a roster have no rows.
  const closed: { day: string; st: DayStatus; cut: number; evFrom: number }[] = [];
  let openFrom: string | null = null;
  for (let d = p.fromDay; d <= p.toDay; d = nextDay(d)) {
    const st = status.get(d);
    if (!st || Number(st.roster_v) === 0) continue;
    const cut = Number(st.max_end_ms) + lateMs;
    if (cut > p.now || dayStartMs(nextDay(d), tz, ds) > p.now) {
      openFrom = d;
      break;
    }
    closed.push({ day: d, st, cut, evFrom: dayStartMs(d, tz, ds) - LOOKBACK_MS });
  }
  if (closed.length === 0) return { stored: [], openFrom: openFrom ?? p.fromDay, built: 0 };

  // Stored events of the UTC days a day reads: before the look-back back to a report's
  // longest range (its state before the look-back), up to its last segment end + grace.
  const ledger = await seededEventDays(store, p.site);
  const seenBy = (c: { evFrom: number; cut: number }): number =>
    ledger.count(p.site, utcDayNumber(c.evFrom - PRIOR_BACK_MS), utcDayNumber(c.cut));

  const stored: WorkforceFactBuild[] = [];
  let built = 0;
  for (const c of closed) {
    const v = Number(c.st.version_ms);
    // Read before the build: every event counted here is visible to it.
    const seen = seenBy(c);
    const fresh =
      v > 0 &&
      String(c.st.built_roster_v) === String(c.st.roster_v) &&
      c.st.built_excused_fp === c.st.excused_fp &&
      Number(c.st.built_events_seen) === seen;
    if (fresh) {
      stored.push({ day: c.day, version: v });
      continue;
    }
    const version = Math.max(Date.now(), v + 1);
    // Agents whose last event before the look-back left them signed in: their second variant.
    const prs = await store.client.query({
      query: sql.prior,
      query_params: {
        site: p.site,
        day: c.day,
        day_to: c.day,
        before: chTime(c.evFrom),
        back_ms: PRIOR_BACK_MS,
      },
      format: 'JSONEachRow',
    });
    const prior = await prs.json<{ agent: string; k: string; t_ms: number | string }>();
    const common = {
      ...params,
      site: p.site,
      cfg: cfgKey,
      version: chTime(version),
      from_day: c.day,
      to_day: c.day,
      ev_from: chTime(c.evFrom),
      ev_to: chTime(c.cut),
      prior_agents: prior.map((r) => r.agent),
      prior_ms: prior.map((r) => Number(r.t_ms)),
    };
    await store.client.command({
      query: sql.build,
      query_params: { ...common, variant: 0, only_agents: [], init_agents: [], init_keys: [] },
    });
    if (prior.length > 0) {
      const agents = prior.map((r) => r.agent);
      await store.client.command({
        query: sql.build,
        query_params: {
          ...common,
          variant: 1,
          only_agents: agents,
          init_agents: agents,
          init_keys: prior.map((r) => r.k),
        },
      });
    }
    await store.client.insert({
      table: `${store.database}.workforce_fact_days`,
      values: [
        {
          site: p.site,
          cfg: cfgKey,
          day: c.day,
          version: chTime(version),
          roster_v: String(c.st.roster_v),
          excused_fp: c.st.excused_fp,
          rows: 0,
          events_seen: seen,
        },
      ],
      format: 'JSONEachRow',
    });
    stored.push({ day: c.day, version });
    built++;
  }
  return { stored, openFrom, built };
}
