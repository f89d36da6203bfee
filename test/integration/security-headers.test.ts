// Every HTTP answer carries the standard security headers: a Content-Security-Policy with no
// inline script and no framing, nosniff, no Referer (a kiosk link carries its token), a
// Permissions-Policy; board pages, assets, API answers and errors alike.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBoardBuilt } from '../helpers/browser.js';
import { ROOT, api, startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  await ensureBoardBuilt();
  server = await startServer();
}, 300_000);
afterAll(async () => {
  await server?.dispose();
});

function expectHardened(res: Response, what: string): void {
  const h = res.headers;
  const csp = h.get('content-security-policy') ?? '';
  const directive = (name: string) =>
    csp
      .split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith(`${name} `)) ?? '';
  expect(directive('script-src'), what).toBe("script-src 'self'");
  expect(directive('default-src'), what).toBe("default-src 'self'");
  expect(directive('object-src'), what).toBe("object-src 'none'");
  expect(directive('frame-ancestors'), what).toBe("frame-ancestors 'none'");
  expect(directive('base-uri'), what).toBe("base-uri 'none'");
  expect(csp, what).not.toMatch(/unsafe-eval/);
  expect(h.get('x-content-type-options'), what).toBe('nosniff');
  expect(h.get('referrer-policy'), what).toBe('no-referrer');
  expect(h.get('x-frame-options'), what).toBe('DENY');
  expect(h.get('permissions-policy'), what).toMatch(
    /camera=\(\).*microphone=\(\).*geolocation=\(\)/,
  );
}

describe('security headers', () => {
  it('are on the board pages and their assets', async () => {
    const asset = readdirSync(path.join(ROOT, 'wallboard/dist/assets')).find((f) =>
      f.endsWith('.js'),
    );
    for (const p of [
      '/',
      '/site/S1',
      '/site/S1/history?x=1',
      '/signin',
      `/assets/${asset}`,
      '/nope.png',
    ]) {
      const res = await fetch(`${server.url}${p}`);
      await res.arrayBuffer();
      expectHardened(res, p);
    }
  });

  it('are on API answers, refusals and errors', async () => {
    const cases: [string, Promise<Response>][] = [
      ['healthz', fetch(`${server.url}/healthz`)],
      ['401', fetch(`${server.url}/api/live?site=S1`)],
      ['200 api', api(server, '/api/live?site=S1')],
      ['400', api(server, '/api/live?site=%00')],
      ['404', api(server, '/api/no-such-route')],
      [
        '415',
        api(server, '/api/sites/S1', {
          method: 'PUT',
          headers: { 'Content-Type': 'text/plain' },
          body: '{}',
        }),
      ],
      ['metrics', api(server, '/metrics')],
      ['kiosk link', fetch(`${server.url}/kiosk/not-a-token`, { redirect: 'manual' })],
    ];
    for (const [what, p] of cases) {
      const res = await p;
      await res.arrayBuffer();
      expectHardened(res, what);
    }
  });
});
