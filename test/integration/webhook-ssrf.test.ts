// No server-side request forgery through overflow-rule webhooks: a URL that points at this
// machine, the metadata address or a private network is refused when the rule is saved (in
// every spelling) and again when a delivery connects (after DNS resolution, on each
// redirect); a host an admin allowed does receive.
import dns from 'node:dns';
import http from 'node:http';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  WebhookDispatcher,
  type DeliveryJob,
} from '../../ingest/src/adapters/webhook/dispatcher.js';
import { internalRange, webhookUrlProblem } from '../../ingest/src/core/alerts/webhook-target.js';
import { registerAlertConfigValidators } from '../../ingest/src/core/alerts/config.js';
import { parseSiteConfig } from '../../ingest/src/core/site-config-validate.js';
import { api, startServer, type TestServer } from '../helpers/server.js';

registerAlertConfigValidators();

const SECRET = 'ssrf-test-secret-0123456789';

interface Receiver {
  server: http.Server;
  port: number;
  hits: string[];
}

async function receiver(
  host: string,
  answer: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_q, r) =>
    void r.writeHead(200).end('ok'),
): Promise<Receiver> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => answer(req, res));
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  return { server, port: (server.address() as { port: number }).port, hits };
}

const close = (r: Receiver) => new Promise<void>((ok) => r.server.close(() => ok()));

let a: Receiver;
let b: Receiver;
let server: TestServer;

beforeAll(async () => {
  a = await receiver('127.0.0.1');
  // 127.0.0.2 is loopback too (the whole 127/8 is), a second internal target.
  b = await receiver('127.0.0.2');
  server = await startServer();
});
afterAll(async () => {
  await server?.dispose();
  await close(a);
  await close(b);
});

const spellings = (port: number) => [
  `http://localhost:${port}/hook`,
  `http://LOCALHOST.:${port}/hook`,
  `http://[::1]:${port}/hook`,
  `http://0x7f000001:${port}/hook`,
  `http://2130706433:${port}/hook`,
  `http://017700000001:${port}/hook`,
  `http://127.1:${port}/hook`,
  `http://user:pw@127.0.0.1:${port}/hook`,
  `http://[::ffff:127.0.0.1]:${port}/hook`,
  `http://[::ffff:7f00:1]:${port}/hook`,
  `http://169.254.169.254/latest/meta-data/`,
  `http://10.0.0.5:${port}/hook`,
  `http://172.16.3.4/hook`,
  `http://192.168.1.1/hook`,
  `http://100.64.0.1/hook`,
  `http://0.0.0.0:${port}/hook`,
  `http://0:${port}/hook`,
  `http://[fc00::1]/hook`,
  `http://[fe80::1]/hook`,
  `http://224.0.0.1/hook`,
  `http://255.255.255.255/hook`,
  `http://printer.local/hook`,
];

describe('webhook targets', () => {
  it('every spelling of an internal address is refused, with the reason', () => {
    for (const url of spellings(a.port)) {
      const why = webhookUrlProblem(url, []);
      expect(why, url).toMatch(/internal|user name or password/);
    }
    expect(webhookUrlProblem('https://routing.example/hook', [])).toBeNull();
    expect(webhookUrlProblem('https://203.0.113.0.example/hook', [])).toBeNull();
    expect(webhookUrlProblem(`http://127.0.0.1:${a.port}/hook`, ['127.0.0.1'])).toBeNull();
    expect(webhookUrlProblem('http://[::1]/hook', ['::1'])).toBeNull();
  });

  it('saving a rule with an internal webhook is refused: 400 names the rule and the reason', async () => {
    for (const url of spellings(a.port)) {
      const res = await api(server, '/api/sites/SSRF', {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          timezone: 'UTC',
          overflow_rules: [
            {
              id: 'r1',
              queue: 'sales',
              conditions: { waiting_gte: 1 },
              action: { kind: 'overflow', to: 'backup' },
              webhook: { url, secret: SECRET },
            },
          ],
        }),
      });
      expect(res.status, url).toBe(400);
      const body = (await res.json()) as { errors: string[] };
      expect(body.errors.join(' '), url).toMatch(
        /overflow_rules\[0\]\.webhook\.url .*(internal|user name or password)/,
      );
    }
    const cfg = (await (await api(server, '/api/sites/SSRF')).json()) as {
      overflow_rules: unknown[];
    };
    expect(cfg.overflow_rules).toEqual([]);
    expect(a.hits).toEqual([]);
  });
});

function job(url: string): DeliveryJob {
  const cfg = parseSiteConfig('S', {
    timezone: 'UTC',
    overflow_rules: [
      {
        id: 'r1',
        queue: 'sales',
        conditions: { waiting_gte: 1 },
        action: { kind: 'overflow', to: 'backup' },
        webhook: { url: 'https://routing.example/hook', secret: SECRET },
      },
    ],
  });
  return {
    site: 'S',
    alert_id: 'a1',
    rule: cfg.overflow_rules[0]!,
    event: 'overflow.raised',
    url,
    secret: SECRET,
    body: '{"event":"overflow.raised"}',
    key: 'a1:overflow.raised',
  };
}

const dispatcher = (allowHosts: string[]) =>
  new WebhookDispatcher({
    attempts: 3,
    baseDelayMs: 10,
    maxDelayMs: 20,
    timeoutMs: 5000,
    allowHosts,
  });

describe('webhook delivery', () => {
  it('a name that resolves to an internal address is refused at connect time, not retried', async () => {
    // The machine's own name resolves to a loopback or private address here; the save-time
    // name check does not know it, the connection's lookup does.
    const name = os.hostname();
    const addr = await dns.promises.lookup(name);
    expect(internalRange(addr.address)).not.toBeNull();
    const before = a.hits.length;
    const o = await dispatcher([]).deliver(job(`http://${name}:${a.port}/hook`));
    expect(o.delivered).toBe(false);
    expect(o.attempts).toBe(1);
    expect(o.lastError).toContain(`resolves to the internal address ${addr.address}`);
    expect(a.hits.length).toBe(before);
  });

  it('literal internal addresses in any spelling reach nothing', async () => {
    const d = dispatcher([]);
    for (const url of spellings(a.port).filter((u) => u.includes(`:${a.port}`))) {
      const o = await d.deliver(job(url));
      expect(o.delivered, url).toBe(false);
      expect(o.lastError, url).toMatch(/^refused: /);
    }
    expect(a.hits).toEqual([]);
  });

  it('an allowed host receives, and a redirect from it to another internal address is refused', async () => {
    const ok = await dispatcher(['127.0.0.1']).deliver(job(`http://127.0.0.1:${a.port}/hook`));
    expect(ok.delivered).toBe(true);
    expect(a.hits).toEqual(['POST /hook']);

    const hop = await receiver(
      '127.0.0.1',
      (_q, r) => void r.writeHead(307, { Location: `http://127.0.0.2:${b.port}/stolen` }).end(),
    );
    try {
      const o = await dispatcher(['127.0.0.1']).deliver(job(`http://127.0.0.1:${hop.port}/go`));
      expect(o.delivered).toBe(false);
      expect(o.attempts).toBe(1);
      expect(o.lastError).toContain('127.0.0.2');
      expect(o.lastError).toMatch(/internal address/);
      expect(hop.hits).toEqual(['POST /go']);
      expect(b.hits).toEqual([]);
    } finally {
      await close(hop);
    }
  });

  it('redirects are followed by hand to an allowed target, at most 3 hops', async () => {
    const target = await receiver('127.0.0.1');
    const hop = await receiver('127.0.0.1', (q, r) =>
      q.url === '/loop'
        ? void r.writeHead(308, { Location: '/loop' }).end()
        : void r.writeHead(307, { Location: `http://127.0.0.1:${target.port}/final` }).end(),
    );
    try {
      const ok = await dispatcher(['127.0.0.1']).deliver(job(`http://127.0.0.1:${hop.port}/go`));
      expect(ok.delivered).toBe(true);
      expect(target.hits).toEqual(['POST /final']);
      const loop = await dispatcher(['127.0.0.1']).deliver(
        job(`http://127.0.0.1:${hop.port}/loop`),
      );
      expect(loop.delivered).toBe(false);
      expect(loop.lastError).toContain('more than 3 redirects');
      // The first request and 3 followed hops, then it stops.
      expect(hop.hits.filter((h) => h === 'POST /loop')).toHaveLength(4);
    } finally {
      await close(target);
      await close(hop);
    }
  });
});
