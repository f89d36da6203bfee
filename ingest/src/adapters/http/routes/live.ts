// GET /api/live?site=S: the site's current snapshot (the board's first message, without
// seq). GET /api/live/intervals?site=S: today's per-interval figures as the live engine
// holds them, in the interval report's shape, so tests can hold live against SQL.
import type { AppContext } from '../../../app-context.js';
import type { SiteRegistry } from '../../../runtime/site-registry.js';
import { HttpError, requireParam, type Router } from '../router.js';

/** Same rule as the event contract's `site` field. */
const SITE_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function siteParam(q: URLSearchParams): string {
  const site = requireParam(q, 'site');
  if (!SITE_RE.test(site))
    throw new HttpError(
      400,
      'query parameter "site" must be 1 to 64 letters, digits, "_", "." or "-"',
    );
  return site;
}

export function registerLiveRoutes(
  router: Router,
  ctx: Pick<AppContext, 'now'>,
  registry: SiteRegistry,
): void {
  router.add('GET', '/api/live', (req) => {
    const site = siteParam(req.query);
    return {
      status: 200,
      body: registry.snapshot(site, ctx.now()),
      headers: { 'Cache-Control': 'no-store' },
    };
  });
  // The "last hours" chart the server keeps (core/feed/live-series.ts): a board draws it at
  // once after a reload and appends its live points. queue=a,b narrows it; since=<ms> sends
  // only newer points.
  router.add('GET', '/api/live/series', (req) => {
    const site = siteParam(req.query);
    const q = req.query.get('queue');
    const queues = q ? q.split(',').filter(Boolean).slice(0, 1000) : undefined;
    const sinceText = req.query.get('since');
    const since = sinceText === null ? undefined : Number(sinceText);
    if (since !== undefined && !Number.isFinite(since))
      throw new HttpError(400, 'query parameter "since" must be epoch milliseconds');
    return {
      status: 200,
      body: { site, ...registry.series(site, queues, since) },
      headers: { 'Cache-Control': 'no-store' },
    };
  });
  router.add('GET', '/api/live/intervals', (req) => {
    const site = siteParam(req.query);
    const now = ctx.now();
    const cfg = registry.config(site);
    return {
      status: 200,
      body: {
        site,
        timezone: cfg.timezone,
        interval_minutes: cfg.interval_minutes,
        rows: registry.intervals(site, now),
      },
      headers: { 'Cache-Control': 'no-store' },
    };
  });
}
