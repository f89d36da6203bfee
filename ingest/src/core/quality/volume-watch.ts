// The complaint-volume watch: complaint tickets per category in the current interval against
// mean + k·σ of the same interval (same weekday, same local time) in the previous weeks. The
// seeds: a spike of complaints is often the first sign of a fault (通过分析客户投诉,发现异常情况).
import { DateTime } from 'luxon';
import { intervalStart } from '../queue/time-buckets.js';
import type { QualityConfig } from './config.js';

export interface VolumeCounts {
  /** category -> interval start (epoch ms) -> complaint tickets created in it. */
  readonly counts: ReadonlyMap<string, ReadonlyMap<number, number>>;
  /** The earliest complaint seen (epoch ms), or null: the history the baseline can stand on. */
  readonly since: number | null;
}

export interface VolumeSpike {
  category: string;
  interval_start: number;
  count: number;
  mean: number;
  sd: number;
  threshold: number;
  baseline: number[];
}

/** The same interval `weeks` weeks back, in local time (DST-safe). */
export function sameIntervalBefore(start: number, weeks: number, zone: string): number {
  return DateTime.fromMillis(start, { zone }).minus({ weeks }).toMillis();
}

export function meanSd(xs: readonly number[]): { mean: number; sd: number } {
  if (xs.length === 0) return { mean: 0, sd: 0 };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  // Population σ: the previous weeks are the whole baseline, not a sample of a larger one.
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  return { mean, sd };
}

/** Categories whose count in the interval holding `now` is above mean + k·σ (and at least min_count). */
export function volumeSpikes(
  v: VolumeCounts,
  q: QualityConfig,
  zone: string,
  intervalMinutes: number,
  now: number,
): VolumeSpike[] {
  const w = q.volume_watch;
  if (!w.enabled) return [];
  const start = intervalStart(now, zone, intervalMinutes);
  // No judgement unless history reaches into the oldest baseline interval: a new site's (or a demo's) first
  // complaints would otherwise all read as a spike over a baseline of zeros.
  if (
    v.since === null ||
    v.since >= sameIntervalBefore(start, w.weeks, zone) + intervalMinutes * 60_000
  )
    return [];
  const out: VolumeSpike[] = [];
  for (const [category, byStart] of v.counts) {
    const count = byStart.get(start) ?? 0;
    if (count < w.min_count) continue;
    const baseline: number[] = [];
    for (let i = 1; i <= w.weeks; i++)
      baseline.push(byStart.get(sameIntervalBefore(start, i, zone)) ?? 0);
    const { mean, sd } = meanSd(baseline);
    const threshold = mean + w.k * sd;
    if (count > threshold)
      out.push({ category, interval_start: start, count, mean, sd, threshold, baseline });
  }
  return out;
}
