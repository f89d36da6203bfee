// Webhook delivery of overflow actions against a real loopback HTTP receiver (node:http on
// port 0), with the real embedded ClickHouse recording every attempt and the real alert
// engine receiving the webhook_failed alert.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../ingest/src/adapters/clickhouse/store.js';
import { migrate } from '../../ingest/src/adapters/clickhouse/migrate.js';
import { listAlerts, listDeliveries } from '../../ingest/src/adapters/clickhouse/alert-store.js';
import { createAlertPipeline } from '../../ingest/src/adapters/webhook/alert-pipeline.js';
import { verifySignature } from '../../ingest/src/adapters/webhook/signature.js';
import { registerAlertRoutes } from '../../ingest/src/adapters/http/routes/alerts.js';
import { Router } from '../../ingest/src/adapters/http/router.js';
import type { AppContext } from '../../ingest/src/app-context.js';
import { readConfig } from '../../ingest/src/config.js';
import { pino } from 'pino';
import { createAlertEngine } from '../../ingest/src/core/alerts/engine.js';
import { registerAlertConfigValidators } from '../../ingest/src/core/alerts/config.js';
import type { AlertsModule, SiteView } from '../../ingest/src/core/modules.js';
import type { SiteConfig } from '../../ingest/src/core/site-config.js';
import { parseSiteConfig } from '../../ingest/src/core/site-config-validate.js';
import type { QueueFigures } from '../../ingest/src/core/snapshot.js';

registerAlertConfigValidators();

const SECRET = 'a-long-shared-secret-0123456789';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real HTTP receiver whose answer a test can change (status per request). */
async function receiver(): Promise<{
  url: string;
  got: Received[];
  answer: { status: (n: number) => number };
  close(): Promise<void>;
  server: Server;
}> {
  const got: Received[] = [];
  const answer = { status: (_n: number) => 200 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = answer.status(got.length);
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/route`,
    got,
    answer,
    server,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

function figures(): QueueFigures {
  return {
    offered: 0,
    answered: 0,
    answered_within_threshold: 0,
    abandoned: 0,
    short_abandoned: 0,
    service_level: null,
    asa_s: null,
    aht_s: null,
    answer_rate: null,
    occupancy: null,
    explain: {},
  };
}

function view(cfg: SiteConfig, now: number, waiting: number): SiteView {
  return {
    site: cfg.site,
    now,
    config: cfg,
    queues: [
      {
        queue: 'sales',
        waiting,
        longest_wait_s: 0,
        ready_agents: 1,
        agents_by_state: {},
        threshold_s: 20,
        target: 0.8,
        sl_variant: 'default',
        interval: figures(),
        today: figures(),
      },
    ],
    agents: [],
    teams: [],
    lastEventAt: now,
    rollingServiceLevel: () => ({
      value: null,
      explain: { formula: '', text: '', numerator: 0, denominator: 0 },
    }),
  };
}

let store: Store;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'fw-webhook-'));
  store = await openStore({
    storage: 'embedded',
    dataDir,
    clickhouse: { url: '', user: 'default', password: '', database: 'fw_webhook' },
  });
  await migrate(store);
});

afterAll(async () => {
  await store?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** One site wired as main.ts wires it: a real engine, its config, and the alert pipeline. */
function site(
  name: string,
  url: string,
  retry = { attempts: 3, baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 2000 },
) {
  const cfg = parseSiteConfig(name, {
    timezone: 'Asia/Shanghai',
    alerts: { sl_below_target: { enabled: false } },
    overflow_rules: [
      {
        id: 'r1',
        queue: 'sales',
        conditions: { waiting_gte: 5 },
        hold_down_s: 0,
        clear_down_s: 0,
        action: { kind: 'overflow', to: 'backup' },
        webhook: { url, secret: SECRET },
      },
    ],
  });
  const engine: AlertsModule = createAlertEngine(name, cfg);
  let touched = 0;
  const sites = {
    alerts: (s: string) => (s === name ? engine : undefined),
    config: () => cfg,
    touch: () => void touched++,
  };
  const pipeline = createAlertPipeline({
    store,
    sites,
    log: {
      warn: () => undefined,
      error: (o: unknown, m?: string) => console.error(m, o),
      info: () => undefined,
    } as never,
    now: () => Date.now(),
    // The receiver is on loopback, reachable only because it is allowed (webhook-ssrf.test.ts).
    webhook: { ...retry, allowHosts: ['127.0.0.1'] },
  });
  let t = Date.UTC(2026, 10, 23, 2, 0, 0);
  const step = (waiting: number) => {
    t += 1000;
    const changes = engine.evaluate(view(cfg, t, waiting));
    pipeline.onAlertChanges(name, changes);
    return changes;
  };
  return { cfg, engine, pipeline, step, sites, touched: () => touched };
}

describe('webhook delivery', () => {
  it('signs the body, sends an idempotency key, and records the delivery', async () => {
    const rx = await receiver();
    try {
      const s = site('wh1', rx.url);
      const raised = s.step(9);
      expect(raised.map((c) => c.kind)).toEqual(['raised']);
      await s.pipeline.idle();
      expect(rx.got).toHaveLength(1);
      const r = rx.got[0]!;
      expect(verifySignature(r.body, SECRET, r.headers['x-floorwatch-signature'] as string)).toBe(
        true,
      );
      expect(
        verifySignature(
          r.body,
          'another-secret-of-some-length',
          r.headers['x-floorwatch-signature'] as string,
        ),
      ).toBe(false);
      const id = raised[0]!.alert.id;
      expect(r.headers['idempotency-key']).toBe(`${id}:overflow.raised`);
      expect(JSON.parse(r.body)).toMatchObject({
        event: 'overflow.raised',
        site: 'wh1',
        alert_id: id,
        rule: 'r1',
        queue: 'sales',
        action: { kind: 'overflow', queue: 'sales', to: 'backup' },
      });
      const d = await listDeliveries(store, 'wh1', id);
      expect(d.map((x) => [x.attempt, x.status, x.outcome, x.idempotency_key])).toEqual([
        [1, 200, 'delivered', `${id}:overflow.raised`],
      ]);
      // The same, through the API route.
      const router = new Router();
      registerAlertRoutes(router, {
        config: readConfig({}),
        store,
        log: pino({ level: 'silent' }),
        now: Date.now,
        sites: s.sites,
      } as unknown as AppContext);
      const res = await router.handle({
        method: 'GET',
        path: `/api/alerts/${encodeURIComponent(id)}/deliveries`,
        query: new URLSearchParams(),
        headers: {},
        body: Buffer.alloc(0),
      });
      expect(res.status).toBe(200);
      expect(
        (res.body as { deliveries: { attempt: number; outcome: string; at: string }[] }).deliveries,
      ).toMatchObject([{ attempt: 1, outcome: 'delivered' }]);
      expect((res.body as { deliveries: { at: string }[] }).deliveries[0]!.at).toMatch(/\+08:00$/);
      // The queue recovers: the clear goes out too, under its own key.
      s.step(0);
      await s.pipeline.idle();
      expect(rx.got).toHaveLength(2);
      expect(rx.got[1]!.headers['idempotency-key']).toBe(`${id}:overflow.cleared`);
      expect(JSON.parse(rx.got[1]!.body).event).toBe('overflow.cleared');
      const stored = await listAlerts(store, {
        site: 'wh1',
        from: 0,
        to: Date.now() + 86_400_000 * 400,
        activeOnly: false,
        zone: 'Asia/Shanghai',
      });
      expect(stored.map((a) => [a.id, a.cleared_at !== null])).toEqual([[id, true]]);
    } finally {
      await rx.close();
    }
  });

  it('retries an outage with back-off, then raises a webhook_failed alert; a later success clears it', async () => {
    const rx = await receiver();
    try {
      rx.answer.status = () => 503;
      const s = site('wh2', rx.url);
      const id = s.step(9)[0]!.alert.id;
      await s.pipeline.idle();
      expect(rx.got).toHaveLength(3);
      expect(rx.got.map((g) => g.headers['x-floorwatch-attempt'])).toEqual(['1', '2', '3']);
      const d = await listDeliveries(store, 'wh2', id);
      expect(d.map((x) => [x.attempt, x.status, x.outcome])).toEqual([
        [1, 503, 'retry'],
        [2, 503, 'retry'],
        [3, 503, 'failed'],
      ]);
      // Exponential back-off: 20 ms then 40 ms between attempts (at least).
      expect(d[1]!.at - d[0]!.at).toBeGreaterThanOrEqual(20);
      expect(d[2]!.at - d[1]!.at).toBeGreaterThanOrEqual(40);
      const failed = s.engine.active().filter((a) => a.kind === 'webhook_failed');
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({ rule: 'r1', queue: 'sales', level: 'orange' });
      expect(failed[0]!.message).toContain('after 3 attempts: HTTP 503');
      expect(s.touched()).toBeGreaterThan(0);
      let stored = await listAlerts(store, {
        site: 'wh2',
        from: 0,
        to: Date.now() + 86_400_000,
        activeOnly: true,
        zone: 'UTC',
      });
      expect(stored.map((a) => a.kind).sort()).toEqual(['overflow', 'webhook_failed']);
      // The receiver is back: the clear is delivered and the failure alert clears with it.
      rx.answer.status = () => 200;
      s.step(0);
      await s.pipeline.idle();
      expect(s.engine.active()).toEqual([]);
      stored = await listAlerts(store, {
        site: 'wh2',
        from: 0,
        to: Date.now() + 86_400_000,
        activeOnly: true,
        zone: 'UTC',
      });
      expect(stored).toEqual([]);
    } finally {
      await rx.close();
    }
  });

  it('a receiver that is down (connection refused) is retried, then alerted', async () => {
    const rx = await receiver();
    const url = rx.url;
    await rx.close();
    const s = site('wh3', url, { attempts: 2, baseDelayMs: 10, maxDelayMs: 10, timeoutMs: 2000 });
    const id = s.step(9)[0]!.alert.id;
    await s.pipeline.idle();
    const d = await listDeliveries(store, 'wh3', id);
    expect(d.map((x) => [x.attempt, x.status, x.outcome])).toEqual([
      [1, 0, 'retry'],
      [2, 0, 'failed'],
    ]);
    expect(d[0]!.error).toMatch(/ECONNREFUSED|fetch failed/);
    expect(
      s.engine
        .active()
        .map((a) => a.kind)
        .sort(),
    ).toEqual(['overflow', 'webhook_failed']);
  });

  it('a duplicate delivery (receiver took it but answered 500) carries the same idempotency key and body', async () => {
    const rx = await receiver();
    try {
      rx.answer.status = (n) => (n === 1 ? 500 : 200);
      const s = site('wh4', rx.url);
      const id = s.step(9)[0]!.alert.id;
      await s.pipeline.idle();
      expect(rx.got).toHaveLength(2);
      const [a, b] = rx.got as [Received, Received];
      expect(a.headers['idempotency-key']).toBe(`${id}:overflow.raised`);
      expect(b.headers['idempotency-key']).toBe(a.headers['idempotency-key']);
      expect(b.body).toBe(a.body);
      expect(b.headers['x-floorwatch-signature']).toBe(a.headers['x-floorwatch-signature']);
      expect(s.engine.active().map((x) => x.kind)).toEqual(['overflow']);
      // Re-sending the same firing (e.g. replayed changes) keeps the key too.
      const again = s.pipeline.dispatcher.jobs('wh4', s.cfg, [
        { kind: 'raised', alert: s.engine.get(id)! },
      ]);
      expect(again.map((j) => j.key)).toEqual([`${id}:overflow.raised`]);
    } finally {
      await rx.close();
    }
  });
});
