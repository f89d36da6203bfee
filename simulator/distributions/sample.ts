// Random variates used by the simulator. Each takes the Rng explicitly (no hidden state),
// and the parameters are in the units the CLI speaks: seconds and means.
import type { Rng } from './rng.js';

/** Exponential with the given mean. */
export function exponential(rng: Rng, mean: number): number {
  return -Math.log(rng.nextOpen()) * mean;
}

/** Standard normal by Box-Muller (one of the pair is discarded to keep the stream simple). */
export function standardNormal(rng: Rng): number {
  const u = rng.nextOpen();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function normal(rng: Rng, mean: number, sd: number): number {
  return mean + sd * standardNormal(rng);
}

/**
 * Lognormal parameterised by its mean and coefficient of variation, the way handle times
 * are quoted (AHT 300 s, CV 0.6): sigma^2 = ln(1 + cv^2), mu = ln(mean) - sigma^2 / 2.
 */
export function lognormal(rng: Rng, mean: number, cv: number): number {
  const s2 = Math.log(1 + cv * cv);
  return Math.exp(Math.log(mean) - s2 / 2 + Math.sqrt(s2) * standardNormal(rng));
}

export type HandleDistribution = 'lognormal' | 'exponential';

export function handleTime(rng: Rng, dist: HandleDistribution, mean: number, cv: number): number {
  return dist === 'exponential' ? exponential(rng, mean) : lognormal(rng, mean, cv);
}

/** Picks an index with probability proportional to its weight. */
export function weightedIndex(rng: Rng, weights: readonly number[]): number {
  let total = 0;
  for (const w of weights) total += w;
  let x = rng.next() * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i] ?? 0;
    if (x < 0) return i;
  }
  return weights.length - 1;
}
