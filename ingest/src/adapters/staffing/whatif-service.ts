// Answers a what-if for the next intervals: the staffing view gives each queue's forecast,
// AHT, patience and staffed agents; the pure model gives the formula's SL, ASA and abandons
// before and after; the simulator, in a worker thread, acts the same case out over seeded
// replications and gives its mean and spread.
import type { AppContext } from '../../app-context.js';
import { queueConfig } from '../../core/site-config.js';
import {
  answerInterval,
  breakCovers,
  type IntervalAnswer,
  type IntervalLoad,
  type QueueLoad,
  type Scenario,
} from '../../core/whatif/model.js';
import { runSimulation } from '../../runtime/whatif-runner.js';
import type { SimResult, SimSpec } from '../../runtime/whatif-sim.js';
import { staffingDay } from './staffing-service.js';

export interface WhatIfOptions {
  /** Intervals starting within this many minutes from now (the one in progress included). */
  minutes: number;
  reps: number;
  seed: string;
}

export interface WhatIfResult {
  slotMs: number;
  answers: IntervalAnswer[];
  simulated: Map<string, SimResult>;
}

const MERGED = '__merge';

export function specsFor(a: IntervalAnswer, s: Scenario, slotMs: number): SimSpec[] {
  const specs: SimSpec[] = [];
  const key = (q: string) => `${a.start}|${q}`;
  if (s.kind === 'overflow') return [];
  for (const q of a.queues) {
    if (s.kind === 'merge' && q.queue !== `${s.queues[0]}+${s.queues[1]}`) continue;
    specs.push({
      id: key(q.queue),
      slotMs,
      queues: [{ name: q.queue, calls: q.calls }],
      teams: [{ name: 't', agents: q.agents, skills: [q.queue] }],
      ahtS: q.ahtS,
      patienceS: q.patienceS,
      thresholdS: q.thresholdS,
    });
  }
  return specs;
}

export async function whatIf(
  ctx: AppContext,
  site: string,
  s: Scenario,
  opts: WhatIfOptions,
): Promise<WhatIfResult> {
  const cfg = ctx.sites.config(site);
  const now = ctx.now();
  const groups = s.kind === 'merge' ? { [MERGED]: [...s.queues] } : undefined;
  const day = await staffingDay(ctx, site, { now, ...(groups ? { groups } : {}) });
  const first = Math.floor(day.nowOffset / day.slotMs) * day.slotMs;
  const last = day.nowOffset + opts.minutes * 60_000;
  const slots = [...new Set(day.rows.map((r) => r.slot))]
    .filter((x) => x >= first && x < last)
    .sort((x, y) => x - y);
  const answers: IntervalAnswer[] = [];
  const specs: SimSpec[] = [];
  for (const slot of slots) {
    const queues: Record<string, QueueLoad> = {};
    for (const r of day.rows.filter((x) => x.slot === slot && !x.queue.startsWith('group:'))) {
      const qc = queueConfig(cfg, r.queue);
      queues[r.queue] = {
        queue: r.queue,
        calls: r.forecast_calls,
        ahtS: r.aht_s ?? 180,
        agents: r.staffed ?? 0,
        patienceS: r.patience_s,
        thresholdS: qc.threshold_s,
        target: qc.target,
      };
    }
    const load: IntervalLoad = { start: day.dayStart + slot, slotMs: day.slotMs, queues };
    const merged = day.rows.find((x) => x.slot === slot && x.queue === `group:${MERGED}`);
    if (merged?.staffed != null) load.mergedAgents = merged.staffed;
    const effective: Scenario =
      s.kind === 'breaks' && !breakCovers(s, now, load.start, day.slotMs)
        ? { kind: 'agents', queue: s.queue, add: 0 }
        : s;
    const a = answerInterval(load, effective);
    answers.push(a);
    specs.push(
      ...(effective.kind === 'overflow'
        ? overflowSpecs(a, load, effective, day.slotMs)
        : specsFor(a, effective, day.slotMs)),
    );
  }
  const results = specs.length ? await runSimulation(specs, opts.reps, opts.seed) : [];
  const simulated = new Map<string, SimResult>();
  for (const r of results) simulated.set(`${r.id.split('|')[0]}|${r.queue}`, r);
  return { slotMs: day.slotMs, answers, simulated };
}

function overflowSpecs(
  a: IntervalAnswer,
  load: IntervalLoad,
  s: Extract<Scenario, { kind: 'overflow' }>,
  slotMs: number,
): SimSpec[] {
  const x = load.queues[s.from]!;
  const y = load.queues[s.to]!;
  const calls = x.calls + y.calls;
  return [
    {
      id: `${a.start}|overflow`,
      slotMs,
      queues: [
        { name: x.queue, calls: x.calls },
        { name: y.queue, calls: y.calls },
      ],
      teams: [
        { name: 'a', agents: x.agents, skills: [x.queue] },
        { name: 'b', agents: y.agents, skills: [y.queue] },
      ],
      // One handle-time distribution in the simulator: the calls-weighted AHT of both.
      ahtS: calls > 0 ? (x.ahtS * x.calls + y.ahtS * y.calls) / calls : x.ahtS,
      patienceS: x.patienceS ?? y.patienceS,
      thresholdS: x.thresholdS,
      overflow: { from: x.queue, to: y.queue, waitingGte: s.waiting_gte },
    },
  ];
}
