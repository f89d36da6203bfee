// What held when the surface was probed from outside, kept so: encoded path-traversal
// variants on the static file route leak no file; SQL-injection probes in site, queue, from,
// to, interval and by do no harm (clear 400s or empty answers, never a 500, the stored events
// still there); CRLF in a path adds no header to the answer. Raw requests go over a socket,
// because fetch() would normalise the paths.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBoardBuilt } from '../helpers/browser.js';
import {
  api,
  postEvents,
  startServer,
  TEST_ADMIN_TOKEN,
  type TestServer,
} from '../helpers/server.js';

const SITE = 'SURF';
let server: TestServer;

beforeAll(async () => {
  await ensureBoardBuilt();
  server = await startServer();
  const now = Date.now() - 60_000;
  const r = await postEvents(server, [
    { id: 'surf-1', ts: now, type: 'call.offered', site: SITE, call: 'c1', queue: 'sales' },
    {
      id: 'surf-2',
      ts: now + 1000,
      type: 'call.abandoned',
      site: SITE,
      call: 'c1',
      queue: 'sales',
    },
  ]);
  expect(r.body.accepted).toBe(2);
}, 300_000);
afterAll(async () => {
  await server?.dispose();
});

/** One raw HTTP/1.1 request line as given; the whole answer (head and body) as text. */
function raw(
  target: string,
  auth = false,
): Promise<{ status: number; head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const s = net.connect(server.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    s.on('data', (d) => chunks.push(d));
    s.on('error', reject);
    s.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const at = text.indexOf('\r\n\r\n');
      const head = at < 0 ? text : text.slice(0, at);
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0),
        head,
        body: at < 0 ? '' : text.slice(at + 4),
      });
    });
    s.write(
      `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
        (auth ? `Authorization: Bearer ${TEST_ADMIN_TOKEN}\r\n` : '') +
        'Connection: close\r\n\r\n',
    );
  });
}

const TRAVERSAL = [
  '/../package.json',
  '/../../../../etc/passwd',
  '/..%2fpackage.json',
  '/..%2f..%2f..%2f..%2fetc%2fpasswd',
  '/%2e%2e/package.json',
  '/%2e%2e%2fpackage.json',
  '/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '/assets/../../package.json',
  '/assets/..%2f..%2fpackage.json',
  '/assets/%2e%2e/%2e%2e/package.json',
  '/%252e%252e/%252e%252e/package.json',
  '/..%5c..%5cpackage.json',
  '/assets/..\\..\\package.json',
  '/%c0%ae%c0%ae/%c0%ae%c0%ae/package.json',
  '/..%c0%af..%c0%afpackage.json',
  '/.%2e/.%2e/package.json',
  '/assets/%2e%2e%5c%2e%2e%5cpackage.json',
  '/..;/..;/package.json',
  '/index.html%00/../../package.json',
];

describe('surface regressions', () => {
  it(`${TRAVERSAL.length} encoded path-traversal variants leak no file`, async () => {
    expect(TRAVERSAL).toHaveLength(19);
    for (const target of TRAVERSAL) {
      const r = await raw(target);
      expect(r.status, target).toBeGreaterThan(0);
      expect(r.body, target).not.toContain('"name": "floorwatch"');
      expect(r.body, target).not.toContain('root:x:0:0');
      expect(r.body, target).not.toContain('"devDependencies"');
    }
    // The same socket code does read a file that is there.
    const ok = await raw('/index.html');
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('<div id="app">');
  });

  it('SQL-injection probes in site, queue, from, to, interval and by do no harm', async () => {
    const probes = [
      "' OR '1'='1",
      "x'; DROP TABLE events; --",
      '1) UNION SELECT name, 1 FROM system.tables --',
      "\\' OR 1=1 --",
      "sales' --",
      '{site:String}',
      "'; SELECT sleep(3); --",
    ];
    const ok = 'from=2026-01-01&to=2026-01-02';
    const paths: string[] = [];
    for (const p of probes.map(encodeURIComponent)) {
      paths.push(
        `/api/reports/intervals?site=${p}&${ok}`,
        `/api/reports/intervals?site=${SITE}&queue=${p}&${ok}`,
        `/api/reports/intervals?site=${SITE}&from=${p}&to=2026-01-02`,
        `/api/reports/intervals?site=${SITE}&from=2026-01-01&to=${p}`,
        `/api/reports/intervals?site=${SITE}&interval=${p}&${ok}`,
        `/api/reports/quality?site=${SITE}&${ok}&by=${p}`,
        `/api/events?site=${p}`,
        `/api/live?site=${p}`,
      );
    }
    const statuses = new Set<number>();
    for (const path of paths) {
      const res = await api(server, path);
      const text = await res.text();
      statuses.add(res.status);
      expect([200, 400], path).toContain(res.status);
      if (res.status === 400)
        expect((JSON.parse(text) as { error: string }).error, path).toMatch(/\w/);
      else expect(text, path).not.toMatch(/DB::Exception|Code: \d+|Syntax error/);
    }
    // Bad dates, intervals and group-bys are told apart from an empty result.
    expect(statuses.has(400)).toBe(true);
    const events = (await (await api(server, `/api/events?site=${SITE}`)).json()) as {
      events: { id: string }[];
    };
    expect(events.events.map((e) => e.id).sort()).toEqual(['surf-1', 'surf-2']);
  });

  it('CRLF in a path adds no header to the answer', async () => {
    for (const target of [
      '/%0d%0aSet-Cookie:%20pwned=1',
      '/site/x%0d%0aX-Injected:%201',
      '/kiosk/abc%0d%0aX-Injected:%201',
      '/api/sites/x%0d%0aX-Injected:%201',
      '/assets/%0aX-Injected:%201.js',
    ]) {
      const r = await raw(target, true);
      expect(r.status, target).toBeGreaterThan(0);
      const names = r.head
        .split('\r\n')
        .slice(1)
        .map((l) => l.split(':')[0]!.toLowerCase());
      expect(names, target).not.toContain('x-injected');
      expect(r.head.toLowerCase(), target).not.toContain('pwned=1');
    }
  });
});
