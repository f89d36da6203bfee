// Worker-thread entry of the what-if simulation: gets specs, replications and a seed,
// posts back the results. Kept apart so a long simulation never blocks the live engine.
import { parentPort, workerData } from 'node:worker_threads';
import { simulate, type SimSpec } from './whatif-sim.js';

const { specs, reps, seed } = workerData as { specs: SimSpec[]; reps: number; seed: string };
try {
  parentPort?.postMessage({ ok: true, results: specs.flatMap((s) => simulate(s, reps, seed)) });
} catch (e) {
  parentPort?.postMessage({ ok: false, error: (e as Error).message });
}
