// Summaries the bench reports: a figure is the median of several runs with its spread,
// and a latency distribution is read off its sorted samples.

export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export function spread(values: number[]): Spread {
  const s = [...values].filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (s.length === 0) return { median: NaN, min: NaN, max: NaN, runs: values };
  return {
    median: quantileSorted(s, 0.5),
    min: s[0] as number,
    max: s[s.length - 1] as number,
    runs: values,
  };
}

/** Quantile by nearest rank on an ascending array (p in 0..1). */
export function quantileSorted(s: ArrayLike<number>, p: number): number {
  if (s.length === 0) return NaN;
  if (p <= 0) return s[0] as number;
  if (p >= 1) return s[s.length - 1] as number;
  const mid = s.length % 2 === 0 && p === 0.5;
  if (mid) return ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] as number;
}

export interface Dist {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function dist(samples: ArrayLike<number>): Dist {
  const s = Float64Array.from(samples as ArrayLike<number>).sort();
  return {
    n: s.length,
    p50: quantileSorted(s, 0.5),
    p95: quantileSorted(s, 0.95),
    p99: quantileSorted(s, 0.99),
    max: s.length ? (s[s.length - 1] as number) : NaN,
  };
}

/** Medians across runs of each field of a distribution. */
export function spreadDist(runs: Dist[]): Record<'p50' | 'p95' | 'p99' | 'max', Spread> {
  return {
    p50: spread(runs.map((r) => r.p50)),
    p95: spread(runs.map((r) => r.p95)),
    p99: spread(runs.map((r) => r.p99)),
    max: spread(runs.map((r) => r.max)),
  };
}
