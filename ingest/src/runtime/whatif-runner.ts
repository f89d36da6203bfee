// Runs the what-if simulation in a worker thread (worker_threads): the live engine and the
// HTTP server keep their thread. A run that outlives its time limit is stopped and reported.
import { Worker } from 'node:worker_threads';
import type { SimResult, SimSpec } from './whatif-sim.js';

export class SimulationError extends Error {
  readonly code = 'simulation_failed';
}

// The worker loads TypeScript sources: its bootstrap registers tsx's loader in the thread.
const WORKER_URL = new URL('./whatif-worker-boot.mjs', import.meta.url);

export function runSimulation(
  specs: SimSpec[],
  reps: number,
  seed: string,
  timeoutMs = 60_000,
): Promise<SimResult[]> {
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER_URL, { workerData: { specs, reps, seed } });
    const timer = setTimeout(() => {
      void w.terminate();
      reject(new SimulationError(`the simulation did not finish within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    w.once('message', (m: { ok: true; results: SimResult[] } | { ok: false; error: string }) => {
      clearTimeout(timer);
      void w.terminate();
      if (m.ok) resolve(m.results);
      else reject(new SimulationError(`the simulation failed: ${m.error}`));
    });
    w.once('error', (e) => {
      clearTimeout(timer);
      reject(new SimulationError(`the simulation worker failed: ${e.message}`, { cause: e }));
    });
  });
}
