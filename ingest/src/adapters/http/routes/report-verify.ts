// GET /api/reports/verify?site&from&to[&report=intervals,conformance,adherence,attendance]:
// recomputes the history reports of the operating days from..to (to exclusive) from the raw
// events alone and compares each figure with what the report routes serve (queries/verify.ts).
// For an auditor or support proving a figure: admin only once routes carry roles (issue 19).
import { VERIFIABLE, verifyReports, type VerifiableReport } from '../../../../../queries/verify.js';
import type { AppContext } from '../../../app-context.js';
import { operatingDay } from '../../../core/workforce/index.js';
import { isoInZone, parseRange } from '../range.js';
import { HttpError, requireParam, type Router } from '../router.js';

function reportsParam(q: URLSearchParams): VerifiableReport[] {
  const raw = q.get('report');
  if (raw === null || raw === '') return [...VERIFIABLE];
  const list = raw.split(',').map((s) => s.trim());
  for (const r of list) {
    if (!(VERIFIABLE as readonly string[]).includes(r))
      throw new HttpError(
        400,
        `query parameter "report" must be one or more of ${VERIFIABLE.join(', ')}, got "${r.slice(0, 20)}"`,
      );
  }
  return [...new Set(list)] as VerifiableReport[];
}

export function registerVerifyReport(router: Router, ctx: AppContext): void {
  router.add('GET', '/api/reports/verify', async (req) => {
    const site = requireParam(req.query, 'site');
    const config = ctx.sites.config(site);
    const tz = config.timezone;
    const { from, to } = parseRange(req.query, tz);
    const reports = reportsParam(req.query);
    const fromDay = operatingDay(from, tz, config.day_start);
    const toDay = operatingDay(to - 1, tz, config.day_start);
    const result = await verifyReports(ctx.store, {
      site,
      config,
      fromDay,
      toDay,
      now: ctx.now(),
      reports,
      iso: (ms) => isoInZone(ms, tz),
    });
    return {
      status: 200,
      body: {
        site,
        timezone: tz,
        from_day: fromDay,
        to_day: toDay,
        reports,
        rows: result.rows,
        mismatches: result.mismatches,
      },
    };
  });
}
