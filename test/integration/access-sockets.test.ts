// WebSocket upgrades pass the access gate: credentials, the site's role and the Origin
// allow-list; an open socket is closed when its kiosk link is revoked or its session ends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createUser, makeToken, revokeToken, signIn } from '../helpers/auth.js';
import { authHeaders, startServer, type TestServer } from '../helpers/server.js';

const SITE = 'wsa';
let server: TestServer;

beforeAll(async () => {
  server = await startServer();
}, 120_000);
afterAll(async () => {
  await server?.dispose();
});

function open(
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; ws?: WebSocket }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${server.wsUrl}${path}`, { headers });
    ws.once('open', () => resolve({ status: 101, ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.once('error', () => resolve({ status: 0 }));
  });
}

/** Resolves with the close code once the server closes the socket (the test's own timeout bounds the wait). */
const closed = (ws: WebSocket): Promise<number> =>
  new Promise((resolve) => ws.once('close', (code) => resolve(code)));

describe('WebSocket upgrades', () => {
  it('refuse a foreign Origin on /ws/board and /ws/ingest, even with the admin token', async () => {
    expect(
      (await open(`/ws/board?site=${SITE}`, authHeaders({ Origin: 'http://evil.example' }))).status,
    ).toBe(403);
    expect((await open('/ws/ingest', authHeaders({ Origin: 'http://evil.example' }))).status).toBe(
      403,
    );
    const own = await open(`/ws/board?site=${SITE}`, authHeaders({ Origin: server.url }));
    expect(own.status).toBe(101);
    own.ws?.close();
  });

  it('refuse no credentials (401) and a board of another site (403)', async () => {
    expect((await open(`/ws/board?site=${SITE}`, {})).status).toBe(401);
    expect((await open('/ws/ingest', {})).status).toBe(401);
    const kiosk = await makeToken(server, 'kiosk', SITE);
    expect(
      (await open('/ws/board?site=other', { Authorization: `Bearer ${kiosk.token}` })).status,
    ).toBe(403);
  });

  it('a revoked kiosk link is disconnected within 5 s, and cannot connect again', async () => {
    const kiosk = await makeToken(server, 'kiosk', SITE, { label: 'TV 1' });
    const link = await fetch(`${server.url}${kiosk.link}`, { redirect: 'manual' });
    const cookie = (link.headers.getSetCookie()[0] ?? '').split(';')[0] as string;
    const { status, ws } = await open(`/ws/board?site=${SITE}`, { Cookie: cookie });
    expect(status).toBe(101);
    const code = closed(ws as WebSocket);
    await revokeToken(server, kiosk.id);
    const outcome = await Promise.race([
      code,
      new Promise<string>((r) => setTimeout(() => r('still open after 5 s'), 5_000)),
    ]);
    expect(outcome).toBe(4401);
    expect((await open(`/ws/board?site=${SITE}`, { Cookie: cookie })).status).toBe(401);
    // The admin page lists it as revoked, with when it was last seen.
    const listed = (
      (await (await fetch(`${server.url}/api/tokens`, { headers: authHeaders() })).json()) as {
        tokens: {
          id: string;
          revoked_at: string | null;
          last_seen_at: string | null;
          label: string;
        }[];
      }
    ).tokens.find((t) => t.id === kiosk.id);
    expect(listed?.label).toBe('TV 1');
    expect(listed?.revoked_at).not.toBeNull();
    expect(listed?.last_seen_at).not.toBeNull();
  });

  it("signing out closes the session's board sockets", async () => {
    await createUser(server, 'ws.viewer', [{ site: SITE, role: 'viewer' }]);
    const s = await signIn(server, 'ws.viewer');
    const { status, ws } = await open(`/ws/board?site=${SITE}`, { Cookie: s.cookie });
    expect(status).toBe(101);
    const code = closed(ws as WebSocket);
    expect(
      (await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: s.headers() }))
        .status,
    ).toBe(200);
    expect(await code).toBe(4401);
  });

  it("a revoked ingest token's producer socket is closed", async () => {
    const t = await makeToken(server, 'ingest', SITE);
    const { status, ws } = await open('/ws/ingest', { Authorization: `Bearer ${t.token}` });
    expect(status).toBe(101);
    const code = closed(ws as WebSocket);
    await revokeToken(server, t.id);
    expect(await code).toBe(4401);
  });
});
