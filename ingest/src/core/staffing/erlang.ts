// Queueing formulas for staffing: Erlang C (M/M/N, callers wait forever) and Erlang A
// (M/M/N+M, Palm: exponential patience). One pure module shared by the staffing view, the
// what-if and the simulator's validation tests, so all three mean the same thing by "SL".
// Units: rates per second, times in seconds, load in erlangs (calls/s x AHT s).

/** Erlang B by the stable recursion B(0)=1, B(k) = A B(k-1) / (k + A B(k-1)): no factorials, no overflow at 10,000 agents. */
export function erlangB(agents: number, load: number): number {
  let b = 1;
  for (let k = 1; k <= agents; k++) b = (load * b) / (k + load * b);
  return b;
}

/** Erlang C: probability an arriving call waits, N agents, offered load A erlangs. 1 when N <= A (the queue grows without bound). */
export function erlangC(agents: number, load: number): number {
  if (load <= 0) return 0;
  if (agents <= load) return 1;
  const b = erlangB(agents, load);
  return (agents * b) / (agents - load * (1 - b));
}

export interface QueueFigures {
  /** Probability an arriving call waits at all. */
  pWait: number;
  /** Share of offered calls answered within the threshold T (abandons, if any, count against it). */
  sl: number;
  /** Mean wait of answered calls, seconds (Infinity when the queue is unstable). */
  asa: number;
  /** Share of offered calls that abandon (0 for Erlang C). */
  pAbandon: number;
  /** Busy agents / agents. */
  occupancy: number;
}

/** Erlang C figures: SL(T) = 1 - C e^{-(N-A) T / AHT}; ASA = C AHT / (N - A). */
export function erlangCFigures(
  agents: number,
  load: number,
  ahtS: number,
  thresholdS: number,
): QueueFigures {
  if (load <= 0) return { pWait: 0, sl: 1, asa: 0, pAbandon: 0, occupancy: 0 };
  if (agents <= load) return { pWait: 1, sl: 0, asa: Infinity, pAbandon: 0, occupancy: 1 };
  const c = erlangC(agents, load);
  return {
    pWait: c,
    sl: 1 - c * Math.exp((-(agents - load) * thresholdS) / ahtS),
    asa: (c * ahtS) / (agents - load),
    pAbandon: 0,
    occupancy: load / agents,
  };
}

/**
 * The stationary distribution of the M/M/N+M birth-death chain on the number in system:
 * births lambda, deaths k mu for k <= N and N mu + (k-N) theta above. Truncated once the
 * tail terms fall below 1e-15 of the total (theta > 0 makes the tail fall faster than geometric).
 */
function stationaryA(agents: number, lambda: number, mu: number, theta: number): number[] {
  const terms: number[] = [1];
  let total = 1;
  // Work in scaled terms: the raw terms overflow past ~170 agents at high load.
  for (let k = 1; k < 1_000_000; k++) {
    const death = k <= agents ? k * mu : agents * mu + (k - agents) * theta;
    const next = (terms[k - 1]! * lambda) / death;
    terms.push(next);
    total += next;
    if (total > 1e250) {
      for (let i = 0; i < terms.length; i++) terms[i]! /= 1e250;
      total /= 1e250;
    }
    if (k > agents && next < 1e-15 * total) break;
  }
  return terms.map((x) => x / total);
}

/**
 * Erlang A (Palm's M/M/N+M) for N agents, arrival rate lambda (/s), mean handle ahtS and mean
 * patience patienceS (exponential). By PASTA an arrival sees the stationary chain: it waits
 * when k >= N. A caller who finds j others queued ahead moves up at rate N mu + j theta (a
 * server frees or someone ahead abandons) and abandons at theta; the answered-by-T mass and
 * the answered callers' mean wait are integrated over those phases (RK4).
 */
export function erlangAFigures(
  agents: number,
  lambda: number,
  ahtS: number,
  patienceS: number,
  thresholdS: number,
  withAsa = true,
): QueueFigures {
  if (lambda <= 0) return { pWait: 0, sl: 1, asa: 0, pAbandon: 0, occupancy: 0 };
  if (agents <= 0) return { pWait: 1, sl: 0, asa: Infinity, pAbandon: 1, occupancy: 0 };
  const mu = 1 / ahtS;
  const theta = 1 / patienceS;
  const pi = stationaryA(agents, lambda, mu, theta);
  let pWait = 0;
  let abandonRate = 0;
  let busy = 0;
  for (let k = 0; k < pi.length; k++) {
    if (k >= agents) pWait += pi[k]!;
    if (k > agents) abandonRate += (k - agents) * theta * pi[k]!;
    busy += Math.min(k, agents) * pi[k]!;
  }
  const pAbandon = abandonRate / lambda;
  // Phases: p[j] = probability the tagged caller is still waiting with j callers ahead.
  const K = Math.max(0, pi.length - agents);
  let p = new Float64Array(K);
  for (let j = 0; j < K; j++) p[j] = pi[agents + j] ?? 0;
  const advance = (j: number): number => agents * mu + j * theta;
  const deriv = (q: Float64Array): { d: Float64Array; served: number } => {
    const d = new Float64Array(K);
    for (let j = 0; j < K; j++) {
      d[j] = -(advance(j) + theta) * q[j]! + (j + 1 < K ? advance(j + 1) * q[j + 1]! : 0);
    }
    return { d, served: agents * mu * (q[0] ?? 0) };
  };
  // Step well inside the fastest rate; integrate to T for SL and on until the waiting mass is spent for ASA.
  const maxRate = advance(K) + theta;
  const dt = Math.min(1 / maxRate, Math.max(thresholdS, 1) / 50);
  const servedNow = 1 - pWait; // answered at once, wait 0
  let servedByT = servedNow;
  let servedTotal = servedNow;
  let waitMass = 0; // integral of t dServed
  let t = 0;
  let remaining = pWait;
  // Without the ASA the integration stops at T (the staffing search needs the SL alone).
  for (let step = 0; step < 2_000_000 && remaining > 1e-10 && (withAsa || t < thresholdS); step++) {
    const a = deriv(p);
    const add = (x: Float64Array, y: Float64Array, h: number): Float64Array => {
      const o = new Float64Array(K);
      for (let j = 0; j < K; j++) o[j] = x[j]! + h * y[j]!;
      return o;
    };
    const b = deriv(add(p, a.d, dt / 2));
    const c = deriv(add(p, b.d, dt / 2));
    const d = deriv(add(p, c.d, dt));
    const next = new Float64Array(K);
    remaining = 0;
    for (let j = 0; j < K; j++) {
      next[j] = p[j]! + (dt / 6) * (a.d[j]! + 2 * b.d[j]! + 2 * c.d[j]! + d.d[j]!);
      remaining += next[j]!;
    }
    const served = (dt / 6) * (a.served + 2 * b.served + 2 * c.served + d.served);
    servedTotal += served;
    waitMass += served * (t + dt / 2);
    if (t + dt <= thresholdS + 1e-9) servedByT += served;
    else if (t < thresholdS) servedByT += served * ((thresholdS - t) / dt);
    t += dt;
    p = next;
  }
  return {
    pWait,
    sl: Math.min(1, servedByT),
    asa: withAsa ? (servedTotal > 0 ? waitMass / servedTotal : 0) : NaN,
    pAbandon,
    occupancy: busy / agents,
  };
}

/** Mean time in queue of all callers (answered or not): Lq / lambda, by Little's law. */
export function erlangAMeanQueueTime(
  agents: number,
  lambda: number,
  ahtS: number,
  patienceS: number,
): number {
  const pi = stationaryA(agents, lambda, 1 / ahtS, 1 / patienceS);
  let lq = 0;
  for (let k = agents + 1; k < pi.length; k++) lq += (k - agents) * pi[k]!;
  return lq / lambda;
}

export interface StaffingInput {
  /** Calls offered in the interval. */
  calls: number;
  intervalS: number;
  ahtS: number;
  thresholdS: number;
  /** SL target, a fraction. */
  target: number;
  /** Mean patience, seconds; null uses Erlang C. */
  patienceS?: number | null;
  /** Upper bound of the search; 20,000 agents covers the largest centre this serves. */
  maxAgents?: number;
}

/** The model's figures for `agents` on one interval's load. */
export function figuresFor(
  input: Omit<StaffingInput, 'target' | 'maxAgents'>,
  agents: number,
  withAsa = true,
): QueueFigures {
  const lambda = input.calls / input.intervalS;
  if (input.patienceS != null && input.patienceS > 0)
    return erlangAFigures(agents, lambda, input.ahtS, input.patienceS, input.thresholdS, withAsa);
  return erlangCFigures(agents, lambda * input.ahtS, input.ahtS, input.thresholdS);
}

/**
 * The fewest agents whose predicted SL meets the target: Erlang C, or Erlang A when the
 * queue's patience is known. SL rises with agents, so Erlang C walks up from the load and
 * Erlang A bisects between 0 and a bound that meets the target (each Erlang A evaluation
 * integrates the wait, so a walk over hundreds of agents would cost seconds).
 */
export function requiredAgents(input: StaffingInput): { agents: number; figures: QueueFigures } {
  const max = input.maxAgents ?? 20_000;
  if (input.calls <= 0) return { agents: 0, figures: figuresFor(input, 0) };
  const load = (input.calls / input.intervalS) * input.ahtS;
  const meets = (n: number): boolean => figuresFor(input, n, false).sl >= input.target;
  if (input.patienceS == null || input.patienceS <= 0) {
    for (let n = Math.max(1, Math.floor(load) + 1); n <= max; n++)
      if (meets(n)) return { agents: n, figures: figuresFor(input, n) };
    return { agents: max, figures: figuresFor(input, max) };
  }
  let hi = Math.max(1, Math.ceil(load + 3 * Math.sqrt(load)) + 1);
  while (hi < max && !meets(hi)) hi = Math.min(max, hi * 2);
  let lo = 0; // meets(0) is false: nobody answers
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (meets(mid)) hi = mid;
    else lo = mid;
  }
  return { agents: hi, figures: figuresFor(input, hi) };
}
