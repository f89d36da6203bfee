// LiveSeries (core/feed/live-series.ts): samples at fixed instants, a 4-hour window, and a
// gap (not a flat line) for a stale stretch.
import { describe, expect, it } from 'vitest';
import { LiveSeries } from '../../ingest/src/core/feed/live-series.js';
import type { QueueLive } from '../../ingest/src/core/snapshot.js';

const queue = (waiting: number): QueueLive =>
  ({
    queue: 'q1',
    waiting,
    queued: waiting,
    ringing: 0,
    target: 0.8,
    interval: {
      answered_within_threshold: 3,
      answered: 4,
      abandoned: 0,
      short_abandoned: 0,
      explain: {},
    },
  }) as unknown as QueueLive;

describe('LiveSeries', () => {
  it('samples every step up to the instant, keeps 4 h, and skips a stale stretch', () => {
    const s = new LiveSeries(15_000, 3_600_000);
    const seen: number[] = [];
    s.advance(60_000, (at) => (seen.push(at), [queue(at / 15_000)]));
    expect(seen).toEqual([60_000]);
    s.advance(120_000, (at) => (seen.push(at), [queue(at / 15_000)]));
    expect(seen).toEqual([60_000, 75_000, 90_000, 105_000, 120_000]);
    expect(s.body().queues['q1']?.points[1]).toEqual([75_000, 5, 5, 3, 4]);
    s.skipTo(300_000);
    s.advance(315_000, () => [queue(1)]);
    expect(
      s
        .body()
        .queues['q1']?.points.map((p) => p[0])
        .slice(-2),
    ).toEqual([120_000, 315_000]);
    // Hours later: only the window is sampled, and older points are dropped.
    let n = 0;
    s.advance(10 * 3_600_000, () => (n++, [queue(0)]));
    expect(n).toBe(241);
    expect(s.body().queues['q1']?.points[0]?.[0]).toBe(9 * 3_600_000);
  });
});
