// Event builders for the queue engine's unit tests.
import type { FwEvent } from '../../ingest/src/core/contract.js';
import { defaultSiteConfig, type QueueConfig, type SiteConfig } from '../../ingest/src/core/site-config.js';

export const SITE = 's1';
export const T0 = Date.parse('2026-11-23T09:00:00Z');

export function siteConfig(over: Partial<SiteConfig> = {}, queues: Record<string, Partial<QueueConfig>> = {}): SiteConfig {
  const c = defaultSiteConfig(SITE);
  Object.assign(c, over);
  for (const [q, v] of Object.entries(queues)) c.queues[q] = { ...c.default_queue, ...v };
  return c;
}

export class Ev {
  private n = 0;
  readonly list: FwEvent[] = [];
  private push(e: Record<string, unknown>): FwEvent {
    const ev = { id: `e${String(this.n++).padStart(6, '0')}`, site: SITE, ...e } as unknown as FwEvent;
    this.list.push(ev);
    return ev;
  }
  login(agent: string, ts: number, queues?: string[], name?: string, team?: string) {
    return this.push({ type: 'agent.login', agent, ts, ...(queues ? { queues } : {}), ...(name ? { name } : {}), ...(team ? { team } : {}) });
  }
  logout(agent: string, ts: number) {
    return this.push({ type: 'agent.logout', agent, ts });
  }
  state(agent: string, ts: number, state: 'ready' | 'not_ready' | 'talking' | 'hold' | 'wrap_up' | 'ringing' | 'outbound', reason?: string) {
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

/** A deterministic PRNG (mulberry32), so a failing seed can be replayed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
