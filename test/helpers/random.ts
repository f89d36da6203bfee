// The tests' one seeded random generator: the simulator's (simulator/distributions/rng.ts),
// so a failing seed replays the same numbers in any test.
import { Rng } from '../../simulator/distributions/rng.js';

/** Uniform numbers in [0, 1) from a numeric seed. */
export function seeded(seed: number): () => number {
  const r = new Rng(`test-${seed}`);
  return () => r.next();
}
