// The what-if's check by simulation: each case is acted out by the validated simulator
// (simulator/, tested against Erlang C and A) for a warm-up and one interval, over several
// seeded replications, and measured from its events the way any consumer would: per queue
// where the caller's queue phase ended, SL = answered within T / calls, ASA over answered,
// abandon share. Runs in a worker thread (whatif-worker.ts) so the live engine never waits.
import { FLAT_PROFILE } from '../../../simulator/distributions/profile.js';
import { Engine } from '../../../simulator/generator/engine.js';
import type { SimConfig } from '../../../simulator/generator/model.js';

export interface SimSpec {
  /** Which answer row this checks (queue name as the answer shows it). */
  id: string;
  slotMs: number;
  queues: { name: string; calls: number }[];
  teams: { name: string; agents: number; skills: string[] }[];
  ahtS: number;
  patienceS: number | null;
  thresholdS: number;
  overflow?: { from: string; to: string; waitingGte: number };
}

export interface Spread {
  mean: number | null;
  sd: number | null;
  p10: number | null;
  p90: number | null;
  /** Replications that had calls for this figure. */
  n: number;
}

export interface SimResult {
  id: string;
  queue: string;
  calls: number;
  sl: Spread;
  asa_s: Spread;
  abandon: Spread;
}

/** A warm-up of 30 min: the queue starts empty, and half an hour at the interval's load settles it (relaxation times here are minutes). */
export const WARMUP_MS = 30 * 60_000;
/** Calls offered in the interval still waiting at its end are followed for up to 30 min. */
const TAIL_MS = 30 * 60_000;
const FROM = Date.UTC(2026, 0, 5);

function spread(xs: number[]): Spread {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return { mean: null, sd: null, p10: null, p90: null, n: 0 };
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  const sd =
    v.length > 1 ? Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / (v.length - 1)) : 0;
  const q = (p: number) => v[Math.min(v.length - 1, Math.max(0, Math.round(p * (v.length - 1))))]!;
  return { mean, sd, p10: q(0.1), p90: q(0.9), n: v.length };
}

function config(spec: SimSpec, seed: string): SimConfig {
  const total = spec.queues.reduce((s, q) => s + q.calls, 0);
  return {
    site: 'whatif',
    timezone: 'UTC',
    seed,
    from: FROM,
    to: FROM + WARMUP_MS + spec.slotMs + TAIL_MS,
    queues: spec.queues.map((q) => ({ name: q.name, weight: q.calls })),
    teams: spec.teams.filter((t) => t.agents > 0),
    peakCallsPerHour: (total * 3_600_000) / spec.slotMs,
    profile: FLAT_PROFILE,
    dow: [1, 1, 1, 1, 1, 1, 1],
    profileShiftMs: 0,
    call: {
      handle: 'exponential',
      ahtS: spec.ahtS,
      handleCv: 1,
      wrapFraction: 0,
      holdProb: 0,
      holdFraction: 0,
      ringS: 0,
      patienceS: spec.patienceS,
    },
    workforce: null,
    shifts: [],
    overflow: spec.overflow
      ? [
          {
            id: 'whatif',
            queue: spec.overflow.from,
            conditions: { waiting_gte: spec.overflow.waitingGte },
            mode: 'any',
            hold_down_s: 0,
            clear_down_s: 0,
            level: 'info',
            action: { kind: 'overflow', to: spec.overflow.to },
          },
        ]
      : [],
    tsFormat: 'epoch',
  };
}

/** One replication: per queue (where the phase ended), the calls offered in the interval. */
function once(
  spec: SimSpec,
  seed: string,
): Map<
  string,
  { calls: number; within: number; answered: number; waitSum: number; abandoned: number }
> {
  const lo = FROM + WARMUP_MS;
  const hi = lo + spec.slotMs;
  const offered = new Map<string, number>();
  const out = new Map<
    string,
    { calls: number; within: number; answered: number; waitSum: number; abandoned: number }
  >();
  for (const q of spec.queues)
    out.set(q.name, { calls: 0, within: 0, answered: 0, waitSum: 0, abandoned: 0 });
  if (spec.queues.every((q) => q.calls <= 0)) return out;
  const engine = new Engine(config(spec, seed), (ev) => {
    const ts = ev.ts as number;
    if (ev.type === 'call.offered') {
      if (ts >= lo && ts < hi) offered.set(ev.call, ts);
    } else if (ev.type === 'call.answered' || ev.type === 'call.abandoned') {
      const at = offered.get(ev.call);
      if (at === undefined) return;
      offered.delete(ev.call);
      const m = out.get(ev.queue) ?? { calls: 0, within: 0, answered: 0, waitSum: 0, abandoned: 0 };
      out.set(ev.queue, m);
      const wait = (ts - at) / 1000;
      m.calls++;
      if (ev.type === 'call.answered') {
        m.answered++;
        m.waitSum += wait;
        if (wait <= spec.thresholdS) m.within++;
      } else m.abandoned++;
    }
  });
  engine.runUntil(Infinity);
  return out;
}

export function simulate(spec: SimSpec, reps: number, seed: string): SimResult[] {
  const per = new Map<string, { sl: number[]; asa: number[]; ab: number[]; calls: number }>();
  for (let r = 0; r < reps; r++) {
    for (const [queue, m] of once(spec, `${seed}:${spec.id}:${r}`)) {
      let x = per.get(queue);
      if (!x) per.set(queue, (x = { sl: [], asa: [], ab: [], calls: 0 }));
      x.calls += m.calls;
      if (m.calls > 0) {
        x.sl.push(m.within / m.calls);
        x.ab.push(m.abandoned / m.calls);
      }
      if (m.answered > 0) x.asa.push(m.waitSum / m.answered);
    }
  }
  return [...per].map(([queue, x]) => ({
    id: spec.id,
    queue,
    calls: x.calls / reps,
    sl: spread(x.sl),
    asa_s: spread(x.asa),
    abandon: spread(x.ab),
  }));
}
