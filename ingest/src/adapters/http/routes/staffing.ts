// Intraday staffing (issue 24):
//   GET /api/sites/{site}/staffing[?interval=15|30|60][&hours=2]  today's intervals (or now to now+hours):
//       forecast vs actual calls, required (Erlang C / A) vs staffed agents, the gap
//   PUT /api/sites/{site}/forecast    CSV interval,queue,calls,AHT: replaces the forecast of those intervals
//   GET /api/reports/forecast-accuracy?site&from&to[&queue]  MAPE per day and queue
import { intervalsReport } from '../../../../../queries/index.js';
import { storeForecast, uploadedForecast } from '../../../../../queries/staffing.js';
import type { AppContext } from '../../../app-context.js';
import { DEFAULT_STAFFING } from '../../../core/staffing/config.js';
import { parseForecastCsv } from '../../../core/staffing/forecast-csv.js';
import { forecastDay, mape, type QueueSeries } from '../../../core/staffing/forecast.js';
import { dayStartMs, nextDay, operatingDay } from '../../../core/workforce/index.js';
import { toDeadLetterRow } from '../../../pipeline/rows.js';
import { staffingDay } from '../../staffing/staffing-service.js';
import { actingUser } from '../lead-check.js';
import { isoInZone, parseRange } from '../range.js';
import { HttpError, requireParam, type Router } from '../router.js';

const SITE_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
function site(v: string | undefined): string {
  if (!v || !SITE_RE.test(v))
    throw new HttpError(400, 'the site must be 1 to 64 letters, digits, "_", "." or "-"');
  return v;
}

function intervalParam(q: URLSearchParams, fallback: 15 | 30 | 60): 15 | 30 | 60 {
  const v = q.get('interval');
  if (v === null) return fallback;
  if (v !== '15' && v !== '30' && v !== '60')
    throw new HttpError(400, 'query parameter "interval" must be 15, 30 or 60');
  return Number(v) as 15 | 30 | 60;
}

export function registerStaffingRoutes(router: Router, ctx: AppContext): void {
  router.add('GET', '/api/sites/:site/staffing', async (req) => {
    const s = site(req.params['site']);
    const cfg = ctx.sites.config(s);
    const tz = cfg.timezone;
    const interval = intervalParam(req.query, cfg.interval_minutes);
    const hoursText = req.query.get('hours');
    const hours = hoursText === null ? null : Number(hoursText);
    if (hours !== null && !(Number.isFinite(hours) && hours > 0 && hours <= 24))
      throw new HttpError(400, 'query parameter "hours" must be a number of hours from 0 to 24');
    const d = await staffingDay(ctx, s, { interval });
    const weeks = (cfg.staffing ?? DEFAULT_STAFFING).forecast_weeks;
    // With hours: the interval in progress and those starting within the next `hours`.
    const first = hours === null ? -Infinity : Math.floor(d.nowOffset / d.slotMs) * d.slotMs;
    const last = hours === null ? Infinity : d.nowOffset + hours * 3_600_000;
    const rows = d.rows
      .filter((r) => r.slot >= first && r.slot < last)
      .map((r) => ({
        ...r,
        interval_start: isoInZone(d.dayStart + r.slot, tz),
        slot: undefined,
        members: d.members[r.queue] ?? [r.queue],
      }));
    return {
      status: 200,
      body: {
        site: s,
        day: d.day,
        at: isoInZone(d.dayStart + d.nowOffset, tz),
        interval_minutes: interval,
        forecast: {
          method: d.forecast.weeks > 0 ? 'same_weekday_scaled' : 'none',
          label: `same weekday's intervals over the previous ${weeks} weeks (${d.forecast.weeks} with data), scaled by today's deviation so far; uploaded intervals replace it`,
          label_zh: `前 ${weeks} 周同一工作日各时段均值（有数据 ${d.forecast.weeks} 周），按今日至今偏差缩放；已上传预测的时段以上传为准`,
          weeks_with_data: d.forecast.weeks,
          factor: d.forecast.factor,
        },
        rows,
      },
    };
  });

  router.add('PUT', '/api/sites/:site/forecast', async (req) => {
    const s = site(req.params['site']);
    const cfg = ctx.sites.config(s);
    const by = actingUser(req, undefined);
    const { rows, errors } = parseForecastCsv(
      req.body.toString('utf8'),
      cfg.timezone,
      cfg.interval_minutes,
    );
    if (errors.length) {
      // Bad lines are kept as dead letters with their reason, as bad events are.
      const now = ctx.now();
      const dead = errors
        .slice(0, 1000)
        .map((e) => toDeadLetterRow(now, `forecast-upload:${by}`, s, e.line, e.error, e.raw));
      await ctx.store.insertNdjson('dead_letters', Buffer.from(dead.join('\n') + '\n'));
      throw new HttpError(
        400,
        `the forecast has ${errors.length} bad line${errors.length === 1 ? '' : 's'}; nothing was stored`,
        { errors: errors.slice(0, 100).map(({ line, error }) => ({ line, error })) },
      );
    }
    if (rows.length === 0)
      throw new HttpError(
        400,
        'the forecast has no rows: send a CSV with the header interval,queue,calls,AHT and one row per interval and queue',
      );
    await storeForecast(ctx.store, s, rows, by, ctx.now());
    const starts = rows.map((r) => r.start);
    return {
      status: 200,
      body: {
        site: s,
        stored: rows.length,
        from: isoInZone(Math.min(...starts), cfg.timezone),
        to: isoInZone(Math.max(...starts), cfg.timezone),
        uploaded_by: by,
      },
    };
  });

  router.add('GET', '/api/reports/forecast-accuracy', async (req) => {
    const s = site(requireParam(req.query, 'site'));
    const cfg = ctx.sites.config(s);
    const tz = cfg.timezone;
    const weeks = (cfg.staffing ?? DEFAULT_STAFFING).forecast_weeks;
    const { from, to } = parseRange(req.query, tz);
    const queueFilter = req.query.get('queue');
    const interval = cfg.interval_minutes;
    const slotMs = interval * 60_000;
    const now = ctx.now();
    const firstDay = operatingDay(from, tz, cfg.day_start);
    const histFrom = dayStartMs(firstDay, tz, cfg.day_start) - weeks * 7 * 86_400_000;
    const all = await intervalsReport(ctx.store, {
      site: s,
      from: histFrom,
      to: Math.min(to, now),
      interval,
      config: cfg,
      now,
    });
    const uploaded = await uploadedForecast(ctx.store, s, from, to);
    // day -> series
    const byDay = new Map<string, QueueSeries>();
    const put = (
      m: Map<string, QueueSeries>,
      day: string,
      queue: string,
      off: number,
      calls: number,
      ahtS: number | null,
    ) => {
      let q = m.get(day);
      if (!q) m.set(day, (q = new Map()));
      let x = q.get(queue);
      if (!x) q.set(queue, (x = new Map()));
      x.set(off, { calls, ahtS });
    };
    for (const r of all) {
      const day = operatingDay(r.interval_start_ms, tz, cfg.day_start);
      put(
        byDay,
        day,
        r.queue,
        r.interval_start_ms - dayStartMs(day, tz, cfg.day_start),
        r.offered,
        r.aht_s,
      );
    }
    const upByDay = new Map<string, QueueSeries>();
    for (const u of uploaded) {
      const day = operatingDay(u.start, tz, cfg.day_start);
      put(upByDay, day, u.queue, u.start - dayStartMs(day, tz, cfg.day_start), u.calls, u.aht_s);
    }
    const rows: {
      date: string;
      queue: string;
      intervals: number;
      forecast_calls: number;
      actual_calls: number;
      mape: number | null;
    }[] = [];
    for (
      let day = firstDay;
      dayStartMs(day, tz, cfg.day_start) < Math.min(to, now);
      day = nextDay(day)
    ) {
      const start = dayStartMs(day, tz, cfg.day_start);
      const end = dayStartMs(nextDay(day), tz, cfg.day_start);
      const slots: number[] = [];
      for (let t = 0; start + t < end; t += slotMs) slots.push(t);
      const hist: QueueSeries[] = [];
      for (let k = 1; k <= weeks; k++) {
        let d = day;
        for (let i = 0; i < 7 * k; i++) d = shiftBack(d);
        const sr = byDay.get(d);
        if (sr) hist.push(sr);
      }
      const actual = byDay.get(day) ?? new Map();
      const queues = [...new Set([...actual.keys(), ...hist.flatMap((h) => [...h.keys()])])]
        .filter((q) => !queueFilter || q === queueFilter)
        .sort();
      // The forecast as it stood before the day began (no scaling): what a plan would have used.
      const f = forecastDay({
        queues,
        slots,
        slotMs,
        weeks: hist,
        today: new Map(),
        nowOffset: 0,
        uploaded: upByDay.get(day) ?? new Map(),
      });
      for (const q of queues) {
        const cells = f.cells.filter((c) => c.queue === q && start + c.slot + slotMs <= now);
        const pairs = cells.map((c) => ({
          forecast: c.calls,
          actual: actual.get(q)?.get(c.slot)?.calls ?? 0,
        }));
        const m = mape(pairs);
        rows.push({
          date: day,
          queue: q,
          intervals: m.intervals,
          forecast_calls: round(pairs.reduce((a, p) => a + p.forecast, 0)),
          actual_calls: pairs.reduce((a, p) => a + p.actual, 0),
          mape: m.mape,
        });
      }
    }
    return {
      status: 200,
      body: {
        site: s,
        timezone: tz,
        from: isoInZone(from, tz),
        to: isoInZone(to, tz),
        interval_minutes: interval,
        formula: `MAPE = mean over the day's intervals with calls of |actual - forecast| / actual; forecast = mean of the same weekday's intervals over the previous ${weeks} weeks (unscaled), or the uploaded forecast`,
        rows,
      },
    };
  });
}

const round = (x: number) => Math.round(x * 100) / 100;

function shiftBack(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
