// Incidents (故障预警): POST /api/sites/{site}/incidents raises a yellow/orange/red warning by
// users affected (quality.incident_bands) and puts a banner on every board of the site until
// POST …/incidents/{id}/resolve; POST …/incidents/{id}/bulletin publishes the bulletin (资讯),
// checked against its deadline (3 h after a sudden fault, 24 h before planned work).
// GET …/incidents lists the open ones and those resolved today.
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../../app-context.js';
import { saveIncident } from '../../clickhouse/quality-store.js';
import {
  bulletinOnTime,
  IncidentInputError,
  parseIncident,
  type Incident,
} from '../../../core/quality/incidents.js';
import type { QualityEngine } from '../../../core/quality/engine.js';
import { isoInZone } from '../range.js';
import { HttpError, jsonBody, type ApiRequest, type Router } from '../router.js';

const SITE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

function who(req: ApiRequest): string {
  for (const [k, v] of Object.entries(req.headers))
    if (k.toLowerCase() === 'x-floorwatch-user' && v.trim()) return v.trim().slice(0, 64);
  return 'api';
}

export function incidentView(i: Incident, zone: string): Record<string, unknown> {
  const t = (ms: number | null) => (ms === null ? null : isoInZone(ms, zone));
  return {
    id: i.id,
    site: i.site,
    title: i.title,
    users_affected: i.users_affected,
    services: i.services,
    kind: i.kind,
    level: i.level,
    start: t(i.start),
    bulletin: i.bulletin,
    bulletin_at: t(i.bulletin_at),
    bulletin_due: t(i.bulletin_due),
    bulletin_on_time: bulletinOnTime(i),
    created_at: t(i.created_at),
    created_by: i.created_by,
    resolved_at: t(i.resolved_at),
    resolved_by: i.resolved_by,
  };
}

export function registerIncidentRoutes(router: Router, ctx: AppContext): void {
  const engineOf = (site: string): QualityEngine => {
    if (!SITE.test(site))
      throw new HttpError(
        400,
        'the site in the path may hold only letters, digits, "_", "." and "-" (up to 64)',
      );
    const e = ctx.sites.quality?.(site);
    if (!e) throw new HttpError(404, 'service quality is not enabled on this server');
    return e;
  };
  const known = (e: QualityEngine, id: string): Incident => {
    const i = e.incident(id);
    if (!i)
      throw new HttpError(
        404,
        `no incident ${id.slice(0, 80)} on this site (open, or resolved today)`,
      );
    return i;
  };
  const commit = async (
    site: string,
    e: QualityEngine,
    i: Incident,
    now: number,
  ): Promise<void> => {
    // Stored first: an incident the server cannot keep is refused rather than shown and lost.
    await saveIncident(ctx.store, i, now);
    e.addIncident(i);
    ctx.sites.refresh?.(site);
  };

  router.add('POST', '/api/sites/:site/incidents', async (req) => {
    const site = req.params['site'] ?? '';
    const e = engineOf(site);
    const now = ctx.now();
    let i: Incident;
    try {
      i = parseIncident(
        jsonBody(req),
        { id: `inc-${now}-${randomUUID().slice(0, 8)}`, site, now, by: who(req) },
        e.config,
      );
    } catch (err) {
      if (err instanceof IncidentInputError) throw new HttpError(400, err.message);
      throw err;
    }
    await commit(site, e, i, now);
    return { status: 201, body: incidentView(i, ctx.sites.config(site).timezone) };
  });

  router.add('GET', '/api/sites/:site/incidents', (req) => {
    const site = req.params['site'] ?? '';
    const zone = ctx.sites.config(site).timezone;
    return {
      status: 200,
      body: {
        site,
        incidents: engineOf(site)
          .listIncidents()
          .map((i) => incidentView(i, zone)),
      },
      headers: { 'Cache-Control': 'no-store' },
    };
  });

  router.add('POST', '/api/sites/:site/incidents/:id/resolve', async (req) => {
    const site = req.params['site'] ?? '';
    const e = engineOf(site);
    const i = known(e, req.params['id'] ?? '');
    if (i.resolved_at !== null) throw new HttpError(409, `incident ${i.id} was already resolved`);
    const now = ctx.now();
    const next = { ...i, resolved_at: now, resolved_by: who(req) };
    await commit(site, e, next, now);
    return { status: 200, body: incidentView(next, ctx.sites.config(site).timezone) };
  });

  router.add('POST', '/api/sites/:site/incidents/:id/bulletin', async (req) => {
    const site = req.params['site'] ?? '';
    const e = engineOf(site);
    const i = known(e, req.params['id'] ?? '');
    const body = jsonBody(req) as { text?: unknown } | null;
    const text = body && typeof body === 'object' ? body.text : undefined;
    if (typeof text !== 'string' || text.trim().length === 0 || text.length > 2000)
      throw new HttpError(400, 'send {"text": "..."}: the bulletin, 1 to 2000 characters');
    const now = ctx.now();
    const next = { ...i, bulletin: text, bulletin_at: now };
    await commit(site, e, next, now);
    return { status: 200, body: incidentView(next, ctx.sites.config(site).timezone) };
  });
}
