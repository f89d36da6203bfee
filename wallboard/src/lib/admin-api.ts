// Calls of the admin and settings pages: users, tokens, audit, site configuration, roster
// and excused time. A refusal keeps the server's own words and its list of problems (each
// with its key path or line), so the page can show them as they are.
import type { Grant } from '../../../ingest/src/core/access/roles.js';
import type { SiteConfig } from '../../../ingest/src/core/site-config.js';
import { withCsrf } from './api.js';

export class Refused extends Error {
  readonly code = 'refused';
  constructor(
    readonly status: number,
    message: string,
    /** Config problems are strings; roster and excused problems are rows. */
    readonly problems: readonly (string | RowProblem)[] = [],
  ) {
    super(message);
  }
}

export interface RowProblem {
  row: number;
  line?: number;
  field?: string;
  error: string;
}

export async function call<T>(path: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, withCsrf(init));
  } catch (e) {
    throw new Refused(0, e instanceof Error ? e.message : String(e));
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    /* a plain-text answer */
  }
  if (!res.ok) {
    const b = (body ?? {}) as { error?: string; errors?: (string | RowProblem)[] };
    throw new Refused(res.status, `${res.status} ${b.error ?? text}`.trim(), b.errors ?? []);
  }
  return body as T;
}

const jsonInit = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

export interface UserView {
  name: string;
  display_name: string;
  grants: Grant[];
  source: string;
  disabled: boolean;
  created_at: string;
  updated_at: string;
}

export const listUsers = async (): Promise<UserView[]> =>
  (await call<{ users: UserView[] }>('/api/users')).users;
export const createUser = (u: {
  name: string;
  display_name?: string;
  password?: string;
  grants: Grant[];
}): Promise<{ user: UserView; password?: string }> => call('/api/users', jsonInit('POST', u));
export const updateUser = (
  name: string,
  p: { display_name?: string; grants?: Grant[]; disabled?: boolean; password?: string },
): Promise<{ user: UserView }> =>
  call(`/api/users/${encodeURIComponent(name)}`, jsonInit('PUT', p));
export const deleteUser = (name: string): Promise<unknown> =>
  call(`/api/users/${encodeURIComponent(name)}`, { method: 'DELETE' });

export interface TokenView {
  id: string;
  kind: 'ingest' | 'kiosk';
  site: string;
  board: string;
  label: string;
  created_by: string;
  created_at: string;
  revoked_at: string | null;
  last_seen_at: string | null;
}

export const listTokens = async (): Promise<TokenView[]> =>
  (await call<{ tokens: TokenView[] }>('/api/tokens')).tokens;
export const createToken = (t: {
  kind: 'ingest' | 'kiosk';
  site: string;
  board?: string;
  label?: string;
}): Promise<TokenView & { token: string; link?: string }> =>
  call('/api/tokens', jsonInit('POST', t));
export const revokeToken = (id: string): Promise<unknown> =>
  call(`/api/tokens/${encodeURIComponent(id)}`, { method: 'DELETE' });

export interface AuditEntry {
  at: string;
  site: string;
  actor: string;
  actor_kind: string;
  action: string;
  target: string;
  detail: unknown;
  address: string;
}

export function auditQuery(p: { site?: string; from?: string; to?: string }, csv = false): string {
  const q = new URLSearchParams();
  if (p.site) q.set('site', p.site);
  if (p.from) q.set('from', p.from);
  if (p.to) q.set('to', p.to);
  if (csv) q.set('format', 'csv');
  return `/api/audit?${q.toString()}`;
}
export const listAudit = async (p: {
  site?: string;
  from?: string;
  to?: string;
}): Promise<AuditEntry[]> => (await call<{ entries: AuditEntry[] }>(auditQuery(p))).entries;

const sitePath = (site: string): string => `/api/sites/${encodeURIComponent(site)}`;

export const getConfig = (site: string): Promise<SiteConfig> => call(sitePath(site));
export const putConfig = (site: string, body: Partial<SiteConfig>): Promise<SiteConfig> =>
  call(sitePath(site), jsonInit('PUT', body));

export interface RosterResult {
  accepted: number;
  agent_days: number;
  replaced_agent_days: number;
  dry_run?: boolean;
  errors: RowProblem[];
}
/** PUT the roster; with `check`, the server validates everything and stores nothing. */
export const putRoster = (site: string, csv: string, check: boolean): Promise<RosterResult> =>
  call(`${sitePath(site)}/roster${check ? '?dry_run=1' : ''}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'text/csv' },
    body: csv,
  });

export const postExcused = (
  site: string,
  span: { agent: string; start: string; end: string; reason: string },
): Promise<{ accepted: number }> => call(`${sitePath(site)}/excused`, jsonInit('POST', span));
