// Workforce history (API v1): GET /api/reports/conformance, /adherence, /attendance
// (?site&from&to&by) and /absences (?site&month=YYYY-MM), SQL over the stored events,
// rosters and excused time (queries/reports/). Days are operating days in the site zone;
// today's figures are today-so-far, the same as the board's.
import {
  absencesReport,
  adherenceReport,
  attendanceReport,
  conformanceRowsJson,
  type WorkforceReportParams,
} from '../../../../../queries/index.js';
import type { AppContext } from '../../../app-context.js';
import { dayStartMs, operatingDay } from '../../../core/workforce/index.js';
import { isoInZone, parseRange } from '../range.js';
import { ReportWait } from '../report-wait.js';
import { BodyParts, HttpError, requireParam, type Router } from '../router.js';

type By = 'agent' | 'team' | 'site';

function byParam(q: URLSearchParams, allowed: readonly By[], fallback: By): By {
  const v = q.get('by') ?? fallback;
  if (!(allowed as readonly string[]).includes(v))
    throw new HttpError(
      400,
      `query parameter "by" must be one of ${allowed.join(', ')}, got "${v.slice(0, 20)}"`,
    );
  return v as By;
}

export function registerWorkforceReports(router: Router, ctx: AppContext): void {
  const wait = new ReportWait(ctx.config.reportWaitMs);
  const params = (q: URLSearchParams) => {
    const site = requireParam(q, 'site');
    const config = ctx.sites.config(site);
    const tz = config.timezone;
    const { from, to } = parseRange(q, tz);
    const fromDay = operatingDay(from, tz, config.day_start);
    const toDay = operatingDay(to - 1, tz, config.day_start);
    const p: WorkforceReportParams = {
      site,
      fromDay,
      toDay,
      fromDayStartMs: dayStartMs(fromDay, tz, config.day_start),
      now: ctx.now(),
      config,
    };
    return { p, head: { site, timezone: tz, from: isoInZone(from, tz), to: isoInZone(to, tz) } };
  };

  router.add('GET', '/api/reports/conformance', (req) =>
    wait.answer(req, async () => {
      const { p, head } = params(req.query);
      const by = byParam(req.query, ['agent', 'team', 'site'], 'team');
      // The rows come as JSON bytes from ClickHouse and go out as they are, between the
      // head and the closing brace (by agent over 90 days that is 346,000 rows, 57 MB).
      const rows = await conformanceRowsJson(ctx.store, { ...p, by });
      const top = JSON.stringify({ ...head, by, standard: 0.92 });
      return {
        status: 200,
        body: new BodyParts([Buffer.from(`${top.slice(0, -1)},"rows":`), rows, Buffer.from('}')]),
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
      };
    }),
  );

  router.add('GET', '/api/reports/adherence', (req) =>
    wait.answer(req, async () => {
      const { p, head } = params(req.query);
      const by = byParam(req.query, ['agent', 'team', 'site'], 'team');
      const rows = await adherenceReport(ctx.store, { ...p, by });
      return { status: 200, body: { ...head, by, rows } };
    }),
  );

  router.add('GET', '/api/reports/attendance', (req) =>
    wait.answer(req, async () => {
      const { p, head } = params(req.query);
      const by = byParam(req.query, ['team', 'site'], 'team') as 'team' | 'site';
      const rows = await attendanceReport(ctx.store, { ...p, by });
      return { status: 200, body: { ...head, by, standard: 0.95, rows } };
    }),
  );

  router.add('GET', '/api/reports/absences', (req) =>
    wait.answer(req, async () => {
      const site = requireParam(req.query, 'site');
      const month = requireParam(req.query, 'month');
      const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
      if (!m)
        throw new HttpError(
          400,
          `query parameter "month" must be YYYY-MM, got "${month.slice(0, 20)}"`,
        );
      const config = ctx.sites.config(site);
      const fromDay = `${month}-01`;
      const last = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate();
      const toDay = `${month}-${String(last).padStart(2, '0')}`;
      const rows = await absencesReport(ctx.store, {
        site,
        fromDay,
        toDay,
        fromDayStartMs: dayStartMs(fromDay, config.timezone, config.day_start),
        now: ctx.now(),
        config,
      });
      return {
        status: 200,
        body: { site, month, flag_above_days: config.workforce.absence_days_flag, rows },
      };
    }),
  );
}
