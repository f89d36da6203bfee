// GET /api/alerts, POST /api/alerts/{id}/ack and GET /api/handover (API v1 and issue 5).
// The live engine is the truth for open alerts; ClickHouse holds the lifecycle history.
import { DateTime } from 'luxon';
import { intervalsReport } from '../../../../../queries/index.js';
import type { AppContext } from '../../../app-context.js';
import { buildHandover } from '../../../core/alerts/handover.js';
import { parseGroupId } from '../../../core/alerts/group.js';
import type { AlertChange } from '../../../core/modules.js';
import { queueConfig } from '../../../core/site-config.js';
import type { AlertView } from '../../../core/snapshot.js';
import {
  alertById,
  listAlerts,
  listDeliveries,
  persistAlertChanges,
} from '../../clickhouse/alert-store.js';
import { isoInZone, parseInstant, parseRange } from '../range.js';
import { toIntervalRows } from './report-intervals.js';
import { HttpError, requireParam, type ApiRequest, type Router } from '../router.js';
import { actingAs, requireTeams } from '../caller.js';

const SITE_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** Without from/to, state=all looks back one day: a shift and its handover. */
const DEFAULT_LOOKBACK_MS = 86_400_000;
/** Without since, the handover covers one 8-hour shift. */
const DEFAULT_SHIFT_MS = 8 * 3_600_000;
/** A handover further back than a week is a report, not a handover. */
const MAX_HANDOVER_MS = 7 * 86_400_000;

export interface AlertRouteOptions {
  /** Stores an ack (the alert pipeline's persist); defaults to a direct insert. */
  persist?: (site: string, changes: readonly AlertChange[]) => Promise<void>;
}

function siteParam(q: URLSearchParams): string {
  const site = requireParam(q, 'site');
  if (!SITE_RE.test(site))
    throw new HttpError(
      400,
      'query parameter "site" must be 1 to 64 letters, digits, "_", "." or "-"',
    );
  return site;
}

const byRaisedDesc = (a: AlertView, b: AlertView) =>
  Date.parse(b.raised_at) - Date.parse(a.raised_at) || (a.id < b.id ? -1 : 1);

/** Stored alerts overlaid with the live engine's fresher state (an insert may trail by a few ms). */
async function alertsInEffect(
  ctx: AppContext,
  site: string,
  from: number,
  to: number,
  activeOnly: boolean,
): Promise<AlertView[]> {
  const zone = ctx.sites.config(site).timezone;
  const engine = ctx.sites.alerts(site);
  if (activeOnly && engine)
    return engine
      .active()
      .filter((a) => Date.parse(a.raised_at) < to)
      .sort(byRaisedDesc);
  const stored = await listAlerts(ctx.store, { site, from, to, activeOnly, zone });
  const byId = new Map(stored.map((a) => [a.id, engine?.get(a.id) ?? a]));
  for (const a of engine?.active() ?? [])
    if (!byId.has(a.id) && Date.parse(a.raised_at) < to) byId.set(a.id, a);
  // Stored as open but no longer open live (an alert the engine cleared and the insert trails).
  return [...byId.values()].filter((a) => !activeOnly || a.cleared_at === null).sort(byRaisedDesc);
}

function header(req: ApiRequest, name: string): string | undefined {
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(req.headers)) if (k.toLowerCase() === want) return v;
  return undefined;
}

function ackInput(req: ApiRequest): { by: string; note: string | null } {
  let body: Record<string, unknown> = {};
  if (req.body.length > 0) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(req.body.toString('utf8'));
    } catch (e) {
      throw new HttpError(400, `the body is not valid JSON: ${(e as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new HttpError(400, 'the body must be a JSON object {"by": "...", "note": "..."}');
    body = parsed as Record<string, unknown>;
  }
  // The signed-in caller; a named user (header, then body) only with an admin or ingest token.
  const claimed = header(req, 'x-floorwatch-user') ?? body['by'];
  const by = actingAs(req, typeof claimed === 'string' ? claimed : undefined) ?? claimed;
  if (typeof by !== 'string' || by.trim().length === 0)
    throw new HttpError(
      400,
      'say who acknowledges: send the X-Floorwatch-User header or "by" in the JSON body',
    );
  if (by.length > 64) throw new HttpError(400, '"by" must be at most 64 characters');
  const note = body['note'];
  if (note !== undefined && note !== null && (typeof note !== 'string' || note.length > 1000))
    throw new HttpError(400, '"note" must be a string of at most 1000 characters');
  return { by: by.trim(), note: typeof note === 'string' && note.length > 0 ? note : null };
}

export function registerAlertRoutes(
  router: Router,
  ctx: AppContext,
  opts: AlertRouteOptions = {},
): void {
  const persist =
    opts.persist ??
    ((site: string, changes: readonly AlertChange[]) =>
      persistAlertChanges(ctx.store, site, changes));

  router.add('GET', '/api/alerts', async (req) => {
    const site = siteParam(req.query);
    const cfg = ctx.sites.config(site);
    const state = req.query.get('state') ?? 'active';
    if (state !== 'active' && state !== 'all')
      throw new HttpError(400, 'query parameter "state" must be "active" or "all"');
    const now = ctx.now();
    const ranged = req.query.has('from') || req.query.has('to');
    const { from, to } = ranged
      ? parseRange(req.query, cfg.timezone)
      : state === 'all'
        ? { from: now - DEFAULT_LOOKBACK_MS, to: now + 60_000 }
        : { from: 0, to: now + 60_000 };
    // kind=…: the members of a grouped alert on the board (core/alerts/group.ts).
    const kind = req.query.get('kind');
    if (kind !== null && !/^[a-z_]{1,64}$/.test(kind))
      throw new HttpError(400, 'query parameter "kind" must be an alert kind such as "adherence"');
    const all = await alertsInEffect(ctx, site, from, to, state === 'active');
    const alerts = kind === null ? all : all.filter((a) => a.kind === kind);
    return {
      status: 200,
      body: {
        site,
        timezone: cfg.timezone,
        state,
        ...(ranged ? { from: isoInZone(from, cfg.timezone), to: isoInZone(to, cfg.timezone) } : {}),
        alerts,
      },
      headers: { 'Cache-Control': 'no-store' },
    };
  });

  router.add('POST', '/api/alerts/:id/ack', async (req) => {
    const id = req.params['id'] ?? '';
    const group = parseGroupId(id);
    if (group && SITE_RE.test(group.site)) return ackGroup(req, group.site, group.kind);
    const site = id.split(':')[0] ?? '';
    if (id.length > 300 || !SITE_RE.test(site))
      throw new HttpError(404, `no alert with id "${id.slice(0, 80)}"`);
    const { by, note } = ackInput(req);
    const now = ctx.now();
    const engine = ctx.sites.alerts(site);
    const live = engine?.get(id);
    const current = live ?? (await alertById(ctx.store, site, id, ctx.sites.config(site).timezone));
    if (!current) throw new HttpError(404, `no alert with id "${id.slice(0, 80)}"`);
    requireTeams(req, site, [current.team], 'acknowledge alerts');
    if (current.cleared_at !== null)
      throw new HttpError(
        409,
        `alert ${id} was cleared at ${current.cleared_at} (${current.clear_reason ?? 'no reason'}); a cleared alert cannot be acknowledged`,
        { alert: current },
      );
    if (current.acked_at !== null)
      return { status: 200, body: { alert: current, already_acknowledged: true } };
    let change: AlertChange | null;
    if (live && engine) change = engine.ack(id, by, note, now);
    else {
      // Open in storage but not held live (no engine for the site): record the ack there.
      const alert: AlertView = {
        ...current,
        acked_at: isoInZone(now, ctx.sites.config(site).timezone),
        acked_by: by,
        ack_note: note,
      };
      change = { kind: 'acked', alert, at: now };
    }
    if (!change) throw new HttpError(409, `alert ${id} cannot be acknowledged now`);
    await persist(site, [change]);
    if (live) ctx.sites.touch(site);
    return {
      status: 200,
      body: { alert: change.alert },
      audit: [
        {
          site,
          action: 'alert.ack',
          target: id,
          detail: {
            by,
            note,
            kind: current.kind,
            level: current.level,
            queue: current.queue,
            team: current.team,
          },
        },
      ],
    };
  });

  /**
   * Acknowledges every open, unacknowledged member of a grouped alert the caller may
   * acknowledge (a team lead: their teams' members), each as its own change and audit entry.
   */
  async function ackGroup(req: ApiRequest, site: string, kind: string) {
    const { by, note } = ackInput(req);
    const engine = ctx.sites.alerts(site);
    const members = (engine?.active() ?? []).filter((a) => a.kind === kind && a.acked_at === null);
    if (!engine || members.length === 0)
      throw new HttpError(404, `no open, unacknowledged ${kind} alerts at site ${site}`);
    const now = ctx.now();
    const changes: AlertChange[] = [];
    for (const m of members) {
      try {
        requireTeams(req, site, [m.team], 'acknowledge alerts');
      } catch {
        continue; // another team's agent: left for its lead
      }
      const c = engine.ack(m.id, by, note, now);
      if (c) changes.push(c);
    }
    if (changes.length === 0)
      throw new HttpError(
        403,
        `none of the ${kind} alerts at site ${site} is yours to acknowledge`,
      );
    await persist(site, changes);
    ctx.sites.touch(site);
    return {
      status: 200,
      body: { acknowledged: changes.length, alerts: changes.map((c) => c.alert) },
      audit: changes.map((c) => ({
        site,
        action: 'alert.ack',
        target: c.alert.id,
        detail: {
          by,
          note,
          kind,
          level: c.alert.level,
          queue: null,
          team: c.alert.team,
          group: true,
        },
      })),
    };
  }

  // Webhook delivery attempts of one alert (status, outcome, idempotency key), oldest first.
  router.add('GET', '/api/alerts/:id/deliveries', async (req) => {
    const id = req.params['id'] ?? '';
    const site = id.split(':')[0] ?? '';
    if (id.length > 300 || !SITE_RE.test(site))
      throw new HttpError(404, `no alert with id "${id.slice(0, 80)}"`);
    const zone = ctx.sites.config(site).timezone;
    const rows = await listDeliveries(ctx.store, site, id);
    return {
      status: 200,
      body: {
        alert_id: id,
        deliveries: rows.map(({ body: _body, ...d }) => ({ ...d, at: isoInZone(d.at, zone) })),
      },
      headers: { 'Cache-Control': 'no-store' },
    };
  });

  router.add('GET', '/api/handover', async (req) => {
    const site = siteParam(req.query);
    const cfg = ctx.sites.config(site);
    const zone = cfg.timezone;
    const now = ctx.now();
    const raw = req.query.get('since');
    const since = raw ? parseInstant(raw, zone, 'since') : now - DEFAULT_SHIFT_MS;
    if (since >= now) throw new HttpError(400, '"since" must be in the past');
    if (now - since > MAX_HANDOVER_MS)
      throw new HttpError(
        400,
        '"since" may be at most 7 days back; use the reports for longer ranges',
      );
    const alerts = await alertsInEffect(ctx, site, since, now + 60_000, false);
    // Start at the interval containing `since`, so its first interval is whole.
    const step = cfg.interval_minutes * 60_000;
    const offset = DateTime.fromMillis(since, { zone }).offset * 60_000;
    const from = since - ((((since + offset) % step) + step) % step);
    const rows = await intervalsReport(ctx.store, {
      site,
      from,
      to: now,
      interval: cfg.interval_minutes,
      config: cfg,
    });
    const intervals = toIntervalRows(rows, zone);
    const snapshot = ctx.sites.snapshot(site, now);
    const body = buildHandover({
      site,
      timezone: zone,
      since,
      sinceIso: isoInZone(since, zone),
      atIso: isoInZone(now, zone),
      alerts,
      intervals,
      targetOf: (q) => queueConfig(cfg, q).target,
      snapshot,
    });
    return { status: 200, body, headers: { 'Cache-Control': 'no-store' } };
  });
}
