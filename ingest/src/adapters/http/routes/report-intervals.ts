// GET /api/reports/intervals?site&from&to&interval=15|30|60[&queue]: the interval report
// (API v1) from SQL over the stored events (queries/reports/intervals.sql).
import { intervalsReport } from '../../../../../queries/index.js';
import type { AppContext } from '../../../app-context.js';
import type { IntervalRow } from '../../../core/modules.js';
import { isoInZone, parseRange } from '../range.js';
import { ReportWait } from '../report-wait.js';
import {
  HttpError,
  requireParam,
  type ApiRequest,
  type ApiResponse,
  type Router,
} from '../router.js';

const INTERVALS = [15, 30, 60] as const;

export function registerIntervalReport(router: Router, ctx: AppContext): void {
  const wait = new ReportWait(ctx.config.reportWaitMs);
  router.add('GET', '/api/reports/intervals', (req) => wait.answer(req, () => intervals(req)));
  const intervals = async (req: ApiRequest): Promise<ApiResponse> => {
    const site = requireParam(req.query, 'site');
    const config = ctx.sites.config(site);
    const tz = config.timezone;
    const { from, to } = parseRange(req.query, tz);
    const raw = req.query.get('interval');
    const interval =
      raw === null || raw === '' ? config.interval_minutes : (Number(raw) as 15 | 30 | 60);
    if (!INTERVALS.includes(interval))
      throw new HttpError(
        400,
        `query parameter "interval" must be 15, 30 or 60, got "${String(raw).slice(0, 20)}"`,
      );
    const queue = req.query.get('queue') ?? undefined;
    if (queue !== undefined && (queue.length < 1 || queue.length > 64))
      throw new HttpError(400, 'query parameter "queue" must be 1 to 64 characters');
    const rows = await intervalsReport(ctx.store, {
      site,
      from,
      to,
      interval,
      config,
      ...(queue ? { queue } : {}),
    });
    const out = toIntervalRows(rows, tz);
    return {
      status: 200,
      body: {
        site,
        timezone: tz,
        interval_minutes: interval,
        from: isoInZone(from, tz),
        to: isoInZone(to, tz),
        rows: out,
      },
    };
  };
}

/**
 * Report rows as API v1 interval rows, starts in the site zone. Rows come sorted by start
 * with one row per queue: each start is formatted once, since luxon's zone formatting is dear
 * per call and the history reports' goal is 500 ms median over 90 days.
 */
export function toIntervalRows(
  rows: Awaited<ReturnType<typeof intervalsReport>>,
  zone: string,
): IntervalRow[] {
  let lastMs = NaN;
  let lastIso = '';
  return rows.map((r) => {
    if (r.interval_start_ms !== lastMs)
      [lastMs, lastIso] = [r.interval_start_ms, isoInZone(r.interval_start_ms, zone)];
    return {
      interval_start: lastIso,
      queue: r.queue,
      offered: r.offered,
      answered: r.answered,
      answered_within_threshold: r.answered_within_threshold,
      abandoned: r.abandoned,
      short_abandoned: r.short_abandoned,
      service_level: r.service_level,
      asa_s: r.asa_s,
      aht_s: r.aht_s,
      answer_rate: r.answer_rate,
      expired: r.expired,
    };
  });
}
