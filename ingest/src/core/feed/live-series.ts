// The "last hours" chart, kept by the server (issue 22, defect 12): one sample per queue
// every 15 s of event time, for the last 4 hours, so a board that reloads or a TV that
// reboots draws the same chart at once. A sample at instant b is the queues' state after
// the events up to b: the runtime takes it just before it applies the first event later
// than b (live and during the restart replay alike, so a restart rebuilds the same points),
// and the clock takes it once the feed is quiet.
import type { QueueLive } from '../snapshot.js';

export const SERIES_EVERY_MS = 15_000;
export const SERIES_WINDOW_MS = 4 * 3_600_000;

/** One queue's sample: calls waiting and queued, and the interval's SL counts. */
export type QueuePoint = [at: number, waiting: number, queued: number, within: number, den: number];

export interface SeriesBody {
  every_ms: number;
  window_ms: number;
  /** Per queue, its points oldest first: [at ms, waiting, queued, SL within, SL denominator]. */
  queues: Record<string, { target: number; points: QueuePoint[] }>;
}

function slCounts(q: QueueLive): { within: number; den: number } {
  const ex = q.interval.explain['service_level'];
  if (ex) return { within: ex.numerator, den: ex.denominator };
  const f = q.interval;
  return { within: f.answered_within_threshold, den: f.answered + f.abandoned - f.short_abandoned };
}

export interface SeriesCheckpoint {
  byQueue: Map<string, { target: number; points: QueuePoint[] }>;
  next: number | null;
}

export class LiveSeries {
  private byQueue = new Map<string, { target: number; points: QueuePoint[] }>();
  /** The next sample instant; null before the first event. */
  private next: number | null = null;

  constructor(
    private readonly everyMs = SERIES_EVERY_MS,
    private readonly windowMs = SERIES_WINDOW_MS,
  ) {}

  /**
   * Takes the samples due at or before `upTo` (epoch ms) from `queues(at)`; instants before
   * `skipBefore` are passed over (a replay starts hours before the window).
   */
  advance(upTo: number, queues: (at: number) => QueueLive[], skipBefore = -Infinity): void {
    if (this.next === null) this.next = Math.floor(upTo / this.everyMs) * this.everyMs;
    if (this.next < skipBefore)
      this.next = Math.max(this.next, Math.floor(skipBefore / this.everyMs) * this.everyMs);
    // A feed silent for hours leaves nothing to draw in between: jump to the window.
    const floor = Math.floor((upTo - this.windowMs) / this.everyMs) * this.everyMs;
    if (this.next < floor) this.next = floor;
    while (this.next <= upTo) {
      this.take(this.next, queues(this.next));
      this.next += this.everyMs;
    }
  }

  /** Passes the instants up to `upTo` with no sample (a stale feed draws as a gap, not a flat line). */
  skipTo(upTo: number): void {
    if (this.next !== null && this.next <= upTo)
      this.next = (Math.floor(upTo / this.everyMs) + 1) * this.everyMs;
  }

  private take(at: number, queues: QueueLive[]): void {
    const cutoff = at - this.windowMs;
    for (const q of queues) {
      let s = this.byQueue.get(q.queue);
      if (!s) this.byQueue.set(q.queue, (s = { target: q.target, points: [] }));
      s.target = q.target;
      const { within, den } = slCounts(q);
      s.points.push([at, q.waiting, q.queued ?? q.waiting, within, den]);
      let drop = 0;
      while (drop < s.points.length && (s.points[drop] as QueuePoint)[0] < cutoff) drop++;
      if (drop > 0) s.points.splice(0, drop);
    }
  }

  /** The points of `queues` (all when omitted) from `from` on. */
  body(queues?: readonly string[], from = -Infinity): SeriesBody {
    const out: SeriesBody['queues'] = {};
    for (const [q, s] of this.byQueue) {
      if (queues && !queues.includes(q)) continue;
      out[q] = { target: s.target, points: s.points.filter((p) => p[0] >= from) };
    }
    return { every_ms: this.everyMs, window_ms: this.windowMs, queues: out };
  }

  /** The samples and the next instant, for a checkpoint. */
  exportState(): SeriesCheckpoint {
    return { byQueue: this.byQueue, next: this.next };
  }

  importState(c: SeriesCheckpoint): void {
    this.byQueue = c.byQueue;
    this.next = c.next;
  }

  clear(): void {
    this.byQueue.clear();
    this.next = null;
  }
}
