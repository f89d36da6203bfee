// Queued, ringing and expired calls on the real server, before and after a SIGKILL and a
// start on the same data folder: the rebuilt engine decides expiry from the stored events'
// times, so GET /api/live shows the same figures (docs/definitions.md, "Live queue figures").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveSnapshot, QueueLive } from '../../ingest/src/core/snapshot.js';
import { api, postEvents, startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.dispose();
});

const SITE = 'EXPIRY1';
/** A fixed-offset zone in which it is about noon now: the story stays inside today. */
function noonZone(now: number): string {
  const off = 12 - new Date(now).getUTCHours(); // -11 .. +12
  return off === 0 ? 'UTC' : `Etc/GMT${off > 0 ? '-' : '+'}${Math.abs(off)}`;
}

async function queues(srv: TestServer): Promise<Record<string, QueueLive>> {
  const snap = (await (await api(srv, `/api/live?site=${SITE}`)).json()) as LiveSnapshot;
  return Object.fromEntries(snap.queues.map((q) => [q.queue, q]));
}

const pick = (q: QueueLive | undefined) => ({
  waiting: q?.waiting,
  queued: q?.queued,
  ringing: q?.ringing,
  longest_wait_since: q?.longest_wait_since,
  expired_today: q?.today.expired,
  answered_today: q?.today.answered,
});

describe('queued, ringing and expired calls across a restart', () => {
  it('shows the same split and expiry after SIGKILL and start', async () => {
    const now = Date.now();
    const put = await api(server, `/api/sites/${SITE}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ timezone: noonZone(now), call_expiry_s: 120 }),
    });
    expect(put.status).toBe(200);
    let n = 0;
    const e = (agoS: number, body: Record<string, unknown>) => ({
      id: `ex-${++n}`,
      ts: now - agoS * 1000,
      site: SITE,
      ...body,
    });
    const events = [
      e(1900, { type: 'agent.login', agent: 'a1', queues: ['sales'] }),
      e(1900, { type: 'agent.login', agent: 'a2', queues: ['sales', 'support'] }),
      e(1900, { type: 'agent.login', agent: 'a3', queues: ['support'] }),
      e(1899, { type: 'agent.state', agent: 'a1', state: 'ready' }),
      e(1899, { type: 'agent.state', agent: 'a2', state: 'ready' }),
      e(1899, { type: 'agent.state', agent: 'a3', state: 'ready' }),
      // Never ends: expires 120 s after its offer.
      e(1800, { type: 'call.offered', call: 'lost', queue: 'sales' }),
      // Answered 5 min after its offer: expired at 2 min, and counted answered too.
      e(1500, { type: 'call.offered', call: 'slow', queue: 'support' }),
      e(1200, { type: 'call.answered', call: 'slow', queue: 'support', agent: 'a2' }),
      e(1200, { type: 'agent.state', agent: 'a2', state: 'talking' }),
      e(1100, { type: 'call.ended', call: 'slow', queue: 'support', agent: 'a2' }),
      e(1100, { type: 'agent.state', agent: 'a2', state: 'ready' }),
      // Waiting now: two in sales, one of them ringing at a1; one queued in support.
      e(60, { type: 'call.offered', call: 'w1', queue: 'sales' }),
      e(30, { type: 'call.offered', call: 'w2', queue: 'sales' }),
      e(10, { type: 'agent.state', agent: 'a1', state: 'ringing' }),
      e(20, { type: 'call.offered', call: 'w3', queue: 'support' }),
    ];
    const r = await postEvents(server, events);
    expect(r.body.accepted).toBe(events.length);

    const before = await queues(server);
    expect(pick(before['sales'])).toMatchObject({
      waiting: 2,
      queued: 1,
      ringing: 1,
      expired_today: 1,
    });
    // The oldest waiting call is w1, not the expired one.
    expect(Date.parse(before['sales']?.longest_wait_since as string)).toBe(now - 60_000);
    expect(pick(before['support'])).toMatchObject({
      waiting: 1,
      queued: 1,
      ringing: 0,
      expired_today: 1,
      answered_today: 1,
    });

    await server.stop('SIGKILL');
    server = await startServer({ dataDir: server.dataDir });
    const after = await queues(server);
    for (const q of ['sales', 'support']) expect(pick(after[q]), q).toEqual(pick(before[q]));
  });
});
