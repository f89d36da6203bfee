// Alert lifecycle rows and webhook delivery attempts in ClickHouse (tables of migrations
// 0030 and 0031; SQL in queries/reports/alerts-*.sql). A change is appended as a full-state
// row; the newest row per id is the alert's current state.
import { DateTime } from 'luxon';
import type { AlertChange } from '../../core/modules.js';
import type { AlertAction, AlertLevel, AlertView } from '../../core/snapshot.js';
import { chTime, report } from '../../../../queries/sql.js';
import type { Store } from '../../../../queries/store.js';

const sql = report;

export class AlertStoreError extends Error {
  readonly code = 'alert_store_failed';
}

const RANK: Record<AlertChange['kind'], number> = {
  raised: 0,
  updated: 1,
  escalated: 1,
  acked: 2,
  cleared: 3,
};

function changeAt(c: AlertChange): number {
  if (c.at !== undefined) return c.at;
  const a = c.alert;
  const t =
    c.kind === 'cleared'
      ? a.cleared_at
      : c.kind === 'acked'
        ? a.acked_at
        : c.kind === 'escalated'
          ? a.escalated_at
          : a.raised_at;
  return Date.parse(t ?? a.raised_at);
}

const ms = (iso: string | null | undefined): string | null =>
  iso ? chTime(Date.parse(iso)) : null;

/** Appends one lifecycle row per change (one insert for the whole list). */
export async function persistAlertChanges(
  store: Store,
  site: string,
  changes: readonly AlertChange[],
): Promise<void> {
  if (changes.length === 0) return;
  const lines = changes.map((c) => {
    const a = c.alert;
    return JSON.stringify({
      site,
      id: a.id,
      change: c.kind,
      at: chTime(changeAt(c)),
      rank: RANK[c.kind],
      kind: a.kind,
      level: a.level,
      queue: a.queue,
      agent: a.agent,
      team: a.team,
      rule: a.rule ?? null,
      raised_at: ms(a.raised_at),
      acked_at: ms(a.acked_at),
      acked_by: a.acked_by,
      ack_note: a.ack_note,
      cleared_at: ms(a.cleared_at),
      clear_reason: a.clear_reason,
      escalated_at: ms(a.escalated_at),
      message: a.message,
      message_zh: a.message_zh ?? '',
      action: a.action,
      action_zh: a.action_zh ?? null,
      action_detail: a.action_detail ? JSON.stringify(a.action_detail) : '',
    });
  });
  try {
    await store.insertNdjson('alerts', Buffer.from(lines.join('\n') + '\n'));
  } catch (e) {
    throw new AlertStoreError(
      `storing ${changes.length} alert changes of site ${site} failed: ${(e as Error).message}`,
      { cause: e },
    );
  }
}

interface AlertRow {
  id: string;
  site: string;
  kind: string;
  level: string;
  queue: string | null;
  agent: string | null;
  team: string | null;
  rule: string | null;
  raised_ms: string | number;
  acked_ms: string | number | null;
  acked_by: string | null;
  ack_note: string | null;
  cleared_ms: string | number | null;
  clear_reason: string | null;
  escalated_ms: string | number | null;
  message: string;
  message_zh: string;
  action: string | null;
  action_zh: string | null;
  action_detail: string;
}

function toView(r: AlertRow, zone: string): AlertView {
  const iso = (v: string | number | null): string | null =>
    v === null
      ? null
      : (DateTime.fromMillis(Number(v), { zone }).toISO({ suppressMilliseconds: false }) ??
        new Date(Number(v)).toISOString());
  let detail: AlertAction | null = null;
  if (r.action_detail) {
    try {
      detail = JSON.parse(r.action_detail) as AlertAction;
    } catch {
      detail = null;
    }
  }
  return {
    id: r.id,
    site: r.site,
    kind: r.kind,
    level: r.level as AlertLevel,
    queue: r.queue,
    agent: r.agent,
    team: r.team,
    raised_at: iso(r.raised_ms) as string,
    acked_at: iso(r.acked_ms),
    acked_by: r.acked_by,
    ack_note: r.ack_note,
    cleared_at: iso(r.cleared_ms),
    clear_reason: r.clear_reason,
    message: r.message,
    action: r.action,
    message_zh: r.message_zh || r.message,
    action_zh: r.action_zh,
    action_detail: detail,
    rule: r.rule,
    escalated_at: iso(r.escalated_ms),
  };
}

async function rows<T>(store: Store, name: string, params: Record<string, unknown>): Promise<T[]> {
  const rs = await store.client.query({
    query: sql(name, store.database),
    query_params: params,
    format: 'JSONEachRow',
  });
  return rs.json<T>();
}

/** 5000 rows: a day of a large centre's alerts; a longer look-back pages by from/to. */
export const MAX_ALERT_ROWS = 5000;

export interface AlertQuery {
  site: string;
  from: number;
  to: number;
  activeOnly: boolean;
  limit?: number;
  zone: string;
}

export async function listAlerts(store: Store, q: AlertQuery): Promise<AlertView[]> {
  const r = await rows<AlertRow>(store, 'alerts-list', {
    site: q.site,
    from: chTime(q.from),
    to: chTime(q.to),
    active_only: q.activeOnly ? 1 : 0,
    limit: Math.min(q.limit ?? MAX_ALERT_ROWS, MAX_ALERT_ROWS),
  });
  return r.map((x) => toView(x, q.zone));
}

export async function alertById(
  store: Store,
  site: string,
  id: string,
  zone: string,
): Promise<AlertView | undefined> {
  const r = await rows<AlertRow>(store, 'alerts-by-id', { site, id });
  return r[0] ? toView(r[0], zone) : undefined;
}

/** Every alert not yet cleared, grouped by site (for the start-up loader). */
export async function loadActiveAlerts(
  store: Store,
  zoneOf: (site: string) => string = () => 'UTC',
): Promise<Map<string, AlertView[]>> {
  const out = new Map<string, AlertView[]>();
  for (const r of await rows<AlertRow>(store, 'alerts-active', {})) {
    const list = out.get(r.site) ?? [];
    list.push(toView(r, zoneOf(r.site)));
    out.set(r.site, list);
  }
  return out;
}

/** Restores stored active alerts into each site's live engine; returns how many. */
export async function restoreActiveAlerts(
  store: Store,
  sites: {
    alerts(site: string): { restore(a: readonly AlertView[]): void } | undefined;
    config(site: string): { timezone: string };
  },
): Promise<number> {
  let n = 0;
  for (const [site, list] of await loadActiveAlerts(store, (s) => sites.config(s).timezone)) {
    const engine = sites.alerts(site);
    if (!engine) continue;
    engine.restore(list);
    n += list.length;
  }
  return n;
}

export interface DeliveryRow {
  site: string;
  alert_id: string;
  rule: string;
  event: string;
  idempotency_key: string;
  url: string;
  attempt: number;
  at: number;
  status: number;
  outcome: 'delivered' | 'retry' | 'failed';
  error: string;
  duration_ms: number;
  body?: string;
}

export async function insertDelivery(store: Store, d: DeliveryRow): Promise<void> {
  const line = JSON.stringify({
    ...d,
    at: chTime(d.at),
    body: d.body ?? '',
    duration_ms: Math.max(0, Math.round(d.duration_ms)),
  });
  await store.insertNdjson('webhook_deliveries', Buffer.from(line + '\n'));
}

export async function listDeliveries(
  store: Store,
  site: string,
  alertId = '',
  limit = 1000,
): Promise<DeliveryRow[]> {
  const r = await rows<Omit<DeliveryRow, 'at'> & { at_ms: string | number }>(
    store,
    'alerts-deliveries',
    { site, alert_id: alertId, limit },
  );
  return r.map(({ at_ms, ...x }) => ({
    ...x,
    at: Number(at_ms),
    attempt: Number(x.attempt),
    status: Number(x.status),
    duration_ms: Number(x.duration_ms),
  }));
}

/**
 * The site registry's `hydrate` hook for alerts: loads the stored open alerts once, then
 * restores each site's share into its engine before the replay, so the replay's first
 * evaluation finds them open and neither loses nor re-raises them.
 */
export function alertHydrator(
  store: Store,
  zoneOf: (site: string) => string,
): (
  site: string,
  rt: { modules: { alerts?: { restore(a: readonly AlertView[]): void } | undefined } },
) => Promise<void> {
  let loaded: Promise<Map<string, AlertView[]>> | null = null;
  return async (site, rt) => {
    loaded ??= loadActiveAlerts(store, zoneOf);
    const list = (await loaded).get(site);
    if (list?.length) rt.modules.alerts?.restore(list);
  };
}
