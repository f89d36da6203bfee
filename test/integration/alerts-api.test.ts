// The alert API over the real pieces in one process: embedded ClickHouse (own folder), the
// real ingest service, site registry with the real queue/workforce/alert engines, the alert
// pipeline and the routes (called through the socket-free router). Time is a clock the
// test moves, so hold-down and clear-down are exact. The same flow on the real server over
// /ws/board is test/integration/alerts-e2e.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../ingest/src/app-context.js';
import { restoreActiveAlerts } from '../../ingest/src/adapters/clickhouse/alert-store.js';
import { migrate } from '../../ingest/src/adapters/clickhouse/migrate.js';
import { openStore, type Store } from '../../ingest/src/adapters/clickhouse/store.js';
import { registerAlertRoutes } from '../../ingest/src/adapters/http/routes/alerts.js';
import { Router, type ApiResponse } from '../../ingest/src/adapters/http/router.js';
import {
  createAlertPipeline,
  type AlertPipeline,
} from '../../ingest/src/adapters/webhook/alert-pipeline.js';
import { readConfig } from '../../ingest/src/config.js';
import { registerAlertConfigValidators } from '../../ingest/src/core/alerts/config.js';
import { createAlertEngine } from '../../ingest/src/core/alerts/engine.js';
import { createQueueEngine } from '../../ingest/src/core/queue/index.js';
import { parseSiteConfig } from '../../ingest/src/core/site-config-validate.js';
import type { AlertView } from '../../ingest/src/core/snapshot.js';
import {
  createWorkforceEngine,
  registerWorkforceConfigValidator,
} from '../../ingest/src/core/workforce/index.js';
import { IngestService } from '../../ingest/src/pipeline/ingest-service.js';
import { SiteRegistry } from '../../ingest/src/runtime/site-registry.js';

registerAlertConfigValidators();
registerWorkforceConfigValidator();

const SITE = 'alertsite';
let dataDir: string;
let store: Store;
let clock = Date.now();
const log = pino({ level: 'silent' });

interface World {
  registry: SiteRegistry;
  pipeline: AlertPipeline;
  router: Router;
  ingest: IngestService;
}

function world(): World {
  const config = readConfig({ FLOORWATCH_FLUSH_MS: '5' });
  const base = { config, store, log, now: () => clock };
  // Assigned once the registry it needs exists; the factories' closure reads it later.
  // eslint-disable-next-line prefer-const
  let pipeline: AlertPipeline | undefined;
  const registry = new SiteRegistry(base, {
    factories: {
      createQueue: (site, cfg, o) => createQueueEngine(site, cfg, o),
      createWorkforce: (site, cfg) => createWorkforceEngine(site, cfg),
      createAlerts: (site, cfg) => createAlertEngine(site, cfg),
    },
    onAlertChanges: (site, changes) => pipeline?.onAlertChanges(site, changes),
  });
  pipeline = createAlertPipeline({ store, sites: registry, log, now: () => clock });
  const ctx: AppContext = { ...base, sites: registry };
  const router = new Router();
  registerAlertRoutes(router, ctx, { persist: pipeline.persist });
  const ingest = new IngestService(
    config,
    store,
    log,
    (events, now) => registry.applyCommitted(events, now),
    undefined,
    () => clock,
  );
  return { registry, pipeline, router, ingest };
}

async function call(
  w: World,
  method: string,
  url: string,
  opts: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse & { json: Record<string, unknown> }> {
  const u = new URL(url, 'http://x');
  const res = await w.router.handle({
    method,
    path: u.pathname,
    query: u.searchParams,
    headers: opts.headers ?? {},
    body: Buffer.from(opts.body === undefined ? '' : JSON.stringify(opts.body)),
  });
  return { ...res, json: res.body as Record<string, unknown> };
}

let seq = 0;
async function send(w: World, events: Record<string, unknown>[]): Promise<void> {
  const body = events
    .map((e) => JSON.stringify({ id: `e${++seq}`, site: SITE, ts: clock, ...e }))
    .join('\n');
  const reply = await w.ingest.submit(Buffer.from(body), 'test');
  await w.ingest.applied();
  expect(reply.rejected).toEqual([]);
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'fw-alerts-api-'));
  store = await openStore({
    storage: 'embedded',
    dataDir,
    clickhouse: { url: '', user: 'default', password: '', database: 'fw_alerts' },
  });
  await migrate(store);
});

afterAll(async () => {
  await store?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('alert lifecycle through the API', () => {
  it('raise after hold-down → ack (who/note) → clear after clear-down → history; handover; restore', async () => {
    const w = world();
    await w.ingest.start();
    const start = clock;
    await w.registry.setConfig(
      SITE,
      parseSiteConfig(SITE, {
        timezone: 'Asia/Shanghai',
        alerts: { sl_below_target: { enabled: false } },
        overflow_rules: [
          {
            id: 'sales-ovf',
            queue: 'sales',
            conditions: { waiting_gte: 3 },
            hold_down_s: 2,
            clear_down_s: 5,
            level: 'orange',
            action: { kind: 'overflow', to: 'backup' },
          },
        ],
      }),
    );
    await send(w, [
      { type: 'agent.login', agent: 'a1', team: 't1', queues: ['sales'] },
      { type: 'agent.state', agent: 'a1', state: 'talking' },
      ...[1, 2, 3, 4].map((i) => ({ type: 'call.offered', call: `c${i}`, queue: 'sales' })),
    ]);
    // Conditions hold from now: nothing before the 2 s hold-down has passed.
    clock += 1999;
    w.registry.tick(clock);
    expect((await call(w, 'GET', `/api/alerts?site=${SITE}`)).json['alerts']).toEqual([]);
    clock += 1;
    w.registry.tick(clock);
    const active = (await call(w, 'GET', `/api/alerts?site=${SITE}`)).json['alerts'] as AlertView[];
    expect(active).toHaveLength(1);
    const alert = active[0]!;
    expect(alert).toMatchObject({
      id: `${SITE}:overflow:sales-ovf:${clock}`,
      kind: 'overflow',
      level: 'orange',
      queue: 'sales',
      acked_at: null,
      cleared_at: null,
      action: 'Overflow queue sales to backup',
    });
    expect(alert.message).toContain('4 calls waiting');

    // Ack: the signed-in user comes from the header; a note is kept.
    expect(
      (await call(w, 'POST', `/api/alerts/${encodeURIComponent(alert.id)}/ack`, { body: {} }))
        .status,
    ).toBe(400);
    clock += 500;
    const ack = await call(w, 'POST', `/api/alerts/${encodeURIComponent(alert.id)}/ack`, {
      headers: { 'x-floorwatch-user': 'lead.zhang' },
      body: { by: 'ignored', note: '已开溢出组' },
    });
    expect(ack.status).toBe(200);
    expect(ack.json['alert']).toMatchObject({
      id: alert.id,
      acked_by: 'lead.zhang',
      ack_note: '已开溢出组',
    });
    const again = await call(w, 'POST', `/api/alerts/${encodeURIComponent(alert.id)}/ack`, {
      body: { by: 'someone' },
    });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({
      already_acknowledged: true,
      alert: { acked_by: 'lead.zhang' },
    });
    expect(
      (
        await call(w, 'POST', `/api/alerts/${encodeURIComponent(`${SITE}:overflow:nope:1`)}/ack`, {
          body: { by: 'x' },
        })
      ).status,
    ).toBe(404);

    // 30 s later the callers give up (waits over T = 20 s, so not short abandons) and the
    // queue recovers: the alert clears only after 5 s of clear-down.
    clock += 30_000;
    w.registry.tick(clock);
    await send(w, [
      { type: 'call.abandoned', call: 'c1', queue: 'sales' },
      { type: 'call.abandoned', call: 'c2', queue: 'sales' },
      { type: 'call.abandoned', call: 'c3', queue: 'sales' },
    ]);
    const recovered = clock;
    // A batch right after an evaluation may be evaluated at the next clock step (the runtime
    // evaluates at most every 250 ms per site); step the clock now, as its 1 s timer would.
    w.registry.tick(clock);
    clock += 4999;
    w.registry.tick(clock);
    expect(
      ((await call(w, 'GET', `/api/alerts?site=${SITE}`)).json['alerts'] as AlertView[]).map(
        (a) => a.id,
      ),
    ).toEqual([alert.id]);
    clock = recovered + 5000;
    w.registry.tick(clock);
    expect((await call(w, 'GET', `/api/alerts?site=${SITE}`)).json['alerts']).toEqual([]);
    const late = await call(w, 'POST', `/api/alerts/${encodeURIComponent(alert.id)}/ack`, {
      body: { by: 'x' },
    });
    expect(late.status).toBe(409);

    // The whole lifecycle, from storage.
    await w.pipeline.idle();
    const all = (await call(w, 'GET', `/api/alerts?site=${SITE}&state=all`)).json[
      'alerts'
    ] as AlertView[];
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      id: alert.id,
      acked_by: 'lead.zhang',
      raised_at: alert.raised_at,
    });
    expect(all[0]!.acked_at).not.toBeNull();
    expect(all[0]!.cleared_at).not.toBeNull();
    expect(all[0]!.clear_reason).toContain('clear-down');
    expect(Date.parse(all[0]!.cleared_at!) - Date.parse(all[0]!.raised_at)).toBe(
      recovered + 5000 - Date.parse(alert.raised_at),
    );
    // A new registry reading only storage sees the same (the store is the history).
    const fresh = world();
    await fresh.registry.setConfig(SITE, w.registry.config(SITE));
    const stored = (await call(fresh, 'GET', `/api/alerts?site=${SITE}&state=all`)).json[
      'alerts'
    ] as AlertView[];
    expect(stored).toEqual(all);
    const ranged = await call(
      w,
      'GET',
      `/api/alerts?site=${SITE}&state=all&from=${encodeURIComponent(new Date(start - 60_000).toISOString())}&to=${encodeURIComponent(new Date(start - 1000).toISOString())}`,
    );
    expect(ranged.json['alerts']).toEqual([]);

    // Handover since the start: the alert raised and acknowledged, none open; the worst
    // interval is the one whose three abandons had waits over T (SL 0 of 3 < 80%).
    clock += 1000;
    const h = await call(
      w,
      'GET',
      `/api/handover?site=${SITE}&since=${encodeURIComponent(new Date(start - 1000).toISOString())}`,
    );
    expect(h.status).toBe(200);
    const body = h.json as unknown as {
      summary: Record<string, number>;
      alerts: Record<string, AlertView[]>;
      worst_intervals: { queue: string; service_level: number; abandoned: number }[];
    };
    expect(body.summary).toMatchObject({ raised: 1, acknowledged: 1, open: 0 });
    expect(body.alerts['raised']!.map((a) => a.id)).toEqual([alert.id]);
    expect(body.worst_intervals.length).toBeGreaterThanOrEqual(1);
    expect(body.worst_intervals[0]).toMatchObject({
      queue: 'sales',
      service_level: 0,
      abandoned: 3,
    });

    // An alert left open survives a restart: the loader puts it back under the same id.
    await send(
      w,
      [4, 5, 6].map((i) => ({ type: 'call.offered', call: `d${i}`, queue: 'sales' })),
    );
    clock += 2000;
    w.registry.tick(clock);
    const open = (await call(w, 'GET', `/api/alerts?site=${SITE}`)).json['alerts'] as AlertView[];
    expect(open).toHaveLength(1);
    await w.pipeline.idle();
    const restarted = world();
    await restarted.registry.setConfig(SITE, w.registry.config(SITE));
    expect(await restoreActiveAlerts(store, restarted.registry)).toBe(1);
    expect(
      restarted.registry
        .alerts(SITE)!
        .active()
        .map((a) => a.id),
    ).toEqual([open[0]!.id]);
    await w.ingest.close();
  });
});
