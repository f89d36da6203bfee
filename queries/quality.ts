// Service-quality history (GET /api/reports/quality): runs quality-tickets.sql,
// quality-surveys.sql and quality-fcr.sql over the stored events and merges their counts into
// one row per operating day and key, with the ratios computed from the summed counts.
import type { Store } from './store.js';
import { qualityConfig } from '../ingest/src/core/quality/config.js';
import type { QualityBy, QualityRow } from '../ingest/src/core/quality/figures.js';
import { limitParams } from '../ingest/src/core/quality/limits.js';
import type { SiteConfig } from '../ingest/src/core/site-config.js';
import { chTime, n, report, type Num } from './sql.js';

export interface QualityReportParams {
  site: string;
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
  /** Events after this are not counted (the live figures' `now`). */
  now: number;
  config: SiteConfig;
  by: QualityBy;
}

const DAY_MS = 86_400_000;
/** Orders closed in the range may have been created long before: look back this far for them (beyond the repeat window). */
export const QUALITY_LOOKBACK_DAYS = 120;

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

async function rows<T>(store: Store, name: string, params: Record<string, unknown>): Promise<T[]> {
  const rs = await store.client.query({
    query: report(name, store.database),
    query_params: params,
    format: 'JSONEachRow',
  });
  return rs.json<T>();
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

export async function qualityReport(store: Store, p: QualityReportParams): Promise<QualityRow[]> {
  const q = qualityConfig(p.config);
  const common = {
    site: p.site,
    tz: p.config.timezone,
    ds_min: minutesOf(p.config.day_start),
    from: chTime(p.from),
    to: chTime(p.to),
    now: chTime(p.now),
    by: p.by,
  };
  const out = new Map<string, QualityRow>();
  const row = (date: string, key: string): QualityRow => {
    const k = `${date}\u0000${key}`;
    let r = out.get(k);
    if (!r) {
      r = {
        date,
        key,
        closed: 0,
        closed_on_time: 0,
        on_time_rate: null,
        followed_up: 0,
        follow_up_rate: null,
        complaints: 0,
        repeat_complaints: 0,
        repeat_rate: null,
        surveys: 0,
        satisfied: 0,
        satisfaction: null,
        scored: 0,
        score_sum: 0,
        mean_score: null,
        calls: 0,
        resolved_first: 0,
        fcr: null,
      };
      out.set(k, r);
    }
    return r;
  };
  type T = {
    date: string;
    key: string;
    closed: Num;
    closed_on_time: Num;
    followed_up: Num;
    complaints: Num;
    repeat_complaints: Num;
  };
  const lookback = p.from - (Math.max(q.repeat_days, QUALITY_LOOKBACK_DAYS) + 1) * DAY_MS;
  for (const t of await rows<T>(store, 'quality-tickets', {
    ...common,
    ...limitParams(q),
    lookback: chTime(lookback),
    reply_share: q.reply_share,
    repeat_ms: q.repeat_days * DAY_MS,
  })) {
    const r = row(t.date, t.key);
    r.closed += n(t.closed);
    r.closed_on_time += n(t.closed_on_time);
    r.followed_up += n(t.followed_up);
    r.complaints += n(t.complaints);
    r.repeat_complaints += n(t.repeat_complaints);
  }
  // Surveys and calls carry no category or department.
  if (p.by === 'site' || p.by === 'team') {
    type S = {
      date: string;
      key: string;
      surveys: Num;
      satisfied: Num;
      scored: Num;
      score_sum: Num;
    };
    for (const s of await rows<S>(store, 'quality-surveys', {
      ...common,
      sat_min: q.satisfied_min_score,
    })) {
      const r = row(s.date, s.key);
      r.surveys += n(s.surveys);
      r.satisfied += n(s.satisfied);
      r.scored += n(s.scored);
      r.score_sum += n(s.score_sum);
    }
    type F = { date: string; key: string; calls: Num; resolved_first: Num };
    for (const f of await rows<F>(store, 'quality-fcr', {
      ...common,
      fcr_ms: q.fcr_days * DAY_MS,
    })) {
      const r = row(f.date, f.key);
      r.calls += n(f.calls);
      r.resolved_first += n(f.resolved_first);
    }
  }
  const list = [...out.values()];
  for (const r of list) {
    // Only complaints with a caller are judged for repeats; a row may hold complaints without closes and vice versa.
    r.on_time_rate = ratio(r.closed_on_time, r.closed);
    r.follow_up_rate = ratio(r.followed_up, r.closed);
    r.repeat_rate = ratio(r.repeat_complaints, r.complaints);
    r.satisfaction = ratio(r.satisfied, r.surveys);
    r.mean_score = ratio(r.score_sum, r.scored);
    r.fcr = ratio(r.resolved_first, r.calls);
  }
  return list.sort((a, b) =>
    a.date < b.date ? -1 : a.date > b.date ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
  );
}
