// Typed functions for the work-state history (issue 24): the break-request steps and the
// time over the not-ready limits per span, agent and day (queries/workstate/*.sql).
import type { Store } from './store.js';
import type { WorkStateConfig } from '../ingest/src/core/workstate/config.js';
import type { BreakRequest, RequestChange } from '../ingest/src/core/workstate/engine.js';
import { chTime, sqlFile } from './sql.js';

const sql = (name: string, db: string): string => sqlFile('workstate', name, db);

async function rows<T>(store: Store, name: string, params: Record<string, unknown>): Promise<T[]> {
  const rs = await store.client.query({
    query: sql(name, store.database),
    query_params: params,
    format: 'JSONEachRow',
  });
  return rs.json<T>();
}

/** Appends one row per request step (one insert for the list). */
export async function persistRequestChanges(
  store: Store,
  site: string,
  changes: readonly RequestChange[],
): Promise<void> {
  if (changes.length === 0) return;
  const lines = changes.map((c) =>
    JSON.stringify({
      site,
      id: c.request.id,
      action: c.action,
      at: chTime(c.at),
      by: c.by,
      agent: c.request.agent,
      team: c.request.team,
      reason: c.request.reason,
      minutes: c.request.minutes,
      source: c.request.source,
      requested_at: chTime(c.request.requested_at),
      requested_by: c.request.requested_by,
      status: c.request.status,
      note: c.request.note ?? '',
    }),
  );
  await store.insertNdjson('break_requests', Buffer.from(lines.join('\n') + '\n'));
}

export interface RequestStepRow {
  id: string;
  action: string;
  at: number;
  by: string;
  agent: string;
  team: string;
  reason: string;
  minutes: number | null;
  source: string;
  requested_at: number;
  requested_by: string;
  status: string;
  note: string;
}

export async function breakRequestSteps(
  store: Store,
  site: string,
  from: number,
  to: number,
): Promise<RequestStepRow[]> {
  type Raw = Omit<RequestStepRow, 'at' | 'requested_at' | 'minutes'> & {
    at_ms: string | number;
    requested_ms: string | number;
    minutes: number | string | null;
  };
  const r = await rows<Raw>(store, 'break-requests', { site, from: chTime(from), to: chTime(to) });
  return r.map(({ at_ms, requested_ms, minutes, ...x }) => ({
    ...x,
    at: Number(at_ms),
    requested_at: Number(requested_ms),
    minutes: minutes === null ? null : Number(minutes),
  }));
}

/** Each request of [from, to) in its newest step's state (for the restart). */
export async function requestsSince(
  store: Store,
  site: string,
  from: number,
  to: number,
): Promise<BreakRequest[]> {
  const steps = await breakRequestSteps(store, site, from, to);
  const last = new Map<string, RequestStepRow>();
  for (const s of steps) last.set(s.id, s);
  return [...last.values()].map((s) => ({
    id: s.id,
    site,
    agent: s.agent,
    team: s.team,
    reason: s.reason,
    minutes: s.minutes,
    source: s.source === 'board' ? 'board' : 'event',
    requested_at: s.requested_at,
    requested_by: s.requested_by,
    status: s.status as BreakRequest['status'],
    decided_at: s.action === 'requested' ? null : s.at,
    decided_by: s.action === 'requested' ? null : s.by,
    note: s.note || null,
  }));
}

export interface OverrunSpan {
  agent: string;
  team: string;
  reason: string;
  day: string;
  start: number;
  end: number;
  limit_s: number;
  over_s: number;
}

/** Limits as the SQL takes them: numeric limits only ("rostered" ones need the roster; the live engine judges them). */
export function limitArrays(cfg: WorkStateConfig): { lim_keys: string[]; lim_ms: number[] } {
  const keys: string[] = [];
  const ms: number[] = [];
  for (const [reason, lim] of Object.entries(cfg.limits_min))
    if (typeof lim === 'number') {
      keys.push(`*\t${reason}`);
      ms.push(lim * 60_000);
    }
  for (const [team, m] of Object.entries(cfg.team_limits_min))
    for (const [reason, lim] of Object.entries(m))
      if (typeof lim === 'number') {
        keys.push(`${team}\t${reason}`);
        ms.push(lim * 60_000);
      }
  return { lim_keys: keys, lim_ms: ms };
}

// 24 h before the range: a run that began the evening before still needs its start.
const LOOKBACK_MS = 24 * 3_600_000;

export async function overrunSpans(
  store: Store,
  p: {
    site: string;
    from: number;
    to: number;
    now: number;
    timezone: string;
    dayStartMin: number;
    config: WorkStateConfig;
  },
): Promise<OverrunSpan[]> {
  const { lim_keys, lim_ms } = limitArrays(p.config);
  if (lim_keys.length === 0) return [];
  type Raw = {
    agent: string;
    team: string | null;
    reason: string;
    day: string;
    start_ms: string | number;
    end_ms: string | number;
    limit_ms: string | number;
    over_ms: string | number;
  };
  const r = await rows<Raw>(store, 'overruns', {
    site: p.site,
    from: chTime(p.from),
    to: chTime(p.to),
    ev_from: chTime(p.from - LOOKBACK_MS),
    now: chTime(p.now),
    tz: p.timezone,
    day_start_min: p.dayStartMin,
    lim_keys,
    lim_ms,
  });
  return r.map((x) => ({
    agent: x.agent,
    team: x.team ?? '',
    reason: x.reason,
    day: x.day,
    start: Number(x.start_ms),
    end: Number(x.end_ms),
    limit_s: Number(x.limit_ms) / 1000,
    over_s: Number(x.over_ms) / 1000,
  }));
}
