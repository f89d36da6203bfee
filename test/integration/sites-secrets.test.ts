// Webhook secrets never leave the server: GET and PUT replies mask them, and a config put
// back with the mask (GET → edit → PUT) keeps the stored secret, so deliveries still verify.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_MASK } from '../../ingest/src/core/config-secrets.js';
import type { SiteConfig } from '../../ingest/src/core/site-config.js';
import { api, postEvents, startServer, waitFor, type TestServer } from '../helpers/server.js';

const SECRET = 'round-trip-secret-0123456789';
let server: TestServer;
let receiver: http.Server;
const deliveries: { body: string; sig: string }[] = [];

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      deliveries.push({ body, sig: String(req.headers['x-floorwatch-signature'] ?? '') });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  // The receiver is on loopback: only reachable because the admin allows that host.
  server = await startServer({ env: { FLOORWATCH_WEBHOOK_ALLOW_HOSTS: '127.0.0.1' } });
});
afterAll(async () => {
  await server?.dispose();
  await new Promise<void>((r) => receiver.close(() => r()));
});

describe('webhook secrets', () => {
  it('are masked in replies and kept when the mask is put back', async () => {
    const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
    const rule = {
      id: 'r1',
      queue: 'sales',
      conditions: { waiting_gte: 1 },
      hold_down_s: 0,
      clear_down_s: 0,
      level: 'red',
      action: { kind: 'overflow', to: 'backup' },
      webhook: { url, secret: SECRET },
    };
    const put = async (body: unknown) => {
      const res = await api(server, `/api/sites/SEC`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(200);
      return (await res.json()) as SiteConfig;
    };
    const first = await put({ timezone: 'Asia/Shanghai', overflow_rules: [rule] });
    expect(first.overflow_rules[0]?.webhook?.secret).toBe(SECRET_MASK);
    const got = (await (await api(server, `/api/sites/SEC`)).json()) as SiteConfig;
    expect(JSON.stringify(got)).not.toContain(SECRET);
    const history = await (await api(server, `/api/sites/SEC/history`)).text();
    expect(history).not.toContain(SECRET);
    // Round trip: the fetched config, edited and put back with the mask.
    const edited = await put({ ...got, display: { ...got.display, waiting_warn: 3 } });
    expect(edited.display.waiting_warn).toBe(3);
    // One waiting call fires the rule; its delivery must be signed with the original secret.
    const r = await postEvents(server, [
      {
        id: 's1',
        ts: Date.now() - 1000,
        type: 'call.offered',
        site: 'SEC',
        call: 'c1',
        queue: 'sales',
      },
    ]);
    expect(r.body.accepted).toBe(1);
    const d = await waitFor(() => deliveries[0], 15_000);
    expect(d.sig).toBe(`sha256=${createHmac('sha256', SECRET).update(d.body).digest('hex')}`);
  });
});
