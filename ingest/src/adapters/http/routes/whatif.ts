// POST /api/sites/{site}/what-if (issue 24): the shift lead's question about the next
// intervals, answered by the Erlang formulas and checked by a seeded simulation in a
// worker thread. Body: {"kind":"merge","queues":["A","B"]} | {"kind":"overflow","from":"A",
// "to":"B","waiting_gte":5} | {"kind":"breaks","queue":"A","count":3[,"minutes":15]} |
// {"kind":"agents","queue":"A","add":2}; optional "minutes" (horizon, default 60), "reps"
// (replications, default 20), "seed".
import type { AppContext } from '../../../app-context.js';
import { DEFAULT_WORK_STATE } from '../../../core/workstate/config.js';
import { WhatIfError, type Predicted, type Scenario } from '../../../core/whatif/model.js';
import { whatIf } from '../../staffing/whatif-service.js';
import { isoInZone } from '../range.js';
import { HttpError, jsonBody, type Router } from '../router.js';

const SITE_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const NAME_OK = (s: unknown): s is string =>
  typeof s === 'string' && s.length >= 1 && s.length <= 64 && !/[\u0000-\u001f]/.test(s);
const int = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

export function parseScenario(b: Record<string, unknown>, breakMinutes: number): Scenario {
  switch (b['kind']) {
    case 'merge': {
      const q = b['queues'];
      if (!Array.isArray(q) || q.length !== 2 || !q.every(NAME_OK) || q[0] === q[1])
        throw new HttpError(400, '"queues" must name two different queues to merge (合大组)');
      return { kind: 'merge', queues: [q[0] as string, q[1] as string] };
    }
    case 'overflow':
      if (!NAME_OK(b['from']) || !NAME_OK(b['to']) || b['from'] === b['to'])
        throw new HttpError(400, '"from" and "to" must name two different queues');
      if (!int(b['waiting_gte'], 1, 10_000))
        throw new HttpError(
          400,
          '"waiting_gte" must be a whole number of waiting calls from 1 to 10000',
        );
      return { kind: 'overflow', from: b['from'], to: b['to'], waiting_gte: b['waiting_gte'] };
    case 'breaks':
      if (!NAME_OK(b['queue']))
        throw new HttpError(400, '"queue" must name the queue the agents on break would leave');
      if (!int(b['count'], 1, 1000))
        throw new HttpError(400, '"count" must be a whole number of breaks from 1 to 1000');
      if (b['minutes'] !== undefined && !int(b['minutes'], 1, 480))
        throw new HttpError(400, '"minutes" must be a whole number from 1 to 480');
      return {
        kind: 'breaks',
        queue: b['queue'],
        count: b['count'],
        minutes: (b['minutes'] as number | undefined) ?? breakMinutes,
      };
    case 'agents':
      if (!NAME_OK(b['queue']))
        throw new HttpError(400, '"queue" must name the queue the agents would join');
      if (!int(b['add'], -1000, 1000) || b['add'] === 0)
        throw new HttpError(
          400,
          '"add" must be a whole number of agents from -1000 to 1000, not 0',
        );
      return { kind: 'agents', queue: b['queue'], add: b['add'] };
    default:
      throw new HttpError(400, '"kind" must be merge, overflow, breaks or agents');
  }
}

export function registerWhatIfRoutes(router: Router, ctx: AppContext): void {
  router.add('POST', '/api/sites/:site/what-if', async (req) => {
    const site = req.params['site'] ?? '';
    if (!SITE_RE.test(site))
      throw new HttpError(400, 'the site must be 1 to 64 letters, digits, "_", "." or "-"');
    const b = jsonBody(req) as Record<string, unknown>;
    if (typeof b !== 'object' || b === null || Array.isArray(b))
      throw new HttpError(
        400,
        'the body must be a JSON object such as {"kind":"merge","queues":["A","B"]}',
      );
    const cfg = ctx.sites.config(site);
    const breakLimit = (cfg.work_state ?? DEFAULT_WORK_STATE).limits_min['break'];
    const scenario = parseScenario(b, typeof breakLimit === 'number' ? breakLimit : 15);
    const minutes = b['minutes'] ?? 60;
    // 4 h at most: beyond that the forecast, not the lead's move, decides the answer.
    if (!int(minutes, 1, 240))
      throw new HttpError(400, '"minutes" (the horizon) must be a whole number from 1 to 240');
    const reps = b['reps'] ?? 20;
    if (!int(reps, 2, 200))
      throw new HttpError(400, '"reps" must be a whole number of replications from 2 to 200');
    const seed = b['seed'] ?? 'whatif';
    if (typeof seed !== 'string' || seed.length > 64)
      throw new HttpError(400, '"seed" must be a string of at most 64 characters');
    let r;
    try {
      r = await whatIf(ctx, site, scenario, { minutes, reps, seed });
    } catch (e) {
      if (e instanceof WhatIfError) throw new HttpError(422, e.message);
      throw e;
    }
    const tz = cfg.timezone;
    const fmt = (p: Predicted | null) => p && { sl: p.sl, asa_s: p.asa_s, abandon: p.abandon };
    return {
      status: 200,
      body: {
        site,
        scenario,
        interval_minutes: r.slotMs / 60_000,
        model:
          'formula: Erlang C per queue and interval (Erlang A when the queue patience is known) at the forecast calls and AHT with the staffed agents; simulation: the validated simulator, Poisson arrivals and exponential handle and patience, 30-min warm-up then the interval, over seeded replications',
        simulation: { reps, seed, warmup_min: 30 },
        intervals: r.answers.map((a) => ({
          interval_start: isoInZone(a.start, tz),
          queues: a.queues.map((q) => {
            const sim = r.simulated.get(`${a.start}|${q.queue}`);
            return {
              queue: q.queue,
              calls: q.calls,
              agents: q.agents,
              aht_s: q.ahtS,
              patience_s: q.patienceS,
              before: fmt(q.before),
              formula: fmt(q.after),
              simulated: sim
                ? { calls: sim.calls, sl: sim.sl, asa_s: sim.asa_s, abandon: sim.abandon }
                : null,
            };
          }),
        })),
      },
    };
  });
}
