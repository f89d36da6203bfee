// PUT /api/sites/{site}: every problem listed with its key path (and nothing stored), a
// valid configuration applied live to /api/live and the board, listed by GET /api/sites,
// and still in force after a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveSnapshot } from '../../ingest/src/core/snapshot.js';
import type { SiteConfig } from '../../ingest/src/core/site-config.js';
import { api, postEvents, startServer, type TestServer } from '../helpers/server.js';
import { BoardClient } from './board-client.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.dispose();
});

const put = (site: string, body: unknown) =>
  api(server, `/api/sites/${site}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const getJson = async <T>(path: string): Promise<T> =>
  (await (await api(server, path)).json()) as T;

describe('site configuration', () => {
  it('answers an unknown site with the defaults (UTC, T = 20 s, 80 %)', async () => {
    const cfg = await getJson<SiteConfig>('/api/sites/NEWSITE');
    expect(cfg).toMatchObject({
      site: 'NEWSITE',
      timezone: 'UTC',
      interval_minutes: 15,
      default_queue: { threshold_s: 20, target: 0.8, variant: 'default', short_abandon_s: 5 },
    });
  });

  it.each([
    ['not JSON', '{"timezone":', ['not valid JSON']],
    [
      'a bad zone, interval and unknown key',
      { timezone: 'Mars/Olympus', interval_minutes: 20, colour: 'red' },
      ['timezone', 'interval_minutes', 'colour is not a known key'],
    ],
    [
      'a bad queue threshold and variant',
      { queues: { sales: { threshold_s: -1, variant: 'best' } } },
      ['queues.sales.threshold_s', 'queues.sales.variant'],
    ],
    ['a site that does not match the URL', { site: 'OTHER' }, ['does not match']],
    [
      'an overflow rule without conditions',
      {
        overflow_rules: [
          { id: 'r1', queue: 'sales', conditions: {}, action: { kind: 'overflow', to: 'backup' } },
        ],
      },
      ['overflow_rules[0]'],
    ],
  ])('refuses %s with a 400 naming each problem', async (_name, body, expected) => {
    const r = await put('BADCFG', body);
    expect(r.status).toBe(400);
    const j = (await r.json()) as { error: string; errors?: string[] };
    const text = [j.error, ...(j.errors ?? [])].join('\n');
    for (const e of expected) expect(text).toContain(e);
    if (typeof body !== 'string') expect(j.errors?.length).toBeGreaterThanOrEqual(expected.length);
    // Nothing was stored: the site still runs on defaults.
    expect((await getJson<SiteConfig>('/api/sites/BADCFG')).timezone).toBe('UTC');
  });

  it('applies a valid configuration live, lists the site, and keeps it across a restart', async () => {
    const site = 'CFG1';
    const now = Date.now();
    await postEvents(server, [
      { id: 'cfg-1', ts: now - 2000, type: 'agent.login', site, agent: 'a1', queues: ['sales'] },
      { id: 'cfg-2', ts: now - 1000, type: 'call.offered', site, call: 'c1', queue: 'sales' },
    ]);
    // Events alone make a site known.
    await postEvents(server, [
      { id: 'cfg-3', ts: now, type: 'agent.login', site: 'EVENTSONLY', agent: 'z' },
    ]);
    const board = await BoardClient.connect(server.wsUrl, site);
    await board.until((c) => c.snapshot !== null, Date.now() + 10_000, 'the first snapshot');
    expect(board.snapshot?.timezone).toBe('UTC');

    const r = await put(site, {
      timezone: 'Europe/Berlin',
      interval_minutes: 30,
      queues: { sales: { threshold_s: 30, target: 0.85, variant: 'answered' } },
    });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ site, timezone: 'Europe/Berlin', interval_minutes: 30 });

    // Live: the snapshot and the board follow without a restart.
    const live = await getJson<LiveSnapshot>(`/api/live?site=${site}`);
    expect(live).toMatchObject({ timezone: 'Europe/Berlin', interval_minutes: 30 });
    expect(live.queues.find((q) => q.queue === 'sales')).toMatchObject({
      threshold_s: 30,
      target: 0.85,
      sl_variant: 'answered',
      waiting: 1,
    });
    await board.until(
      (c) => c.snapshot?.timezone === 'Europe/Berlin',
      Date.now() + 5000,
      'the new zone on the board',
    );
    expect(board.gaps).toEqual([]);
    board.close();

    // A second PUT merges over the configuration in force.
    expect(
      (await put(site, { display: { sl_warn: 0.95, waiting_warn: 3, waiting_alarm: 9 } })).status,
    ).toBe(200);

    const list = await getJson<{
      sites: { site: string; timezone: string; configured: boolean }[];
    }>('/api/sites');
    expect(list.sites).toContainEqual({ site, timezone: 'Europe/Berlin', configured: true });
    expect(list.sites).toContainEqual({ site: 'EVENTSONLY', timezone: 'UTC', configured: false });

    server = await server.restart();
    const cfg = await getJson<SiteConfig>(`/api/sites/${site}`);
    expect(cfg).toMatchObject({
      timezone: 'Europe/Berlin',
      interval_minutes: 30,
      queues: { sales: { threshold_s: 30, target: 0.85, variant: 'answered' } },
      display: { sl_warn: 0.95 },
    });
    const after = await getJson<LiveSnapshot>(`/api/live?site=${site}`);
    expect(after.timezone).toBe('Europe/Berlin');
    expect(after.queues.find((q) => q.queue === 'sales')).toMatchObject({
      threshold_s: 30,
      waiting: 1,
    });
    const list2 = await getJson<{ sites: { site: string }[] }>('/api/sites');
    expect(list2.sites.map((s) => s.site)).toEqual(expect.arrayContaining([site, 'EVENTSONLY']));
  });
});
