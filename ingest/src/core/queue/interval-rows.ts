// Read-side calculators over the aggregates: the day's interval rows (the same figures as
// queries/reports/intervals.sql) and the rolling service level over a recent window.
import type { IntervalRow } from '../modules.js';
import { queueConfig } from '../site-config.js';
import type { Explain } from '../snapshot.js';
import { dayOf, type EngineState } from './engine-state.js';
import {
  addCounts,
  bucketCounts,
  emptyCounts,
  figures,
  serviceLevel,
  type Counts,
} from './figures.js';
import { splitWaiting, waitingPast } from './live-queues.js';
import { intervalStart, isoZ } from './time-buckets.js';

export function intervalRows(s: EngineState, now: number): IntervalRow[] {
  const { cfg } = s;
  const zone = cfg.timezone;
  const day = dayOf(s, now);
  const rows: (IntervalRow & { ms: number })[] = [];
  const n = cfg.interval_minutes;
  for (const [q, m] of s.buckets) {
    const qc = queueConfig(cfg, q);
    const per = new Map<number, Counts>();
    const at = (b: number): Counts => {
      const st = intervalStart(b, zone, n);
      const c = per.get(st) ?? emptyCounts();
      per.set(st, c);
      return c;
    };
    for (const [b, bk] of m) {
      if (b < day.start || b >= day.end) continue;
      addCounts(at(b), bucketCounts(bk, qc));
    }
    // Calls still without an end whose deadline has passed expired by the clock, as on the
    // queue tile (live-queues.ts); the report counts them the same way (deadline <= now).
    for (const [b, k] of splitWaiting(s, q, now).expired)
      if (b >= day.start && b < day.end) at(b).expired += k;
    for (const [st, c] of [...per].sort((x, y) => x[0] - y[0])) {
      if (c.offered === 0 && c.handled === 0 && c.expired === 0) continue;
      const f = figures(
        c,
        { ...qc, variant: qc.variant === 'live' ? 'default' : qc.variant },
        { busyMs: 0, readyMs: 0 },
        null,
      );
      rows.push({
        ms: st,
        interval_start: isoZ(st, zone),
        queue: q,
        offered: f.offered,
        answered: f.answered,
        answered_within_threshold: f.answered_within_threshold,
        abandoned: f.abandoned,
        short_abandoned: f.short_abandoned,
        service_level: f.service_level,
        asa_s: f.asa_s,
        aht_s: f.aht_s,
        answer_rate: f.answer_rate,
        expired: c.expired,
      });
    }
  }
  // By start instant (not its text: on a fall-back day 01:00-05:00 comes after 01:30-04:00), then queue.
  rows.sort((a, b) => a.ms - b.ms || (a.queue < b.queue ? -1 : a.queue > b.queue ? 1 : 0));
  return rows.map(({ ms: _ms, ...r }) => r);
}

export function rollingServiceLevel(
  s: EngineState,
  queue: string,
  windowMs: number,
  now: number,
): { value: number | null; explain: Explain } {
  const qc = queueConfig(s.cfg, queue);
  const c = emptyCounts();
  const rf = s.recentFolded.get(queue);
  // [end ts, kind, wait ms] of every queue phase that ended in the last hours: folded calls'
  // from their compact arrays, held calls' from their records.
  const ends: [number, 1 | 2, number][] = [];
  if (rf)
    for (let i = 0; i < rf.ts.length; i++) {
      const w = rf.w[i] as number;
      ends.push([rf.ts[i] as number, w >= 0 ? 1 : 2, w >= 0 ? w : -w - 1]);
    }
  for (const r of s.recent.get(queue)?.values() ?? [])
    ends.push([r.phaseEndAt, r.phKind as 1 | 2, r.phaseWaitMs]);
  for (const [ts, kind, w] of ends) {
    if (ts <= now - windowMs || ts > now) continue;
    if (kind === 1) {
      c.answered++;
      c.waitMs += w;
      if (w <= qc.threshold_s * 1000) c.within++;
    } else {
      c.abandoned++;
      if (w < qc.short_abandon_s * 1000) c.short++;
    }
  }
  c.offered = c.answered + c.abandoned;
  return serviceLevel(c, qc.variant, qc.variant === 'live' ? waitingPast(s, queue, now) : 0);
}
