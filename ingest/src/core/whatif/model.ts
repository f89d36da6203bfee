// What-if for the shift lead: what merging two queues (合大组), overflowing one to another
// when N calls wait, granting more breaks now, or adding agents would do to SL, ASA and
// abandons per interval. The formula answer comes from the Erlang module; the same case is
// also described as simulation specs (sim-spec.ts) that the validated simulator acts out. Pure.
import { figuresFor, type QueueFigures } from '../staffing/erlang.js';

export type Scenario =
  | { kind: 'merge'; queues: [string, string] }
  | { kind: 'overflow'; from: string; to: string; waiting_gte: number }
  | { kind: 'breaks'; queue: string; count: number; minutes: number }
  | { kind: 'agents'; queue: string; add: number };

/** One queue's load and agents in one interval (from the staffing view). */
export interface QueueLoad {
  queue: string;
  calls: number;
  ahtS: number;
  agents: number;
  patienceS: number | null;
  thresholdS: number;
  target: number;
}

export interface IntervalLoad {
  /** Epoch ms the interval starts. */
  start: number;
  slotMs: number;
  queues: Record<string, QueueLoad>;
  /** Agents skilled for either merged queue, counted once (for a merge). */
  mergedAgents?: number;
}

export interface Predicted {
  sl: number;
  /** Null when the queue cannot keep up (Erlang C with agents <= load). */
  asa_s: number | null;
  abandon: number;
}

export interface ScenarioQueue {
  queue: string;
  calls: number;
  agents: number;
  ahtS: number;
  patienceS: number | null;
  thresholdS: number;
  before: Predicted | null;
  after: Predicted;
}

export interface IntervalAnswer {
  start: number;
  queues: ScenarioQueue[];
}

export class WhatIfError extends Error {
  readonly code = 'bad_what_if';
}

export function predict(q: Omit<QueueLoad, 'queue' | 'target'>, slotMs: number): Predicted {
  const f: QueueFigures = figuresFor(
    {
      calls: q.calls,
      intervalS: slotMs / 1000,
      ahtS: q.ahtS,
      thresholdS: q.thresholdS,
      patienceS: q.patienceS,
    },
    q.agents,
  );
  return { sl: f.sl, asa_s: Number.isFinite(f.asa) ? f.asa : null, abandon: f.pAbandon };
}

/** Calls-weighted mean of two queues' figures (the callers' experience over both). */
function combine(
  a: { calls: number; p: Predicted },
  b: { calls: number; p: Predicted },
): Predicted {
  const n = a.calls + b.calls || 1;
  const asa =
    a.p.asa_s === null || b.p.asa_s === null
      ? null
      : (a.p.asa_s * a.calls + b.p.asa_s * b.calls) / n;
  return {
    sl: (a.p.sl * a.calls + b.p.sl * b.calls) / n,
    asa_s: asa,
    abandon: (a.p.abandon * a.calls + b.p.abandon * b.calls) / n,
  };
}

function need(l: IntervalLoad, q: string): QueueLoad {
  const x = l.queues[q];
  if (!x)
    throw new WhatIfError(
      `queue "${q}" has no forecast for the interval starting ${new Date(l.start).toISOString()}`,
    );
  return x;
}

/**
 * Overflow "when N calls wait": the share of A's callers who would find N-1 or more already
 * waiting, Erlang C's P(Lq >= N-1) = C rho^(N-1), leaves A for B (a thinning of Poisson
 * traffic; the real overflow stream is burstier than Poisson, which the simulation shows).
 */
export function overflowShare(a: QueueLoad, slotMs: number, waitingGte: number): number {
  const load = (a.calls / (slotMs / 1000)) * a.ahtS;
  if (a.agents <= 0) return 1;
  if (load >= a.agents) return 1;
  const rho = load / a.agents;
  const c = figuresFor(
    {
      calls: a.calls,
      intervalS: slotMs / 1000,
      ahtS: a.ahtS,
      thresholdS: a.thresholdS,
      patienceS: null,
    },
    a.agents,
  ).pWait;
  return Math.min(1, c * rho ** Math.max(0, waitingGte - 1));
}

export function answerInterval(l: IntervalLoad, s: Scenario): IntervalAnswer {
  const row = (
    q: QueueLoad,
    before: Predicted | null,
    after: Omit<QueueLoad, 'target'>,
  ): ScenarioQueue => ({
    queue: after.queue,
    calls: after.calls,
    agents: after.agents,
    ahtS: after.ahtS,
    patienceS: after.patienceS,
    thresholdS: after.thresholdS,
    before,
    after: predict(after, l.slotMs),
  });
  switch (s.kind) {
    case 'merge': {
      const [a, b] = [need(l, s.queues[0]), need(l, s.queues[1])];
      const pa = predict(a, l.slotMs);
      const pb = predict(b, l.slotMs);
      const calls = a.calls + b.calls;
      const aht = calls > 0 ? (a.ahtS * a.calls + b.ahtS * b.calls) / calls : a.ahtS;
      // Patience known for both: calls-weighted; for one only, that one; else Erlang C.
      const patience =
        a.patienceS !== null && b.patienceS !== null
          ? (a.patienceS * a.calls + b.patienceS * b.calls) / (calls || 1)
          : (a.patienceS ?? b.patienceS);
      const merged = {
        queue: `${a.queue}+${b.queue}`,
        calls,
        ahtS: aht,
        agents: l.mergedAgents ?? a.agents + b.agents,
        patienceS: patience,
        thresholdS: a.thresholdS,
      };
      return {
        start: l.start,
        queues: [
          { ...row(a, pa, a), after: pa },
          { ...row(b, pb, b), after: pb },
          row(a, combine({ calls: a.calls, p: pa }, { calls: b.calls, p: pb }), merged),
        ],
      };
    }
    case 'overflow': {
      const [a, b] = [need(l, s.from), need(l, s.to)];
      const p = overflowShare(a, l.slotMs, s.waiting_gte);
      const a2 = { ...a, calls: a.calls * (1 - p) };
      const b2 = {
        ...b,
        calls: b.calls + a.calls * p,
        ahtS:
          b.calls + a.calls * p > 0
            ? (b.ahtS * b.calls + a.ahtS * a.calls * p) / (b.calls + a.calls * p)
            : b.ahtS,
      };
      return {
        start: l.start,
        queues: [row(a, predict(a, l.slotMs), a2), row(b, predict(b, l.slotMs), b2)],
      };
    }
    case 'breaks':
    case 'agents': {
      const q = need(l, s.queue);
      const delta = s.kind === 'agents' ? s.add : -s.count;
      return {
        start: l.start,
        queues: [row(q, predict(q, l.slotMs), { ...q, agents: Math.max(0, q.agents + delta) })],
      };
    }
  }
}

/** Whether a break scenario touches the interval: breaks granted at `now` last `minutes`. */
export function breakCovers(s: Scenario, now: number, start: number, slotMs: number): boolean {
  return s.kind !== 'breaks' || (start < now + s.minutes * 60_000 && start + slotMs > now);
}
