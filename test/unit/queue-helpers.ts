// Event builders for the queue engine's unit tests.
import type { FwEvent } from '../../ingest/src/core/contract.js';
import {
  defaultSiteConfig,
  type QueueConfig,
  type SiteConfig,
} from '../../ingest/src/core/site-config.js';
import { seeded } from '../helpers/random.js';

export const SITE = 's1';
export const T0 = Date.parse('2026-11-23T09:00:00Z');
const T_START = T0;
const S = 1000;

export function siteConfig(
  over: Partial<SiteConfig> = {},
  queues: Record<string, Partial<QueueConfig>> = {},
): SiteConfig {
  const c = defaultSiteConfig(SITE);
  Object.assign(c, over);
  for (const [q, v] of Object.entries(queues)) c.queues[q] = { ...c.default_queue, ...v };
  return c;
}

export class Ev {
  private n = 0;
  readonly list: FwEvent[] = [];
  constructor(
    private readonly site = SITE,
    private readonly prefix = '',
  ) {}
  private push(e: Record<string, unknown>): FwEvent {
    const ev = {
      id: `${this.prefix}e${String(this.n++).padStart(6, '0')}`,
      site: this.site,
      ...e,
    } as unknown as FwEvent;
    this.list.push(ev);
    return ev;
  }
  login(agent: string, ts: number, queues?: string[], name?: string, team?: string) {
    return this.push({
      type: 'agent.login',
      agent,
      ts,
      ...(queues ? { queues } : {}),
      ...(name ? { name } : {}),
      ...(team ? { team } : {}),
    });
  }
  logout(agent: string, ts: number) {
    return this.push({ type: 'agent.logout', agent, ts });
  }
  state(
    agent: string,
    ts: number,
    state: 'ready' | 'not_ready' | 'talking' | 'hold' | 'wrap_up' | 'ringing' | 'outbound',
    reason?: string,
  ) {
    return this.push({ type: 'agent.state', agent, ts, state, ...(reason ? { reason } : {}) });
  }
  offered(call: string, queue: string, ts: number) {
    return this.push({ type: 'call.offered', call, queue, ts });
  }
  answered(call: string, queue: string, agent: string, ts: number) {
    return this.push({ type: 'call.answered', call, queue, agent, ts });
  }
  abandoned(call: string, queue: string, ts: number) {
    return this.push({ type: 'call.abandoned', call, queue, ts });
  }
  overflowed(call: string, queue: string, to_queue: string, ts: number) {
    return this.push({ type: 'call.overflowed', call, queue, to_queue, ts });
  }
  ended(call: string, queue: string, agent: string, ts: number) {
    return this.push({ type: 'call.ended', call, queue, agent, ts });
  }
}

/** The tests' one seeded generator (the simulator's), so a failing seed can be replayed. */
export const rng = seeded;

/** A day-part of random traffic: agents take calls, wrap up, go on break; some callers abandon. */
export function traffic(
  seed: number,
  agents = 6,
  calls = 300,
  opts: { start?: number; site?: string; prefix?: string } = {},
) {
  const r = rng(seed);
  const e = new Ev(opts.site ?? SITE, opts.prefix ?? '');
  const T0 = opts.start ?? T_START;
  const free = new Map<string, number>();
  for (let i = 0; i < agents; i++) {
    const a = `ag${i}`;
    e.login(a, T0 + i * S, i % 3 === 0 ? [] : [i % 2 ? 'q1' : 'q2', 'q3']);
    e.state(a, T0 + i * S + 500, 'ready');
    free.set(a, T0 + i * S + 500);
  }
  let t = T0 + 10 * S;
  for (let c = 0; c < calls; c++) {
    t += Math.floor(r() * 20 * S);
    const q = ['q1', 'q2', 'q3'][Math.floor(r() * 3)] as string;
    const id = `c${c}`;
    e.offered(id, q, t);
    const wait = Math.floor(r() * 40 * S);
    const [agent, at] = [...free.entries()].sort((x, y) => x[1] - y[1])[0] as [string, number];
    const ans = Math.max(t + wait, at + 1);
    if (r() < 0.2 || ans - t > 45 * S) {
      e.abandoned(id, q, t + Math.min(wait, Math.floor(r() * 10 * S)));
      continue;
    }
    let endQ = q;
    if (r() < 0.1) {
      endQ = q === 'q1' ? 'q2' : 'q1';
      e.overflowed(id, q, endQ, t + Math.floor((ans - t) / 2));
    }
    e.state(agent, ans - 300, 'ringing');
    e.answered(id, endQ, agent, ans);
    e.state(agent, ans, 'talking');
    const talk = 20 * S + Math.floor(r() * 120 * S);
    if (r() < 0.3) {
      e.state(agent, ans + 5 * S, 'hold');
      e.state(agent, ans + 10 * S, 'talking');
    }
    e.ended(id, endQ, agent, ans + talk);
    const wrap = r() < 0.8 ? Math.floor(r() * 30 * S) : 0;
    if (wrap > 0) e.state(agent, ans + talk, 'wrap_up');
    const next = ans + talk + wrap;
    if (r() < 0.1) e.state(agent, next, 'not_ready', 'break');
    e.state(agent, next + (r() < 0.1 ? 60 * S : 0), 'ready');
    free.set(agent, next + 61 * S);
  }
  return { events: e.list, end: t };
}
