// The simulator's queueing agrees with queueing theory. Long `mmn` runs (one queue, N agents,
// Poisson arrivals, exponential service) are measured from the emitted events alone, the way
// any consumer would, and compared with Erlang C (no abandons) and Erlang A (exponential
// patience, Palm's M/M/N+M). The formulas come from the staffing module, independent of the simulator.
//
// Tolerance, and why: each run is cut into B = 30 batches of consecutive calls (by offer
// time) after a warm-up. Batches last many relaxation times (the slowest case, N=50 at 92%
// occupancy, relaxes in ~AHT/(N(1-sqrt(rho))^2) = 36 min; a batch is 10 h or more), so batch means are
// close to independent and their spread gives a standard error SE = sd/sqrt(B). We require
// |simulated - formula| <= 4 SE: with 29 degrees of freedom P(|t| > 4) is about 4e-4 per
// check when the simulator is right. To keep that from being vacuous we also require the
// intervals to be tight: SE of a probability below 0.01 and SE of ASA below 10% of ASA.
import { describe, expect, it } from 'vitest';
import { Engine } from '../../simulator/generator/engine.js';
import { mmnScenario } from '../../simulator/scenarios/mmn.js';
import { erlangAFigures, erlangC, erlangCFigures } from '../../ingest/src/core/staffing/erlang.js';

// ---- formulas ---------------------------------------------------------------------------
// From the one shared staffing module (ingest/src/core/staffing/erlang.ts), itself tested
// against published values in staffing-erlang.test.ts.

function erlangCMetrics(n: number, a: number, aht: number, t: number) {
  const f = erlangCFigures(n, a, aht, t);
  return { pWait: f.pWait, sl: f.sl, asa: f.asa };
}

/** Erlang A (M/M/N+M) for N agents, arrival rate lambda, service rate mu, abandon rate theta (per second). */
function erlangA(n: number, lambda: number, mu: number, theta: number) {
  const f = erlangAFigures(n, lambda, 1 / mu, 1 / theta, T, false);
  return { pWait: f.pWait, pAbandon: f.pAbandon, sl: f.sl };
}

// ---- measurement ------------------------------------------------------------------------

interface CallOutcome {
  offered: number;
  wait: number;
  answered: boolean;
}

/** Runs the mmn scenario in process and returns each call's outcome, from the events only. */
function runMmn(
  agents: number,
  callsPerHour: number,
  ahtS: number,
  patienceS: number | null,
  hours: number,
  seed: string,
) {
  const from = Date.UTC(2026, 0, 5);
  const offered = new Map<string, number>();
  const outcomes: CallOutcome[] = [];
  const engine = new Engine(
    mmnScenario({ agents, callsPerHour, ahtS, patienceS, hours, seed, from, tsFormat: 'epoch' }),
    (ev) => {
      const ts = ev.ts as number;
      if (ev.type === 'call.offered') offered.set(ev.call, ts);
      else if (ev.type === 'call.answered' || ev.type === 'call.abandoned') {
        const at = offered.get(ev.call);
        if (at === undefined) throw new Error(`${ev.type} for a call never offered: ${ev.call}`);
        offered.delete(ev.call);
        outcomes.push({
          offered: at,
          wait: (ts - at) / 1000,
          answered: ev.type === 'call.answered',
        });
      }
    },
  );
  engine.runUntil(Infinity);
  return { from, to: from + hours * 3_600_000, outcomes };
}

interface Estimate {
  mean: number;
  se: number;
}

/** Batch means over B equal time batches after `warmupH` hours; each batch yields one value of `f`. */
function batchMeans(
  run: ReturnType<typeof runMmn>,
  warmupH: number,
  b: number,
  f: (calls: CallOutcome[]) => number,
): Estimate {
  const start = run.from + warmupH * 3_600_000;
  const width = (run.to - start) / b;
  const batches: CallOutcome[][] = Array.from({ length: b }, () => []);
  for (const c of run.outcomes) {
    const k = Math.floor((c.offered - start) / width);
    // Calls offered near the end may still be waiting when the run stops: the last batch
    // loses at most a few of them, which is why only completed calls are measured.
    if (k >= 0 && k < b) batches[k]!.push(c);
  }
  const values = batches.map(f);
  const mean = values.reduce((s, v) => s + v, 0) / b;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (b - 1));
  return { mean, se: sd / Math.sqrt(b) };
}

const B = 30;
const T = 20;
const pWaitOf = (cs: CallOutcome[]) => cs.filter((c) => c.wait > 0).length / cs.length;
const slOf = (cs: CallOutcome[]) => cs.filter((c) => c.answered && c.wait <= T).length / cs.length;
const asaOf = (cs: CallOutcome[]) => {
  const a = cs.filter((c) => c.answered);
  return a.reduce((s, c) => s + c.wait, 0) / a.length;
};
const abandonOf = (cs: CallOutcome[]) => cs.filter((c) => !c.answered).length / cs.length;

function expectWithin(est: Estimate, expected: number, label: string, maxSe: number): void {
  const msg = `${label}: simulated ${est.mean.toFixed(4)} ± ${est.se.toFixed(4)} (SE), formula ${expected.toFixed(4)}`;
  expect(est.se, `${msg}; interval not tight enough`).toBeLessThan(maxSe);
  expect(Math.abs(est.mean - expected), msg).toBeLessThanOrEqual(4 * est.se);
}

// ---- Erlang C ---------------------------------------------------------------------------

describe('mmn without abandons agrees with Erlang C', () => {
  // Three loads: occupancy A/N = 0.70, 0.85 and 0.92 (the last above 90%).
  const cases = [
    { agents: 10, load: 7, aht: 180, hours: 150 * 5, warmup: 5 },
    { agents: 20, load: 17, aht: 180, hours: 150 * 4, warmup: 10 },
    { agents: 50, load: 46, aht: 180, hours: 1200, warmup: 10 },
  ];
  for (const c of cases) {
    it(`N=${c.agents}, A=${c.load} erlangs (occupancy ${(c.load / c.agents).toFixed(2)})`, () => {
      const cph = (c.load * 3600) / c.aht;
      const run = runMmn(c.agents, cph, c.aht, null, c.hours, `erlang-c-${c.agents}`);
      expect(run.outcomes.length).toBeGreaterThan(100_000);
      expect(run.outcomes.every((o) => o.answered)).toBe(true);
      const f = erlangCMetrics(c.agents, c.load, c.aht, T);
      expectWithin(batchMeans(run, c.warmup, B, pWaitOf), f.pWait, 'P(wait)', 0.01);
      expectWithin(batchMeans(run, c.warmup, B, slOf), f.sl, `SL(${T}s)`, 0.01);
      expectWithin(batchMeans(run, c.warmup, B, asaOf), f.asa, 'ASA', 0.1 * f.asa);
    });
  }
});

// ---- Erlang A ---------------------------------------------------------------------------

describe('mmn with exponential patience agrees with Erlang A', () => {
  const cases = [
    { agents: 20, load: 18, aht: 180, patience: 120, hours: 600, warmup: 5 },
    // Offered load above capacity: only abandons keep the queue stable.
    { agents: 20, load: 22, aht: 180, patience: 60, hours: 600, warmup: 5 },
  ];
  for (const c of cases) {
    it(`N=${c.agents}, A=${c.load} erlangs, mean patience ${c.patience} s`, () => {
      const cph = (c.load * 3600) / c.aht;
      const run = runMmn(c.agents, cph, c.aht, c.patience, c.hours, `erlang-a-${c.load}`);
      expect(run.outcomes.length).toBeGreaterThan(100_000);
      const f = erlangA(c.agents, cph / 3600, 1 / c.aht, 1 / c.patience);
      expectWithin(batchMeans(run, c.warmup, B, abandonOf), f.pAbandon, 'P(abandon)', 0.01);
      expectWithin(batchMeans(run, c.warmup, B, pWaitOf), f.pWait, 'P(wait)', 0.01);
      // SL with abandons: answered within T over all offered, as the staffing module defines it.
      expectWithin(batchMeans(run, c.warmup, B, slOf), f.sl, `SL(${T}s)`, 0.01);
    });
  }
});

describe('the formulas themselves', () => {
  it('Erlang C matches a textbook value and Erlang A tends to it as patience grows', () => {
    // Textbook: N=10, A=7 erlangs gives C = 0.2217 (to 4 places).
    expect(erlangC(10, 7)).toBeCloseTo(0.2217, 3);
    const a = erlangA(10, 7 / 180, 1 / 180, 1e-9);
    expect(a.pWait).toBeCloseTo(erlangC(10, 7), 3);
    expect(a.pAbandon).toBeLessThan(1e-6);
  });
});
