// The alert sources read agents through SiteView.pickAgents: the runtime keeps the engine's
// agent ids between evaluations and builds only the agents a source picks. What it picks must
// be exactly what filtering the full agent list gives, in the same order, also after new
// agents sign in, rostered agents who have not signed in, a day roll and a configuration change.
import { describe, expect, it } from 'vitest';
import type { FwEvent } from '../../ingest/src/core/contract.js';
import type { AgentProbe } from '../../ingest/src/core/modules.js';
import { createQueueEngine } from '../../ingest/src/core/queue/engine.js';
import { defaultSiteConfig } from '../../ingest/src/core/site-config.js';
import { SiteRuntime } from '../../ingest/src/core/site-runtime.js';
import type { AgentLive } from '../../ingest/src/core/snapshot.js';
import { createWorkforceEngine } from '../../ingest/src/core/workforce/engine.js';

const T0 = Date.parse('2026-11-23T09:00:00.000Z');
const s = (sec: number) => T0 + sec * 1000;
const day = '2026-11-23';
const shift = (agent: string, activity: string) => ({
  agent,
  team: 'red',
  start: s(0),
  end: s(8 * 3600),
  activity,
  day,
});
let n = 0;
const login = (agent: string, sec: number): FwEvent =>
  ({
    id: `e${n++}`,
    ts: s(sec),
    site: 'S',
    type: 'agent.login',
    agent,
    name: agent.toUpperCase(),
    team: 'red',
    queues: ['q1'],
  }) as unknown as FwEvent;
const state = (agent: string, st: string, sec: number): FwEvent =>
  ({
    id: `e${n++}`,
    ts: s(sec),
    site: 'S',
    type: 'agent.state',
    agent,
    state: st,
  }) as unknown as FwEvent;

/** pickAgents(pick) next to the full list filtered with the same facts. */
function both(
  rt: SiteRuntime,
  now: number,
  test: (stale: boolean, a: { adherence: string; out_of_adherence_s: number }) => boolean,
  withAbsent = true,
): [AgentLive[], AgentLive[]] {
  const v = rt.view(now);
  const picked =
    v.pickAgents?.((p: AgentProbe) => test(p.stale(), p.adherence()), withAbsent) ?? [];
  // Without the absent agents only for ghosts: an absent agent is never stale.
  const all = rt.agents(now).filter((a) => test(a.stale, a));
  return [picked, all];
}

describe('SiteRuntime pickAgents', () => {
  it('picks exactly what filtering every agent gives, as agents come, go absent, and the day rolls', () => {
    const cfg = defaultSiteConfig('S');
    const rt = new SiteRuntime('S', cfg, {
      queue: createQueueEngine('S', cfg, { latenessMs: 10_000 }),
      workforce: createWorkforceEngine('S', cfg),
    });
    rt.modules.workforce?.setRoster(
      ['a1', 'a2', 'a3', 'a4'].map((a) => shift(a, 'work')),
      ['a1', 'a2', 'a3', 'a4'].map((agent) => ({ agent, day })),
    );
    rt.apply([login('a2', 10), login('b1', 10), state('a2', 'not_ready', 20)], s(20));
    const out = (_: boolean, a: { adherence: string }) => a.adherence === 'out';
    const stale = (st: boolean) => st;
    const ids = (xs: AgentLive[]) => xs.map((a) => a.agent);

    let [p, f] = both(rt, s(400), out);
    expect(p).toEqual(f);
    // a1, a3, a4 rostered and absent (out), a2 not ready on a work shift (out); b1 unscheduled.
    expect(ids(p)).toEqual(['a2', 'a1', 'a3', 'a4']);

    // New agents after the ids were read: an absent one signs in, a new one sorts first.
    rt.apply([login('a3', 401), login('a0', 401), state('a0', 'not_ready', 402)], s(402));
    [p, f] = both(rt, s(500), out);
    expect(p).toEqual(f);
    expect(ids(p)).toEqual(['a2', 'a3', 'a1', 'a4']); // a3 now live (sorted), a1 and a4 still absent

    // Ghosts: an hour later every signed-in agent is stale; absent agents never are.
    [p, f] = both(rt, s(3 * 3600), stale, false);
    expect(p).toEqual(f);
    expect(ids(p)).toEqual(['a0', 'a2', 'a3', 'b1']);

    // Next day (after a tick rolls it): yesterday's roster and sessions are gone or logged out.
    const next = Date.parse('2026-11-24T09:00:00.000Z');
    rt.tick(next);
    for (const test of [out, stale]) {
      [p, f] = both(rt, next, test);
      expect(p).toEqual(f);
    }
    rt.apply([login('c1', 24 * 3600 + 5)], s(24 * 3600 + 5));
    rt.configure({ ...cfg });
    [p, f] = both(rt, s(27 * 3600), stale, false);
    expect(p).toEqual(f);
    expect(ids(p)).toContain('c1');
  });
});
