// Samples of the live feed for the "last hours" charts: the server keeps them (GET
// /api/live/series, every 15 s for 4 h), so a reload or a TV reboot draws the chart at once;
// the board appends its own sample every few seconds while it is open.
import type { SeriesBody } from '../../../ingest/src/core/feed/live-series.js';
import type { LiveSnapshot, QueueLive } from '../../../ingest/src/core/snapshot.js';

/** 5 s between samples × 4 h window = 2,880 points per queue: cheap to draw as one path. */
export const SAMPLE_EVERY_MS = 5_000;
export const SERIES_WINDOW_MS = 4 * 3600_000;

export interface QueueSample {
  queue: string;
  waiting: number;
  within: number;
  denominator: number;
  target: number;
}

export interface Sample {
  at: number;
  queues: QueueSample[];
}

export interface SeriesPoint {
  at: number;
  service_level: number | null;
  waiting: number;
}

function slCounts(q: QueueLive): { within: number; denominator: number } {
  const ex = q.interval.explain['service_level'];
  if (ex) return { within: ex.numerator, denominator: ex.denominator };
  const f = q.interval;
  return {
    within: f.answered_within_threshold,
    denominator: f.answered + f.abandoned - f.short_abandoned,
  };
}

export function takeSample(snapshot: LiveSnapshot, at: number): Sample {
  return {
    at,
    queues: snapshot.queues.map((q) => ({
      queue: q.queue,
      // The chart draws callers queued (not those ringing at an agent), as the tile does.
      waiting: q.queued ?? q.waiting,
      target: q.target,
      ...slCounts(q),
    })),
  };
}

/** The server's points as samples, one per instant, oldest first. */
export function fromServer(body: SeriesBody): Sample[] {
  const byAt = new Map<number, QueueSample[]>();
  for (const [queue, s] of Object.entries(body.queues))
    for (const [at, , queued, within, denominator] of s.points) {
      const list = byAt.get(at);
      const q = { queue, waiting: queued, within, denominator, target: s.target };
      if (list) list.push(q);
      else byAt.set(at, [q]);
    }
  return [...byAt.entries()].sort((a, b) => a[0] - b[0]).map(([at, queues]) => ({ at, queues }));
}

/** The server's samples, then the board's own ones taken after the last of them. */
export function mergeSeries(server: readonly Sample[], local: readonly Sample[]): Sample[] {
  const last = server.length ? (server[server.length - 1] as Sample).at : -Infinity;
  return [...server, ...local.filter((s) => s.at > last)];
}

/** A new array with `sample` appended and samples older than the window dropped. */
export function appendSample(
  series: readonly Sample[],
  sample: Sample,
  windowMs = SERIES_WINDOW_MS,
): Sample[] {
  const cutoff = sample.at - windowMs;
  let first = 0;
  while (first < series.length && (series[first] as Sample).at < cutoff) first++;
  return [...series.slice(first), sample];
}

/** One queue's line, or all queues pooled (SL as Σ within / Σ denominator, not a mean of %). */
export function seriesFor(series: readonly Sample[], queue: string | null): SeriesPoint[] {
  return series.map((s) => {
    const qs = queue === null ? s.queues : s.queues.filter((q) => q.queue === queue);
    let within = 0;
    let den = 0;
    let waiting = 0;
    for (const q of qs) {
      within += q.within;
      den += q.denominator;
      waiting += q.waiting;
    }
    return { at: s.at, service_level: den > 0 ? within / den : null, waiting };
  });
}

/** The target line: the queue's target, or for all queues the common target if they share one. */
export function targetFor(snapshot: LiveSnapshot, queue: string | null): number | null {
  const qs = queue === null ? snapshot.queues : snapshot.queues.filter((q) => q.queue === queue);
  const targets = new Set(qs.map((q) => q.target));
  return targets.size === 1 ? ([...targets][0] as number) : null;
}
