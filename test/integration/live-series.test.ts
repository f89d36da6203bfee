// The "last hours" chart kept by the server (issue 22, defect 12): a back-filled half hour is
// sampled at the events' own times, GET /api/live/series serves it, and a SIGKILL and start
// on the same data folder rebuild the same points from the stored events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueuePoint, SeriesBody } from '../../ingest/src/core/feed/live-series.js';
import { api, postEvents, startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.dispose();
});

const SITE = 'SERIES1';
const MIN = 60_000;

/** A fixed-offset zone in which it is about noon now: the half hour stays inside today. */
function noonZone(now: number): string {
  const off = 12 - new Date(now).getUTCHours();
  return off === 0 ? 'UTC' : `Etc/GMT${off > 0 ? '-' : '+'}${Math.abs(off)}`;
}

async function series(srv: TestServer): Promise<SeriesBody> {
  const r = await api(srv, `/api/live/series?site=${SITE}`);
  expect(r.status).toBe(200);
  return (await r.json()) as SeriesBody;
}

describe('server-kept live chart', () => {
  it('samples a back-fill at event time and keeps the points across a restart', async () => {
    const now = Date.now();
    const put = await api(server, `/api/sites/${SITE}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ timezone: noonZone(now) }),
    });
    expect(put.status).toBe(200);
    const t0 = now - 30 * MIN;
    let n = 0;
    const ev = (ts: number, body: Record<string, unknown>) => ({
      id: `s-${++n}`,
      ts,
      site: SITE,
      ...body,
    });
    const events = [
      ev(t0, { type: 'agent.login', agent: 'a1', queues: ['q1'] }),
      ev(t0 + 1000, { type: 'agent.state', agent: 'a1', state: 'ready' }),
      // Two callers queue from 25 to 15 min ago; one of them from 25 to 10 min ago.
      ev(now - 25 * MIN, { type: 'call.offered', call: 'c1', queue: 'q1' }),
      ev(now - 25 * MIN, { type: 'call.offered', call: 'c2', queue: 'q1' }),
      ev(now - 15 * MIN, { type: 'call.answered', call: 'c1', queue: 'q1', agent: 'a1' }),
      ev(now - 15 * MIN, { type: 'agent.state', agent: 'a1', state: 'talking' }),
      ev(now - 10 * MIN, { type: 'call.abandoned', call: 'c2', queue: 'q1' }),
      ev(now - 5 * MIN, { type: 'call.ended', call: 'c1', queue: 'q1', agent: 'a1' }),
      ev(now - 5 * MIN, { type: 'agent.state', agent: 'a1', state: 'ready' }),
    ];
    expect((await postEvents(server, events)).body.accepted).toBe(events.length);
    const last = now - 5 * MIN;
    const before = (await series(server)).queues['q1']?.points ?? [];
    // One point per 15 s from the first event to the last: ~100, at once, with no board open.
    const upToLast = (ps: QueuePoint[]) => ps.filter((p) => p[0] < last);
    expect(upToLast(before).length).toBeGreaterThanOrEqual(95);
    const at = (ms: number) => before.find((p) => p[0] >= ms) as QueuePoint;
    expect(at(now - 20 * MIN)[2]).toBe(2); // both queued
    expect(at(now - 12 * MIN)[2]).toBe(1); // c2 still queued
    expect(at(now - 8 * MIN)[2]).toBe(0);

    await server.stop('SIGKILL');
    server = await startServer({ dataDir: server.dataDir });
    const after = (await series(server)).queues['q1']?.points ?? [];
    expect(upToLast(after)).toEqual(upToLast(before));
  });
});
