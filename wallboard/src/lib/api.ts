// Typed calls to the server's API v1 (design.md). Row field names are the API's, fixed.
import type { SeriesBody } from '../../../ingest/src/core/feed/live-series.js';
import type { AlertView, LiveSnapshot } from '../../../ingest/src/core/snapshot.js';
import type { SiteConfig } from '../../../ingest/src/core/site-config.js';
import type { Handover } from '../../../ingest/src/core/alerts/handover.js';

export class ApiError extends Error {
  readonly code = 'api_error';
  constructor(
    readonly status: number,
    message: string,
    options?: { cause?: unknown },
    /** Seconds to wait before asking again (a 503's Retry-After), or null. */
    readonly retryAfterS: number | null = null,
  ) {
    super(message, options);
  }
}

/** The session's CSRF token (the fw_csrf cookie), sent back on every state-changing call. */
export function csrfToken(): string {
  const m = /(?:^|;\s*)fw_csrf=([^;]+)/.exec(
    typeof document === 'undefined' ? '' : document.cookie,
  );
  return m ? (m[1] as string) : '';
}

export function withCsrf(init?: RequestInit): RequestInit | undefined {
  const method = (init?.method ?? 'GET').toUpperCase();
  if (method === 'GET' || method === 'HEAD') return init;
  return {
    ...init,
    headers: {
      ...(init?.headers as Record<string, string> | undefined),
      'X-CSRF-Token': csrfToken(),
    },
  };
}

async function json<T>(path: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, withCsrf(init));
  } catch (cause) {
    throw new ApiError(0, `network error on ${path}`, { cause });
  }
  const text = await res.text();
  if (!res.ok) {
    let msg = text;
    try {
      const body = JSON.parse(text) as { error?: string; message?: string };
      msg = body.error ?? body.message ?? text;
    } catch {
      /* plain-text error body */
    }
    const retry = Number(res.headers.get('Retry-After'));
    throw new ApiError(
      res.status,
      `${res.status} ${msg}`.trim(),
      undefined,
      res.status === 503 && retry > 0 ? retry : null,
    );
  }
  return JSON.parse(text) as T;
}

export interface SiteSummary {
  site: string;
  timezone?: string;
}

/** GET /api/sites: accepts a bare array of names or objects, or {sites:[…]}. */
export async function getSites(): Promise<SiteSummary[]> {
  const body = await json<unknown>('/api/sites');
  const list = Array.isArray(body) ? body : ((body as { sites?: unknown[] }).sites ?? []);
  return list
    .map((s) => (typeof s === 'string' ? { site: s } : (s as SiteSummary)))
    .filter((s) => typeof s.site === 'string');
}

export const getSiteConfig = (site: string): Promise<SiteConfig> =>
  json<SiteConfig>(`/api/sites/${encodeURIComponent(site)}`);
/** GET /api/live/series: the "last hours" chart the server keeps (core/feed/live-series.ts). */
export const getSeries = (site: string): Promise<SeriesBody> =>
  json<SeriesBody>(`/api/live/series?site=${encodeURIComponent(site)}`);
export const getLive = (site: string): Promise<LiveSnapshot> =>
  json<LiveSnapshot>(`/api/live?site=${encodeURIComponent(site)}`);

/** The members of a grouped alert, from the URL the group names (GET /api/alerts?…&kind=…). */
export const getAlertMembers = (url: string): Promise<{ alerts: AlertView[] }> =>
  json<{ alerts: AlertView[] }>(url);

/** Acknowledges an alert as the signed-in person (the server takes the name from the session). */
export function ackAlert(id: string, note: string): Promise<AlertView | { ok: boolean }> {
  return json(`/api/alerts/${encodeURIComponent(id)}/ack`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(note ? { note } : {}),
  });
}

export interface IntervalRow {
  interval_start: string;
  queue: string;
  offered: number;
  answered: number;
  answered_within_threshold: number;
  abandoned: number;
  short_abandoned: number;
  service_level: number | null;
  asa_s: number | null;
  aht_s: number | null;
  answer_rate: number | null;
  /** Calls expired in the interval (docs/definitions.md, "Expired"; added to v1). */
  expired: number;
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
  /** by=agent: the agent's rostered team that day (additive to v1). */
  team?: string;
}

export interface AdherenceRow {
  date: string;
  key: string;
  scheduled_s: number;
  in_adherence_s: number;
  adherence: number | null;
}

export interface AttendanceRow {
  date: string;
  key: string;
  scheduled: number;
  attended: number;
  attendance: number | null;
}

/** GET /api/reports/absences: agents absent at least one day of a month (缺勤). */
export interface AbsenceRow {
  agent: string;
  team: string;
  absent_days: number;
  days: string[];
  /** More than the site's absence_days_flag (default 5) days: to be reported to the manager. */
  flagged: boolean;
}
export interface Absences {
  month: string;
  flag_above_days: number;
  rows: AbsenceRow[];
}

/** Report bodies may be a bare array or {rows:[…]}. */
function rows<T>(body: unknown): T[] {
  return Array.isArray(body) ? (body as T[]) : ((body as { rows?: T[] }).rows ?? []);
}

function qs(params: Record<string, string | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) p.set(k, v);
  return p.toString();
}

export async function getIntervals(
  site: string,
  from: string,
  to: string,
  interval: number,
  queue?: string,
): Promise<IntervalRow[]> {
  return rows<IntervalRow>(
    await json(
      `/api/reports/intervals?${qs({ site, from, to, interval: String(interval), queue })}`,
    ),
  );
}
export async function getConformance(
  site: string,
  from: string,
  to: string,
  by: 'agent' | 'team' | 'site',
): Promise<ConformanceRow[]> {
  return rows<ConformanceRow>(await json(`/api/reports/conformance?${qs({ site, from, to, by })}`));
}
export async function getAdherence(
  site: string,
  from: string,
  to: string,
  by: 'agent' | 'team' | 'site',
): Promise<AdherenceRow[]> {
  return rows<AdherenceRow>(await json(`/api/reports/adherence?${qs({ site, from, to, by })}`));
}
export async function getAttendance(
  site: string,
  from: string,
  to: string,
  by: 'team' | 'site',
): Promise<AttendanceRow[]> {
  return rows<AttendanceRow>(await json(`/api/reports/attendance?${qs({ site, from, to, by })}`));
}

export const getAbsences = (site: string, month: string): Promise<Absences> =>
  json<Absences>(`/api/reports/absences?${qs({ site, month })}`);

/** GET /api/handover: shape owned by the alert engine (ingest/src/core/alerts/handover.ts). */
export type { Handover } from '../../../ingest/src/core/alerts/handover.js';
export const getHandover = (site: string, since: string): Promise<Handover> =>
  json<Handover>(`/api/handover?${qs({ site, since })}`);

/** GET /api/reports/quality (#21): rows per day and key, with each figure's formula and target. */
export interface QualityReport {
  by: 'site' | 'team' | 'category' | 'department';
  targets: {
    on_time_rate: number;
    follow_up_rate: number;
    satisfaction: number;
    fcr: number;
    repeat_rate_max: number;
  };
  formulas: Record<string, string>;
  fcr_days: number;
  repeat_days: number;
  rows: import('../../../ingest/src/core/quality/figures.js').QualityRow[];
}
export const getQuality = (
  site: string,
  from: string,
  to: string,
  by: QualityReport['by'],
): Promise<QualityReport> =>
  json<QualityReport>(`/api/reports/quality?${qs({ site, from, to, by })}`);
/** The server's CSV export of the same report (cells that look like formulas are defused there). */
export const qualityCsvUrl = (
  site: string,
  from: string,
  to: string,
  by: QualityReport['by'],
): string => `/api/reports/quality?${qs({ site, from, to, by, format: 'csv' })}`;
