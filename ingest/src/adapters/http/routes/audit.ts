// GET /api/audit?[site]&[from]&[to]&[limit]&[format=csv]: who changed what and when, newest
// first. Managers see their sites' entries; admins also see entries of no site (users,
// tokens). CSV cells are neutralised against formula injection.
import { listAudit } from '../../../../../queries/audit.js';
import type { AppContext } from '../../../app-context.js';
import { toCsv } from '../../../core/report/csv.js';
import { parseInstant } from '../range.js';
import { HttpError, type ApiResponse, type Router } from '../router.js';

const DAY = 86_400_000;

export function registerAuditRoutes(router: Router, ctx: AppContext): void {
  router.add('GET', '/api/audit', async (req): Promise<ApiResponse> => {
    const site = req.query.get('site') ?? '';
    const now = ctx.now();
    const tz = site ? ctx.sites.config(site).timezone : 'UTC';
    const from = req.query.get('from')
      ? parseInstant(req.query.get('from') as string, tz, 'from')
      : now - 7 * DAY;
    const to = req.query.get('to')
      ? parseInstant(req.query.get('to') as string, tz, 'to')
      : now + 60_000;
    if (to <= from) throw new HttpError(400, '"to" must be after "from"');
    const limitRaw = Number(req.query.get('limit') ?? 1000);
    if (!Number.isInteger(limitRaw) || limitRaw < 1 || limitRaw > 100_000)
      throw new HttpError(400, 'query parameter "limit" must be an integer from 1 to 100000');
    const mine = req.access ? req.access.sites(ctx.sites.sites()) : 'all';
    const sites = site ? [site] : mine;
    const rows = await listAudit(ctx.store, { sites, from, to, limit: limitRaw });
    const entries = rows.map((r) => ({
      at: new Date(r.at).toISOString(),
      site: r.site,
      actor: r.actor,
      actor_kind: r.actor_kind,
      action: r.action,
      target: r.target,
      detail: r.detail ? (JSON.parse(r.detail) as unknown) : null,
      address: r.address,
    }));
    if (req.query.get('format') === 'csv') {
      const csv = toCsv(
        ['at', 'site', 'actor', 'actor_kind', 'action', 'target', 'detail', 'address'],
        rows.map((r) => [
          new Date(r.at).toISOString(),
          r.site,
          r.actor,
          r.actor_kind,
          r.action,
          r.target,
          r.detail,
          r.address,
        ]),
      );
      return {
        status: 200,
        body: csv,
        headers: {
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Disposition': `attachment; filename="audit${site ? `-${site}` : ''}.csv"`,
          'Cache-Control': 'no-store',
        },
      };
    }
    return {
      status: 200,
      body: { from: new Date(from).toISOString(), to: new Date(to).toISOString(), entries },
      headers: { 'Cache-Control': 'no-store' },
    };
  });
}
