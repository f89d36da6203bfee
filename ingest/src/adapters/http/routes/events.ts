// Read-back of what ingest stored and refused: GET /api/events (drill-down and audits),
// GET /api/events/stats and GET /api/dead-letters (what was rejected, and why).
import { deadLetters, eventStats, listEvents } from '../../../../../queries/ingest.js';
import type { AppContext } from '../../../app-context.js';
import { isoInZone, parseInstant } from '../range.js';
import { HttpError, requireParam, type Router } from '../router.js';

function intParam(q: URLSearchParams, name: string, fallback: number, max: number): number {
  const raw = q.get(name);
  if (raw === null) return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 0 || v > max)
    throw new HttpError(400, `query parameter "${name}" must be an integer from 0 to ${max}`);
  return v;
}

export function registerEventRoutes(router: Router, ctx: AppContext): void {
  router.add('GET', '/api/events', async (req) => {
    const site = requireParam(req.query, 'site');
    const tz = ctx.sites.config(site).timezone;
    const from = req.query.get('from')
      ? parseInstant(req.query.get('from') as string, tz, 'from')
      : 0;
    const to = req.query.get('to')
      ? parseInstant(req.query.get('to') as string, tz, 'to')
      : 4102444800000;
    const rows = await listEvents(ctx.store, {
      site,
      from,
      to,
      limit: intParam(req.query, 'limit', 1000, 100_000),
      offset: intParam(req.query, 'offset', 0, 100_000_000),
    });
    return {
      status: 200,
      body: {
        site,
        events: rows.map((r) => ({
          id: r.id,
          type: r.type,
          ts: isoInZone(r.ts_ms, tz),
          received_at: isoInZone(r.received_ms, tz),
          late: r.late === 1,
          producer: r.producer,
          event: JSON.parse(r.raw) as unknown,
        })),
      },
    };
  });
  router.add('GET', '/api/events/stats', async (req) => {
    const site = requireParam(req.query, 'site');
    return { status: 200, body: { site, ...(await eventStats(ctx.store, site)) } };
  });
  router.add('GET', '/api/dead-letters', async (req) => {
    const site = req.query.get('site') ?? '';
    const tz = site ? ctx.sites.config(site).timezone : 'UTC';
    const since = req.query.get('since')
      ? parseInstant(req.query.get('since') as string, tz, 'since')
      : ctx.now() - 86_400_000;
    const limit = intParam(req.query, 'limit', 1000, 100_000);
    // Without a site, only the sites the caller manages (lines that named no site: admins only).
    const scope = site || !req.access ? 'all' : req.access.sites(ctx.sites.sites());
    const rows =
      scope === 'all'
        ? await deadLetters(ctx.store, { site, since, limit })
        : (await Promise.all(scope.map((s) => deadLetters(ctx.store, { site: s, since, limit }))))
            .flat()
            .sort((a, b) => b.received_ms - a.received_ms)
            .slice(0, limit);
    return {
      status: 200,
      body: {
        dead_letters: rows.map((r) => ({
          received_at: isoInZone(r.received_ms, tz),
          producer: r.producer,
          site: r.site,
          line: r.line,
          reason: r.reason,
          raw: r.raw,
        })),
      },
    };
  });
}
