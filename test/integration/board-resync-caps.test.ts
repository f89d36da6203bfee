// What one board client can cost is bounded: a client that sends {"type":"resync"} in a loop
// and never reads gets a few snapshots (3 at once, then one per 10 s), is told why the rest
// are refused, and is closed when it keeps asking; the unsent bytes over every board socket
// stay under FLOORWATCH_BOARD_MAX_BUFFERED_MIB (read from /metrics).
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  api,
  authHeaders,
  postEvents,
  startServer,
  waitFor,
  type TestServer,
} from '../helpers/server.js';

const SITE = 'CAPS';
const CAP = 1024 * 1024;
let server: TestServer;
let snapshotBytes = 0;

beforeAll(async () => {
  server = await startServer({ env: { FLOORWATCH_BOARD_MAX_BUFFERED_MIB: '1' } });
  // 3,000 signed-in agents: a snapshot of a few hundred KB, as on a big floor.
  const now = Date.now() - 5000;
  const lines = Array.from({ length: 3000 }, (_, i) => ({
    id: `cap-${i}`,
    ts: now,
    type: 'agent.login',
    site: SITE,
    agent: `agent-${i}`,
    name: `Agent number ${i}`,
    team: `team-${i % 40}`,
    queues: ['sales', 'service'],
  }));
  const r = await postEvents(server, lines);
  expect(r.body.accepted).toBe(3000);
  const live = await waitFor(async () => {
    const text = await (await api(server, `/api/live?site=${SITE}`)).text();
    return (JSON.parse(text) as { agents: unknown[] }).agents.length === 3000 ? text : null;
  });
  snapshotBytes = live.length;
}, 120_000);
afterAll(async () => {
  await server?.dispose();
});

/** A figure from /metrics; NaN when the server does not report it (every assertion on it fails). */
async function metric(name: string): Promise<number> {
  const text = await (await api(server, '/metrics')).text();
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

interface Greedy {
  ws: WebSocket;
  snapshots: number;
  errors: string[];
  closed: Promise<number>;
}

/** A board that asks for `n` resyncs at once and reads nothing until told to. */
async function greedy(n: number): Promise<Greedy> {
  const ws = new WebSocket(`${server.wsUrl}/ws/board?site=${SITE}`, { headers: authHeaders() });
  const g: Greedy = { ws, snapshots: 0, errors: [], closed: Promise.resolve(0) };
  g.closed = new Promise((resolve) => ws.on('close', (code) => resolve(code)));
  ws.on('message', (data: Buffer) => {
    const msg = JSON.parse(data.toString('utf8')) as { type: string; error?: string };
    if (msg.type === 'snapshot') g.snapshots++;
    if (msg.type === 'error') g.errors.push(msg.error ?? '');
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  (ws as unknown as { _socket: Socket })._socket.pause();
  for (let i = 0; i < n; i++) ws.send('{"type":"resync"}');
  // Answered after every resync before it (one socket's messages are handled in order).
  ws.send('{"type":"probe"}');
  return g;
}

describe('board client cost', () => {
  it('a resync loop that never reads gets a bounded number of snapshots, then is closed', async () => {
    expect(snapshotBytes).toBeGreaterThan(200_000);
    const before = (await metric('floorwatch_board_resyncs_refused')) || 0;
    const g = await greedy(200);
    // The server refuses past the budget and closes after 10 refusals (a server without
    // the figure is read on at once, and fails below).
    await waitFor(async () => {
      const refused = await metric('floorwatch_board_resyncs_refused');
      return Number.isNaN(refused) || refused >= before + 10;
    }, 60_000);
    const bufferedWhileStuck = await metric('floorwatch_board_buffered_bytes');
    (g.ws as unknown as { _socket: Socket })._socket.resume();
    const code = await Promise.race([
      g.closed,
      waitFor(() => g.errors.some((e) => e.startsWith('unknown message')), 120_000).then(() => 0),
    ]);
    // The snapshot on open and at most 3 resyncs, not one per request.
    expect(g.snapshots).toBeGreaterThanOrEqual(1);
    expect(g.snapshots).toBeLessThanOrEqual(4);
    expect(code).toBe(4009);
    expect(bufferedWhileStuck).toBeLessThanOrEqual(CAP);
    expect(await metric('floorwatch_board_max_buffered_bytes')).toBe(CAP);
    expect(g.errors.length).toBeGreaterThanOrEqual(1);
    expect(g.errors[0]).toMatch(/too many resync requests: at most 3 at once/);
  }, 120_000);

  it('many such clients together stay under the server-wide cap of unsent bytes', async () => {
    const before = (await metric('floorwatch_board_resyncs_refused')) || 0;
    const clients: Greedy[] = [];
    for (let i = 0; i < 8; i++) clients.push(await greedy(50));
    await waitFor(async () => {
      // Checked at every look, not only at the end.
      expect(await metric('floorwatch_board_buffered_bytes')).toBeLessThanOrEqual(CAP);
      return (await metric('floorwatch_board_resyncs_refused')) >= before + 8 * 10;
    }, 60_000);
    for (const g of clients) (g.ws as unknown as { _socket: Socket })._socket.resume();
    const codes = await Promise.all(clients.map((g) => g.closed));
    for (const [i, g] of clients.entries()) {
      expect([4008, 4009], `client ${i}`).toContain(codes[i]);
      expect(g.snapshots, `client ${i}`).toBeLessThanOrEqual(4);
    }
    // A board that behaves still gets its snapshot.
    const ok = new WebSocket(`${server.wsUrl}/ws/board?site=${SITE}`, { headers: authHeaders() });
    const first = await new Promise<string>((resolve) =>
      ok.once('message', (d: Buffer) => resolve(d.toString('utf8'))),
    );
    expect((JSON.parse(first) as { type: string }).type).toBe('snapshot');
    ok.close();
  }, 180_000);
});
