// Service-quality history: GET /api/reports/quality?site&from&to&by=site|team|category|department
// [&format=csv]. Rows per operating day and key with the counts behind each ratio; the body
// names each figure's formula and target (explain-on-hover), and the CSV export escapes every
// cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR).
import { stringify } from 'csv-stringify/sync';
import { qualityReport } from '../../../../../queries/quality.js';
import type { AppContext } from '../../../app-context.js';
import { qualityConfig } from '../../../core/quality/config.js';
import type { QualityBy, QualityRow } from '../../../core/quality/figures.js';
import { isoInZone, parseRange } from '../range.js';
import { HttpError, requireParam, type Router } from '../router.js';

const BY: QualityBy[] = ['site', 'team', 'category', 'department'];

/** Each figure's formula in words, for explain-on-hover and the definitions page. */
export function qualityFormulas(q: ReturnType<typeof qualityConfig>): Record<string, string> {
  return {
    on_time_rate:
      'closed_on_time / closed: orders closed at or before their due time (after any extension asked in time), of the orders closed that day',
    follow_up_rate:
      'followed_up / closed: closed orders with a follow-up (回访), of the orders closed that day',
    repeat_rate: `repeat_complaints / complaints: complaints whose caller complained in the previous ${q.repeat_days} days, of the complaints with a caller created that day`,
    satisfaction: `satisfied / surveys: surveys answered satisfied (yes, or score >= ${q.satisfied_min_score} of 5)`,
    mean_score: 'score_sum / scored: mean of the survey scores (1-5)',
    fcr: `resolved_first / calls: calls whose caller did not call again within ${q.fcr_days} days, of the calls with a caller key`,
  };
}

const COLUMNS: (keyof QualityRow)[] = [
  'date',
  'key',
  'closed',
  'closed_on_time',
  'on_time_rate',
  'followed_up',
  'follow_up_rate',
  'complaints',
  'repeat_complaints',
  'repeat_rate',
  'surveys',
  'satisfied',
  'satisfaction',
  'scored',
  'score_sum',
  'mean_score',
  'calls',
  'resolved_first',
  'fcr',
];

export function qualityCsv(rows: readonly QualityRow[]): string {
  // A UTF-8 BOM so Excel on Chinese Windows reads 中文 keys; escape_formulas defuses =, +, -, @ cells.
  return stringify(
    rows.map((r) => COLUMNS.map((c) => r[c] ?? '')),
    {
      header: true,
      columns: COLUMNS as string[],
      bom: true,
      escape_formulas: true,
      record_delimiter: 'windows',
    },
  );
}

export function registerQualityReport(router: Router, ctx: AppContext): void {
  router.add('GET', '/api/reports/quality', async (req) => {
    const site = requireParam(req.query, 'site');
    const config = ctx.sites.config(site);
    const tz = config.timezone;
    const { from, to } = parseRange(req.query, tz);
    const by = (req.query.get('by') ?? 'site') as QualityBy;
    if (!BY.includes(by))
      throw new HttpError(
        400,
        `query parameter "by" must be one of ${BY.join(', ')}, got "${by.slice(0, 20)}"`,
      );
    const format = req.query.get('format') ?? 'json';
    if (format !== 'json' && format !== 'csv')
      throw new HttpError(400, 'query parameter "format" must be json or csv');
    const rows = await qualityReport(ctx.store, { site, from, to, now: ctx.now(), config, by });
    if (format === 'csv') {
      return {
        status: 200,
        body: qualityCsv(rows),
        headers: {
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Disposition': `attachment; filename="quality-${site}-${by}.csv"`,
        },
      };
    }
    const q = qualityConfig(config);
    return {
      status: 200,
      body: {
        site,
        timezone: tz,
        from: isoInZone(from, tz),
        to: isoInZone(to, tz),
        by,
        targets: {
          on_time_rate: q.targets.on_time,
          follow_up_rate: q.targets.follow_up,
          satisfaction: q.targets.satisfaction,
          fcr: q.targets.fcr,
          repeat_rate_max: q.targets.repeat_max,
        },
        formulas: qualityFormulas(q),
        fcr_days: q.fcr_days,
        repeat_days: q.repeat_days,
        rows,
      },
    };
  });
}
