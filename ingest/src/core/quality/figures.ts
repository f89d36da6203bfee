// The service-quality figures per operating day and key (site, team, category, department):
// on-time handling (处理及时率), follow-up (跟进回复率), repeat complaints (重复投诉率),
// satisfaction (满意度: share satisfied and mean score) and first-contact resolution (一次解决率).
// Pure, over the records the quality engine keeps; queries/reports/quality.sql computes the
// same over stored events, and tests hold the two against each other.
import type { QualityConfig } from './config.js';
import type { CallTable } from './calls.js';
import type { SurveyTable } from './surveys.js';
import { ticketTimes, type TicketRec } from './tickets.js';

export type QualityBy = 'site' | 'team' | 'category' | 'department';

export interface QualityData {
  tickets: Iterable<TicketRec>;
  surveys: SurveyTable;
  calls: CallTable;
  /** Complaint creation times per caller, ascending. */
  callerComplaints: ReadonlyMap<string, readonly number[]>;
  teamOf(agent: string): string;
}

/** One row of GET /api/reports/quality (counts behind each ratio, for explain). */
export interface QualityRow {
  date: string;
  key: string;
  closed: number;
  closed_on_time: number;
  on_time_rate: number | null;
  followed_up: number;
  follow_up_rate: number | null;
  complaints: number;
  repeat_complaints: number;
  repeat_rate: number | null;
  surveys: number;
  satisfied: number;
  satisfaction: number | null;
  scored: number;
  score_sum: number;
  mean_score: number | null;
  calls: number;
  resolved_first: number;
  fcr: number | null;
}

export interface FigureOptions {
  by: QualityBy;
  q: QualityConfig;
  zone: string;
  /** Operating day (yyyy-MM-dd) of an instant. */
  dayOf(ms: number): string;
  /** Only anchors in [from, to) count. */
  from: number;
  to: number;
  /** Events after this are not yet known (live: now). */
  now: number;
  site: string;
}

const ratio = (n: number, d: number): number | null => (d === 0 ? null : n / d);

function empty(date: string, key: string): QualityRow {
  return {
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
}

/** Whether `times` (ascending) holds a value in [lo, hi). */
function anyInHalfOpen(times: readonly number[], lo: number, hi: number): boolean {
  let a = 0;
  let b = times.length;
  while (a < b) {
    const m = (a + b) >> 1;
    if ((times[m] as number) < lo) a = m + 1;
    else b = m;
  }
  return a < times.length && (times[a] as number) < hi;
}

export function satisfiedOf(
  s: { score: number | null; satisfied: boolean | null },
  q: QualityConfig,
): boolean {
  return s.satisfied ?? (s.score !== null && s.score >= q.satisfied_min_score);
}

export function qualityFigures(data: QualityData, o: FigureOptions): QualityRow[] {
  const rows = new Map<string, QualityRow>();
  // Consecutive items mostly fall in one row (the tile asks for one day of one site): the last
  // row is kept, rather than a key built and looked up per call of a million.
  let last: { date: string; key: string; r: QualityRow } | null = null;
  const row = (ms: number, key: string): QualityRow => {
    const date = o.dayOf(ms);
    if (last && last.date === date && last.key === key) return last.r;
    const k = `${date}\u0000${key}`;
    let r = rows.get(k);
    if (!r) rows.set(k, (r = empty(date, key)));
    last = { date, key, r };
    return r;
  };
  const inRange = (ms: number | null): ms is number =>
    ms !== null && ms >= o.from && ms < o.to && ms <= o.now;
  const ticketKey = (t: TicketRec): string =>
    o.by === 'site'
      ? o.site
      : o.by === 'team'
        ? data.teamOf(t.agent)
        : o.by === 'category'
          ? t.category
          : t.department;
  const dayMs = 86_400_000;

  for (const t of data.tickets) {
    if (t.created === null || t.created > o.now) continue;
    if (inRange(t.closed)) {
      const r = row(t.closed, ticketKey(t));
      r.closed++;
      if (t.closed <= ticketTimes(t as TicketRec & { created: number }, o.q, o.zone, o.now).due)
        r.closed_on_time++;
      if (t.followed_up !== null && t.followed_up <= o.now) r.followed_up++;
    }
    if (inRange(t.created) && t.caller) {
      const r = row(t.created, ticketKey(t));
      r.complaints++;
      const earlier = data.callerComplaints.get(t.caller) ?? [];
      if (anyInHalfOpen(earlier, t.created - o.q.repeat_days * dayMs, t.created))
        r.repeat_complaints++;
    }
  }
  // Surveys and calls have no category or department: they count by site and team only.
  if (o.by === 'site' || o.by === 'team') {
    const { surveys, calls } = data;
    for (let i = 0; i < surveys.size; i++) {
      if (!inRange(surveys.time(i))) continue;
      const s = surveys.get(i);
      const r = row(s.ts, o.by === 'site' ? o.site : data.teamOf(s.agent));
      r.surveys++;
      if (satisfiedOf(s, o.q)) r.satisfied++;
      if (s.score !== null) {
        r.scored++;
        r.score_sum += s.score;
      }
    }
    const fcrMs = o.q.fcr_days * dayMs;
    for (let i = 0; i < calls.size; i++) {
      const ts = calls.time(i);
      if (!inRange(ts)) continue;
      const r = row(ts, o.by === 'site' ? o.site : data.teamOf(calls.agentOf(i)));
      r.calls++;
      if (!calls.calledAgain(i, Math.min(ts + fcrMs, o.now))) r.resolved_first++;
    }
  }
  const out = [...rows.values()];
  for (const r of out) {
    r.on_time_rate = ratio(r.closed_on_time, r.closed);
    r.follow_up_rate = ratio(r.followed_up, r.closed);
    r.repeat_rate = ratio(r.repeat_complaints, r.complaints);
    r.satisfaction = ratio(r.satisfied, r.surveys);
    r.mean_score = ratio(r.score_sum, r.scored);
    r.fcr = ratio(r.resolved_first, r.calls);
  }
  return out.sort((a, b) =>
    a.date < b.date ? -1 : a.date > b.date ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
  );
}
