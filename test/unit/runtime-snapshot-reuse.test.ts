// Connect snapshots as text are shared by boards connecting at the same topic seq within 1 s
// (a reconnect storm builds one, not one per board), and rebuilt after a message, after 1 s,
// and after the topic lost its listeners (the delta base was dropped).
import { describe, expect, it } from 'vitest';
import type { FwEvent } from '../../ingest/src/core/contract.js';
import { createQueueEngine } from '../../ingest/src/core/queue/engine.js';
import { defaultSiteConfig } from '../../ingest/src/core/site-config.js';
import { SiteRuntime } from '../../ingest/src/core/site-runtime.js';
import type { BoardMessage, SnapshotMessage } from '../../ingest/src/core/snapshot.js';
import { BoardPublisher } from '../../ingest/src/runtime/board-publisher.js';
import { waitFor } from '../helpers/server.js';

const T0 = Date.parse('2026-11-23T09:00:00.000Z');
let n = 0;
const login = (sec: number, agent: string): FwEvent => ({
  id: `e${++n}`,
  ts: T0 + sec * 1000,
  site: 'S',
  type: 'agent.login',
  agent,
});

describe('BoardPublisher connect snapshot reuse', () => {
  it('shares one snapshot text per seq within 1 s, and rebuilds after a message, after 1 s, and after the base was dropped', async () => {
    const cfg = defaultSiteConfig('S');
    const rt = new SiteRuntime('S', cfg, {
      queue: createQueueEngine('S', cfg, { latenessMs: 10_000 }),
    });
    let mono = 0;
    let clients = 1;
    const sent: BoardMessage[] = [];
    const pub = new BoardPublisher(
      10,
      () => rt,
      () => T0 + 60_000,
      () => undefined,
      () => mono,
    );
    pub.attach({ publish: (_s, m) => sent.push(m), hasClients: () => clients > 0 });
    rt.apply([login(0, 'a1')], T0 + 1000);
    const first = pub.snapshotJsonFor('S');
    const parsed = JSON.parse(first) as SnapshotMessage;
    expect(parsed).toMatchObject({ type: 'snapshot', seq: 0 });
    expect(parsed.agents.map((a) => a.agent)).toEqual(['a1']);
    // An event at the same seq: the shared text stays (the next delta carries a2).
    rt.apply([login(1, 'a2')], T0 + 2000);
    expect(pub.snapshotJsonFor('S')).toBe(first);
    pub.request('S');
    mono = 150;
    await waitFor(() => sent.length >= 1);
    const d = sent[0];
    expect(d?.type === 'delta' ? d.agents?.map((a) => a.agent) : []).toEqual(['a2']);
    const second = JSON.parse(pub.snapshotJsonFor('S')) as SnapshotMessage;
    expect(second.seq).toBe(1);
    expect(second.agents.map((a) => a.agent)).toEqual(['a1', 'a2']);
    // Older than 1 s: rebuilt even at the same seq.
    rt.apply([login(2, 'a3')], T0 + 3000);
    mono = 1200;
    expect(
      (JSON.parse(pub.snapshotJsonFor('S')) as SnapshotMessage).agents.map((a) => a.agent),
    ).toEqual(['a1', 'a2', 'a3']);
    // Nobody listens: changes are dropped with the base, so the shared text is too.
    clients = 0;
    rt.apply([login(3, 'a4')], T0 + 4000);
    pub.request('S');
    clients = 1;
    expect(
      (JSON.parse(pub.snapshotJsonFor('S')) as SnapshotMessage).agents.map((a) => a.agent),
    ).toEqual(['a1', 'a2', 'a3', 'a4']);
    pub.stop();
  });
});
