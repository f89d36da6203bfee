// BoardPublisher: one message per window per site however many changes arrive, seq +1 per
// message with no gaps, nothing built while no board listens, and a whole snapshot on the
// topic after a configuration change.
import { describe, expect, it } from 'vitest';
import type { FwEvent } from '../../ingest/src/core/contract.js';
import { createQueueEngine } from '../../ingest/src/core/queue/engine.js';
import { defaultSiteConfig } from '../../ingest/src/core/site-config.js';
import { SiteRuntime } from '../../ingest/src/core/site-runtime.js';
import type { BoardMessage } from '../../ingest/src/core/snapshot.js';
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

function setup(hz = 10) {
  const cfg = defaultSiteConfig('S');
  const rt = new SiteRuntime('S', cfg, {
    queue: createQueueEngine('S', cfg, { latenessMs: 10_000 }),
  });
  let clock = T0;
  const sent: BoardMessage[] = [];
  let clients = 1;
  const errors: unknown[] = [];
  const pub = new BoardPublisher(
    hz,
    () => rt,
    () => clock,
    (_site, e) => errors.push(e),
  );
  pub.attach({ publish: (_site, msg) => sent.push(msg), hasClients: () => clients > 0 });
  return {
    rt,
    pub,
    sent,
    errors,
    setClock: (t: number) => (clock = t),
    setClients: (c: number) => (clients = c),
  };
}

describe('BoardPublisher', () => {
  it('coalesces a burst into one delta and numbers messages without gaps', async () => {
    const { rt, pub, sent, errors } = setup();
    const snap = pub.snapshotFor('S');
    expect(snap).toMatchObject({ type: 'snapshot', seq: 0 });
    for (let i = 0; i < 50; i++) {
      rt.apply([login(i, `a${i}`)], T0 + 60_000);
      pub.request('S');
    }
    await waitFor(() => sent.length >= 1);
    expect(sent).toHaveLength(1);
    const d = sent[0];
    expect(d?.type).toBe('delta');
    expect(d?.seq).toBe(1);
    expect(d?.type === 'delta' ? d.agents?.length : 0).toBe(50);
    rt.apply([login(70, 'b1')], T0 + 71_000);
    pub.request('S');
    await waitFor(() => sent.length >= 2);
    expect(sent.map((m) => m.seq)).toEqual([1, 2]);
    expect(pub.snapshotFor('S').seq).toBe(2);
    expect(errors).toEqual([]);
    pub.stop();
  });

  it('builds nothing while no board listens, and primes a new base for the next one', async () => {
    const { rt, pub, sent, setClients } = setup();
    setClients(0);
    rt.apply([login(0, 'a1')], T0 + 1000);
    pub.request('S');
    setClients(1);
    const snap = pub.snapshotFor('S');
    expect(snap.agents.map((a) => a.agent)).toEqual(['a1']);
    // The snapshot is the base: the agent it already showed is not sent again.
    rt.apply([login(5, 'a2')], T0 + 6000);
    pub.request('S');
    await waitFor(() => sent.length >= 1);
    expect(sent[0]?.type === 'delta' ? sent[0].agents?.map((a) => a.agent) : null).toEqual(['a2']);
    pub.stop();
  });

  it('sends a heartbeat when asked after a second of silence, and a snapshot after a configuration change', async () => {
    const { rt, pub, sent, setClock } = setup();
    rt.apply([login(0, 'a1')], T0 + 1000);
    pub.snapshotFor('S');
    setClock(T0 + 2000);
    // The first request of a site finds no previous message: it is due, and is a heartbeat.
    pub.request('S', 'timed');
    await waitFor(() => sent.length >= 1);
    expect(sent[0]).toMatchObject({ type: 'delta', seq: 1, at: '2026-11-23T09:00:02.000Z' });
    rt.configure({ ...defaultSiteConfig('S'), timezone: 'Asia/Shanghai' });
    pub.request('S', 'timed');
    await waitFor(() => sent.length >= 2);
    expect(sent[1]).toMatchObject({ type: 'snapshot', seq: 2, timezone: 'Asia/Shanghai' });
    pub.stop();
  });
});
