// A history report over closed days with no stored facts yet, on the real embedded ClickHouse,
// with no wait allowed (FLOORWATCH_REPORT_WAIT_S=0): it answers 503 with Retry-After while its
// days are built, its retries join that build, and once built it answers the figures the
// independent sweep gives, each day built once.
import pino from 'pino';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { Store } from '../../ingest/src/adapters/clickhouse/store.js';
import { Router, type ApiResponse } from '../../ingest/src/adapters/http/router.js';
import { registerRosterRoutes } from '../../ingest/src/adapters/http/routes/roster.js';
import { registerWorkforceReports } from '../../ingest/src/adapters/http/routes/report-workforce.js';
import type { AppContext, SiteDirectory } from '../../ingest/src/app-context.js';
import { readConfig } from '../../ingest/src/config.js';
import type { FwEvent } from '../../ingest/src/core/contract.js';
import { defaultSiteConfig } from '../../ingest/src/core/site-config.js';
import { createWorkforceEngine } from '../../ingest/src/core/workforce/index.js';
import { eventBlock, insertEventBlock, rowOf } from '../../ingest/src/pipeline/native-rows.js';
import { independentFigures, randomWorkforce } from './workforce-model.js';
import { useTempStore } from '../helpers/store.js';

let store: Store;
useTempStore('fw_report_wait', (s) => (store = s));

const site = 'rw';
const zone = 'Asia/Shanghai';
const days = ['2026-11-10', '2026-11-11', '2026-11-12'];
const cfg = defaultSiteConfig(site);
cfg.timezone = zone;
const now = DateTime.fromISO('2026-11-15T12:00', { zone }).toMillis();
const plan = randomWorkforce({ seed: 7, site, zone, agents: 10, days, now });

const engine = createWorkforceEngine(site, cfg);
const sites = {
  config: () => cfg,
  setConfig: async () => {},
  workforce: (s: string) => (s === site ? engine : undefined),
  alerts: () => undefined,
  applyCommitted: () => {},
  snapshot: () => {
    throw new Error('no board in this test');
  },
  touch: () => {},
  sites: () => [site],
  held: () => ({ calls: 0, earlyFolded: 0, horizonMs: 0 }),
} as SiteDirectory;
const ctx: AppContext = {
  config: readConfig({ FLOORWATCH_REPORT_WAIT_S: '0' }),
  get store() {
    return store;
  },
  log: pino({ level: 'silent' }),
  sites,
  now: () => now,
};
const router = new Router();
registerRosterRoutes(router, ctx);
registerWorkforceReports(router, ctx);

async function call(
  method: string,
  url: string,
  body?: string,
): Promise<ApiResponse & { body: Record<string, unknown> }> {
  const u = new URL(url, 'http://x');
  return (await router.handle({
    method,
    path: u.pathname,
    query: u.searchParams,
    headers: { 'content-type': 'text/csv' },
    body: Buffer.from(body ?? ''),
  })) as ApiResponse & { body: Record<string, unknown> };
}

describe('a report whose days are not built yet, with no wait allowed', () => {
  it('answers 503 with Retry-After, then the figures once its days are built, each once', async () => {
    const put = await call('PUT', `/api/sites/${site}/roster`, plan.rosterCsv);
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    await insertEventBlock(
      store,
      eventBlock(plan.events.map((e) => rowOf(e as unknown as FwEvent, 'test'))),
    );
    const url = `/api/reports/attendance?site=${site}&from=${days[0]}&to=2026-11-13&by=team`;
    const first = await call('GET', url);
    expect(first.status).toBe(503);
    expect(Number(first.headers?.['Retry-After'])).toBeGreaterThan(0);
    let r = first;
    for (let i = 0; i < 2000 && r.status === 503; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      r = await call('GET', url);
    }
    expect(r.status).toBe(200);
    const want = independentFigures(plan, cfg, now, days);
    expect(
      (r.body['rows'] as { date: string; key: string; scheduled: number; attended: number }[]).map(
        (x) => [x.date, x.key, x.scheduled, x.attended],
      ),
    ).toEqual(want.attendance('team').map((g) => [g.day, g.key, g.scheduled, g.attended]));
    const rs = await store.client.query({
      query: `SELECT toString(day) AS d, count() AS n FROM ${store.database}.workforce_fact_days WHERE site = {site:String} GROUP BY d ORDER BY d`,
      query_params: { site },
      format: 'JSONEachRow',
    });
    expect(
      (await rs.json<{ d: string; n: number | string }>()).map((x) => [x.d, Number(x.n)]),
    ).toEqual(days.map((d) => [d, 1]));
  });
});
