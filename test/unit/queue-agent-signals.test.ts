// Agent signals that change neither a call nor a state: missed rings are counted per agent
// and day (not reachable apart), and a heartbeat keeps a logged-in agent from reading as a ghost.
import { describe, expect, it } from 'vitest';
import type { FwEvent } from '../../ingest/src/core/contract.js';
import { createQueueEngine } from '../../ingest/src/core/queue/index.js';
import { Ev, SITE, T0, siteConfig } from './queue-helpers.js';

const S = 1000;
const rna = (id: string, agent: string, ts: number, ring_ms: number): FwEvent => ({
  id,
  site: SITE,
  type: 'agent.ring_no_answer',
  agent,
  queue: 'q1',
  ts,
  ring_ms,
});

describe('agent signals', () => {
  it('counts missed rings and unreachable rings per agent today, without touching its state or calls', () => {
    const e = new Ev();
    e.login('a', T0, ['q1']);
    e.state('a', T0 + S, 'ready');
    e.offered('c1', 'q1', T0 + 2 * S);
    const eng = createQueueEngine(SITE, siteConfig(), { latenessMs: 10_000 });
    for (const ev of e.list) eng.apply(ev);
    for (const ev of [
      rna('r1', 'a', T0 + 17 * S, 15_000),
      rna('r2', 'a', T0 + 33 * S, 15_000),
      rna('r3', 'a', T0 + 34 * S, 0),
    ])
      eng.apply(ev);
    expect(eng.agent('a', T0 + 40 * S)).toMatchObject({
      state: 'ready',
      ring_no_answer_today: 2,
      unreachable_today: 1,
    });
    expect(eng.queues(T0 + 40 * S).find((q) => q.queue === 'q1')?.waiting).toBe(1);
    // The next operating day starts from zero.
    expect(eng.agent('a', T0 + 86_400 * S)).toMatchObject({
      ring_no_answer_today: 0,
      unreachable_today: 0,
    });
  });

  it('a heartbeat refreshes ghost detection and changes no state', () => {
    const cfg = siteConfig();
    const ghostMs = cfg.alerts.ghost_agent_s * 1000;
    const e = new Ev();
    e.login('a', T0, ['q1']);
    e.state('a', T0 + S, 'not_ready', 'break');
    const eng = createQueueEngine(SITE, cfg, { latenessMs: 10_000 });
    for (const ev of e.list) eng.apply(ev);
    expect(eng.agent('a', T0 + S + ghostMs + S)?.stale).toBe(true);
    eng.apply({ id: 'h1', site: SITE, type: 'agent.heartbeat', agent: 'a', ts: T0 + ghostMs });
    expect(eng.agent('a', T0 + S + ghostMs + S)).toMatchObject({
      stale: false,
      state: 'not_ready',
      reason: 'break',
      since: expect.stringContaining('09:00:01'),
    });
  });
});
