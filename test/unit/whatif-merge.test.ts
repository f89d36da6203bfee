// The what-if for merging two queues (合大组) on a simulated day: the loads of one interval
// are measured from the simulator's events, the what-if predicts the merged queue's SL by
// formula, and the simulator then reproduces it within its stated tolerance (the mmn
// validation's: batch means over 30 batches, |simulated - formula| <= 4 SE with SE < 0.01).
// The what-if's own short check (seeded replications in a worker thread) is shown too.
import { describe, expect, it } from 'vitest';
import { FLAT_PROFILE } from '../../simulator/distributions/profile.js';
import { Engine } from '../../simulator/generator/engine.js';
import type { SimConfig } from '../../simulator/generator/model.js';
import { mmnScenario } from '../../simulator/scenarios/mmn.js';
import { answerInterval, type IntervalLoad } from '../../ingest/src/core/whatif/model.js';
import { specsFor } from '../../ingest/src/adapters/staffing/whatif-service.js';
import { runSimulation } from '../../ingest/src/runtime/whatif-runner.js';

const FROM = Date.UTC(2026, 0, 5, 8);
const SLOT = 15 * 60_000;
const T = 20;
const PATIENCE = 180;

/** A simulated morning of two queues, A (10 agents) and B (8), each team skilled for its own queue. */
function simulatedDay(): SimConfig {
  return {
    site: 'sim',
    timezone: 'UTC',
    seed: 'merge-day',
    from: FROM,
    to: FROM + 4 * 3_600_000,
    queues: [
      { name: 'A', weight: 8 },
      { name: 'B', weight: 6 },
    ],
    teams: [
      { name: 'ta', agents: 10, skills: ['A'] },
      { name: 'tb', agents: 8, skills: ['B'] },
    ],
    // 14 erlangs at 180 s: 280 calls an hour, 8:6 between A and B.
    peakCallsPerHour: 280,
    profile: FLAT_PROFILE,
    dow: [1, 1, 1, 1, 1, 1, 1],
    profileShiftMs: 0,
    call: {
      handle: 'exponential',
      ahtS: 180,
      handleCv: 1,
      wrapFraction: 0,
      holdProb: 0,
      holdFraction: 0,
      ringS: 0,
      patienceS: PATIENCE,
    },
    workforce: null,
    shifts: [],
    overflow: [],
    tsFormat: 'epoch',
  };
}

/** Calls offered and mean handle per queue in the interval [lo, lo + SLOT), from the events alone. */
function measure(lo: number) {
  const per: Record<string, { calls: number; handle: number; handled: number }> = {
    A: { calls: 0, handle: 0, handled: 0 },
    B: { calls: 0, handle: 0, handled: 0 },
  };
  const answered = new Map<string, number>();
  const queueOf = new Map<string, string>();
  new Engine(simulatedDay(), (ev) => {
    const ts = ev.ts as number;
    if (ev.type === 'call.offered') {
      queueOf.set(ev.call, ev.queue);
      if (ts >= lo && ts < lo + SLOT) per[ev.queue]!.calls++;
    } else if (ev.type === 'call.answered') answered.set(ev.call, ts);
    else if (ev.type === 'call.ended') {
      const a = answered.get(ev.call);
      if (a !== undefined && ts >= lo && ts < lo + SLOT) {
        per[ev.queue]!.handle += (ts - a) / 1000;
        per[ev.queue]!.handled++;
      }
    }
  }).runUntil(Infinity);
  return per;
}

describe('what-if: merge two queues (合大组)', () => {
  it('predicts an SL the simulator reproduces within its stated tolerance', async () => {
    const lo = FROM + 2 * 3_600_000;
    const m = measure(lo);
    expect(m['A']!.calls).toBeGreaterThan(30);
    expect(m['B']!.calls).toBeGreaterThan(20);
    const aht = (q: string) => m[q]!.handle / m[q]!.handled;
    const load: IntervalLoad = {
      start: lo,
      slotMs: SLOT,
      queues: {
        A: {
          queue: 'A',
          calls: m['A']!.calls,
          ahtS: aht('A'),
          agents: 10,
          patienceS: PATIENCE,
          thresholdS: T,
          target: 0.8,
        },
        B: {
          queue: 'B',
          calls: m['B']!.calls,
          ahtS: aht('B'),
          agents: 8,
          patienceS: PATIENCE,
          thresholdS: T,
          target: 0.8,
        },
      },
      mergedAgents: 18,
    };
    const frozen = JSON.stringify(load);
    const answer = answerInterval(load, { kind: 'merge', queues: ['A', 'B'] });
    expect(JSON.stringify(load)).toBe(frozen);
    const merged = answer.queues.find((q) => q.queue === 'A+B')!;
    expect(merged).toMatchObject({
      calls: m['A']!.calls + m['B']!.calls,
      agents: 18,
      patienceS: PATIENCE,
    });
    // Pooling never hurts: the merged SL is at least the two queues' calls-weighted SL before.
    expect(merged.after.sl).toBeGreaterThanOrEqual(merged.before!.sl - 1e-9);

    // The simulator, at the merged load, in steady state: 600 h in 30 batches after a 5-h warm-up.
    const cph = (merged.calls * 3_600_000) / SLOT;
    const hours = 600;
    const start = Date.UTC(2026, 1, 2);
    const calls: { offered: number; wait: number; answered: boolean }[] = [];
    const offered = new Map<string, number>();
    new Engine(
      mmnScenario({
        agents: 18,
        callsPerHour: cph,
        ahtS: merged.ahtS,
        patienceS: PATIENCE,
        hours,
        seed: 'merge-check',
        from: start,
        tsFormat: 'epoch',
      }),
      (ev) => {
        const ts = ev.ts as number;
        if (ev.type === 'call.offered') offered.set(ev.call, ts);
        else if (ev.type === 'call.answered' || ev.type === 'call.abandoned') {
          const at = offered.get(ev.call)!;
          offered.delete(ev.call);
          calls.push({
            offered: at,
            wait: (ts - at) / 1000,
            answered: ev.type === 'call.answered',
          });
        }
      },
    ).runUntil(Infinity);
    const B = 30;
    const warm = start + 5 * 3_600_000;
    const width = (start + hours * 3_600_000 - warm) / B;
    const batches = Array.from({ length: B }, () => ({ n: 0, within: 0 }));
    for (const c of calls) {
      const k = Math.floor((c.offered - warm) / width);
      if (k < 0 || k >= B) continue;
      batches[k]!.n++;
      if (c.answered && c.wait <= T) batches[k]!.within++;
    }
    const v = batches.map((b) => b.within / b.n);
    const mean = v.reduce((s, x) => s + x, 0) / B;
    const se = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / (B - 1)) / Math.sqrt(B);
    const msg = `merged SL: formula ${merged.after.sl.toFixed(4)}, simulated ${mean.toFixed(4)} ± ${se.toFixed(4)} (SE)`;
    expect(se, msg).toBeLessThan(0.01);
    expect(Math.abs(mean - merged.after.sl), msg).toBeLessThanOrEqual(4 * se);

    // The what-if's own check: seeded replications of the interval in a worker thread.
    const specs = specsFor(answer, { kind: 'merge', queues: ['A', 'B'] }, SLOT);
    expect(specs).toHaveLength(1);
    const [sim] = await runSimulation(specs, 40, 'merge-whatif');
    expect(sim).toMatchObject({ queue: 'A+B', sl: { n: 40 } });
    const sd = sim!.sl.sd!;
    expect(sim!.sl.p10!).toBeLessThanOrEqual(sim!.sl.mean!);
    expect(sim!.sl.p90!).toBeGreaterThanOrEqual(sim!.sl.mean!);
    // Its mean agrees with the formula within 4 standard errors of its replications.
    expect(
      Math.abs(sim!.sl.mean! - merged.after.sl),
      `short check ${sim!.sl.mean} ± ${sd / Math.sqrt(40)}`,
    ).toBeLessThanOrEqual(4 * (sd / Math.sqrt(40)));
  }, 120_000);
});
