// Incidents (故障) and their warning level (预警 黄/橙/红) by users affected, plus the bulletin
// (资讯) rule: within 3 h after a sudden fault starts, 24 h before planned work. Pure; the
// route hands in ids and `now`.
import type { AlertLevelName } from '../site-config.js';
import type { QualityConfig } from './config.js';

export type IncidentKind = 'sudden' | 'planned';

export interface Incident {
  id: string;
  site: string;
  title: string;
  users_affected: number;
  services: string[];
  kind: IncidentKind;
  /** Fault start (sudden) or work start (planned), epoch ms. */
  start: number;
  level: AlertLevelName;
  bulletin: string | null;
  bulletin_at: number | null;
  /** The bulletin must be out by this instant. */
  bulletin_due: number;
  created_at: number;
  created_by: string;
  resolved_at: number | null;
  resolved_by: string | null;
}

/** The level of the highest band reached, or info below the lowest band. */
export function incidentLevel(users: number, q: QualityConfig): AlertLevelName {
  let level: AlertLevelName = 'info';
  let best = -1;
  for (const b of q.incident_bands)
    if (users >= b.min_users && b.min_users > best) {
      best = b.min_users;
      level = b.level;
    }
  return level;
}

export function bulletinDue(kind: IncidentKind, start: number, q: QualityConfig): number {
  return kind === 'sudden'
    ? start + q.bulletin.sudden_h * 3_600_000
    : start - q.bulletin.planned_h * 3_600_000;
}

/** Whether a published bulletin met its deadline; null while none is published. */
export function bulletinOnTime(i: Pick<Incident, 'bulletin_at' | 'bulletin_due'>): boolean | null {
  return i.bulletin_at === null ? null : i.bulletin_at <= i.bulletin_due;
}

export interface IncidentInput {
  title?: unknown;
  users_affected?: unknown;
  services?: unknown;
  start?: unknown;
  kind?: unknown;
  bulletin?: unknown;
}

export class IncidentInputError extends Error {
  readonly code = 'invalid_incident';
}

const SERVICE = /^[^\u0000-\u001f]{1,64}$/;

/** Validates a POST body into an incident (bounded strings and counts, plain reasons). */
export function parseIncident(
  body: unknown,
  ids: { id: string; site: string; now: number; by: string },
  q: QualityConfig,
): Incident {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new IncidentInputError('the body must be a JSON object');
  const b = body as IncidentInput;
  const known = ['title', 'users_affected', 'services', 'start', 'kind', 'bulletin'];
  for (const k of Object.keys(b))
    if (!known.includes(k))
      throw new IncidentInputError(`${k} is not a known key (known: ${known.join(', ')})`);
  const users = b.users_affected;
  if (typeof users !== 'number' || !Number.isInteger(users) || users < 0 || users > 1_000_000_000)
    throw new IncidentInputError('users_affected must be a whole number from 0 to 1000000000');
  const services = b.services ?? [];
  if (
    !Array.isArray(services) ||
    services.length > 32 ||
    !services.every((s) => typeof s === 'string' && SERVICE.test(s))
  ) {
    throw new IncidentInputError(
      'services must be an array of at most 32 names of 1 to 64 characters',
    );
  }
  const title = b.title ?? '';
  if (typeof title !== 'string' || title.length > 200 || /[\u0000-\u001f]/.test(title))
    throw new IncidentInputError('title must be text of at most 200 characters');
  const kind = b.kind ?? 'sudden';
  if (kind !== 'sudden' && kind !== 'planned')
    throw new IncidentInputError('kind must be "sudden" or "planned"');
  let start = ids.now;
  if (b.start !== undefined) {
    const ok =
      typeof b.start === 'string' &&
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/.test(b.start);
    start = ok ? Date.parse((b.start as string).replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : NaN;
    if (!Number.isFinite(start))
      throw new IncidentInputError(
        'start must be ISO-8601 with an offset, e.g. 2026-11-23T09:00:00+08:00',
      );
  }
  const bulletin = b.bulletin ?? null;
  if (bulletin !== null && (typeof bulletin !== 'string' || bulletin.length > 2000))
    throw new IncidentInputError('bulletin must be text of at most 2000 characters');
  return {
    id: ids.id,
    site: ids.site,
    title,
    users_affected: users,
    services: [...services] as string[],
    kind,
    start,
    level: incidentLevel(users, q),
    bulletin: bulletin as string | null,
    bulletin_at: bulletin === null ? null : ids.now,
    bulletin_due: bulletinDue(kind, start, q),
    created_at: ids.now,
    created_by: ids.by,
    resolved_at: null,
    resolved_by: null,
  };
}
