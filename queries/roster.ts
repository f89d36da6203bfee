// Typed reads of the rosters and excused time a workforce report stands on: the roster in
// force, its upload history, the sites with a roster, and excused spans (queries/reports/).
import type { Store } from './store.js';
import { chTime, n, report, type Num } from './sql.js';
import { workforceRows } from './workforce.js';

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
export async function rosterSegments(
  store: Store,
  p: { site: string; fromDay: string; toDay: string },
): Promise<RosterRow[]> {
  const rows = await workforceRows<Record<string, Num>>(
    store,
    report('conformance-roster', store.database),
    { site: p.site, from_day: p.fromDay, to_day: p.toDay },
  );
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
export async function excusedSpans(
  store: Store,
  p: { site: string; from: number; to: number; agents: string[] },
): Promise<ExcusedRow[]> {
  const rows = await workforceRows<Record<string, Num>>(
    store,
    report('conformance-excused', store.database),
    { site: p.site, from: chTime(p.from), to: chTime(p.to), agents: p.agents },
  );
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
export async function rosterHistory(
  store: Store,
  p: { site: string; day: string },
): Promise<RosterHistoryRow[]> {
  const rows = await workforceRows<Record<string, Num>>(
    store,
    report('conformance-roster-history', store.database),
    { site: p.site, day: p.day },
  );
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
  const rows = await workforceRows<{ site: string }>(
    store,
    report('conformance-roster-sites', store.database),
    { from_day: fromDay },
  );
  return rows.map((r) => r.site);
}
