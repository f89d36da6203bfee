// The conformance report by agent runs its own SQL (queries/reports/conformance-by-agent.sql,
// no grouping): its JSON must be the grouped report's (conformance.sql with by = 'agent')
// byte for byte, over stored closed days, today so far derived from events, and everything
// derived from events (verify), on a random site with excused time.
import { DateTime } from 'luxon';
import pino from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../ingest/src/adapters/clickhouse/store.js';
import { BodyParts, Router } from '../../ingest/src/adapters/http/router.js';
import { registerRosterRoutes } from '../../ingest/src/adapters/http/routes/roster.js';
import { registerWorkforceReports } from '../../ingest/src/adapters/http/routes/report-workforce.js';
import type { AppContext, SiteDirectory } from '../../ingest/src/app-context.js';
import { readConfig } from '../../ingest/src/config.js';
import type { FwEvent } from '../../ingest/src/core/contract.js';
import { defaultSiteConfig } from '../../ingest/src/core/site-config.js';
import { dayStartMs } from '../../ingest/src/core/workforce/time.js';
import { eventBlock, insertEventBlock, rowOf } from '../../ingest/src/pipeline/native-rows.js';
import { conformanceReport, conformanceRowsJson } from '../../queries/index.js';
import { randomWorkforce } from './workforce-model.js';
import { useTempStore } from '../helpers/store.js';

let store: Store;
useTempStore('fw_conf_agent', (s) => (store = s));

const site = 'cba';
const zone = 'Asia/Shanghai';
const days = ['2026-11-10', '2026-11-11', '2026-11-12'];
const cfg = defaultSiteConfig(site);
cfg.timezone = zone;
// The last day at 10:00: the first two are closed (stored facts), the last is today so far,
// with shifts not started yet (no scheduled time: conformance null).
const now = DateTime.fromISO('2026-11-12T10:00', { zone }).toMillis();
const plan = randomWorkforce({ seed: 7, site, zone, agents: 14, days, now });
const p = {
  site,
  fromDay: days[0] as string,
  toDay: days[2] as string,
  fromDayStartMs: dayStartMs(days[0] as string, zone, cfg.day_start),
  now,
  config: cfg,
  by: 'agent' as const,
};

const ctx = {
  config: readConfig({}),
  get store() {
    return store;
  },
  log: pino({ level: 'silent' }),
  sites: {
    config: () => cfg,
    workforce: () => undefined,
    touch: () => {},
    sites: () => [site],
  } as unknown as SiteDirectory,
  now: () => now,
} as AppContext;
const router = new Router();
registerRosterRoutes(router, ctx);
registerWorkforceReports(router, ctx);

async function call(method: string, url: string, body: string, type: string) {
  const u = new URL(url, 'http://x');
  const r = await router.handle({
    method,
    path: u.pathname,
    query: u.searchParams,
    headers: { 'content-type': type },
    body: Buffer.from(body),
  });
  return { status: r.status, body: r.body };
}

describe('conformance by agent', () => {
  beforeAll(async () => {
    const put = await call('PUT', `/api/sites/${site}/roster`, plan.rosterCsv, 'text/csv');
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const exc = JSON.stringify(plan.excused);
    const post = await call('POST', `/api/sites/${site}/excused`, exc, 'application/json');
    expect(post.status, JSON.stringify(post.body)).toBe(200);
    await insertEventBlock(
      store,
      eventBlock(plan.events.map((e) => rowOf(e as unknown as FwEvent, 'test'))),
    );
  });

  it.each([
    ['stored closed days and today so far', false],
    ['every day derived from events', true],
  ])('is the grouped report byte for byte: %s', async (_, fromEvents) => {
    const q = { ...p, fromEvents };
    const flat = await conformanceRowsJson(store, q);
    const grouped = await conformanceRowsJson(store, q, 'conformance');
    expect(flat.toString('utf8')).toBe(grouped.toString('utf8'));
    const rows = await conformanceReport(store, q);
    expect(new Set(rows.map((r) => r.date))).toEqual(new Set(days));
    expect(rows.some((r) => r.conformance === null)).toBe(true);
    expect(rows.some((r) => r.excused_s > 0)).toBe(true);
  });

  it('goes out as the head, those bytes and a closing brace', async () => {
    const r = await call(
      'GET',
      `/api/reports/conformance?site=${site}&from=${days[0]}&to=2026-11-13&by=agent`,
      '',
      '',
    );
    expect(r.status).toBe(200);
    expect(r.body).toBeInstanceOf(BodyParts);
    const text = (r.body as BodyParts).text();
    const rows = (await conformanceRowsJson(store, p)).toString('utf8');
    expect(text.endsWith(`,"rows":${rows}}`)).toBe(true);
    expect(JSON.parse(text)).toMatchObject({ site, by: 'agent', standard: 0.92 });
  });
});
