// SiteRuntime.agent(id) looks rostered-and-absent agents up in an index built once per `now`
// (not a scan of the roster per look-up); a roster upload followed by touch() is seen at the
// same `now`, and an agent who signs in is shown live, not absent.
import { describe, expect, it } from 'vitest';
import type { FwEvent } from '../../ingest/src/core/contract.js';
import { createQueueEngine } from '../../ingest/src/core/queue/engine.js';
import { defaultSiteConfig } from '../../ingest/src/core/site-config.js';
import { SiteRuntime } from '../../ingest/src/core/site-runtime.js';
import { createWorkforceEngine } from '../../ingest/src/core/workforce/engine.js';

const T0 = Date.parse('2026-11-23T09:00:00.000Z');
const s = (sec: number) => T0 + sec * 1000;
const day = '2026-11-23';
const shift = (agent: string, team: string) => ({
  agent,
  team,
  start: s(0),
  end: s(8 * 3600),
  activity: 'work',
  day,
});

describe('SiteRuntime agent look-up', () => {
  it('finds rostered agents by id, sees a re-upload after touch at the same now, and prefers the live session', () => {
    const cfg = defaultSiteConfig('S');
    const rt = new SiteRuntime('S', cfg, {
      queue: createQueueEngine('S', cfg, { latenessMs: 10_000 }),
      workforce: createWorkforceEngine('S', cfg),
    });
    const wf = rt.modules.workforce;
    wf?.setRoster(
      [shift('a1', 'red'), shift('a2', 'blue')],
      [
        { agent: 'a1', day },
        { agent: 'a2', day },
      ],
    );
    const now = s(60);
    expect(rt.agent('a2', now)).toMatchObject({ agent: 'a2', team: 'blue', state: 'logged_out' });
    expect(rt.agent('a3', now)).toBeUndefined();
    wf?.setRoster(
      [shift('a1', 'red'), shift('a2', 'blue'), shift('a3', 'green')],
      [
        { agent: 'a1', day },
        { agent: 'a2', day },
        { agent: 'a3', day },
      ],
    );
    rt.touch();
    expect(rt.agent('a3', now)).toMatchObject({ agent: 'a3', team: 'green', state: 'logged_out' });
    const login = {
      id: 'e1',
      ts: s(61),
      site: 'S',
      type: 'agent.login',
      agent: 'a3',
      name: 'A3',
      team: 'green',
      queues: ['q1'],
    } as unknown as FwEvent;
    rt.apply([login], s(61));
    expect(rt.agent('a3', s(61))).toMatchObject({ agent: 'a3', name: 'A3', team: 'green' });
    expect(rt.agent('a3', s(61))?.since).toBe('2026-11-23T09:01:01.000Z');
  });
});
