// `npm run verify` and GET /api/reports/verify against the real server: a site's calls, agent
// events and roster of two past days are posted, the reports are read (their facts stored),
// and verify finds 0 mismatches. Then, with the server stopped, a stored interval quarter and
// a stored agent-day are altered in its data folder (a planted mismatch), the server starts
// again on it, and verify reports exactly those figures and exits 1.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { DateTime } from 'luxon';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../ingest/src/adapters/clickhouse/store.js';
import type { FwEvent } from '../../ingest/src/core/contract.js';
import {
  api,
  postEvents,
  ROOT,
  startServer,
  TEST_ADMIN_TOKEN,
  type TestServer,
} from '../helpers/server.js';
import { traffic } from '../unit/queue-helpers.js';
import { randomWorkforce } from './workforce-model.js';

const run = promisify(execFile);
const site = 'audit';
const zone = 'Asia/Jerusalem';
// Two operating days a week ago: closed, so their facts are stored.
const day0 = DateTime.now().setZone(zone).minus({ days: 8 }).toISODate() as string;
const day1 = DateTime.fromISO(day0).plus({ days: 1 }).toISODate() as string;

let server: TestServer | undefined;
afterAll(async () => server?.dispose());

async function verify(...extra: string[]): Promise<{ code: number; out: string }> {
  const args = [
    '--import',
    'tsx',
    path.join(ROOT, 'scripts/verify.ts'),
    '--target',
    (server as TestServer).url,
    '--site',
    site,
    '--from',
    day0,
    '--to',
    day1,
    ...extra,
  ];
  try {
    const r = await run(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, FLOORWATCH_TOKEN: TEST_ADMIN_TOKEN },
    });
    return { code: 0, out: r.stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

describe('npm run verify', () => {
  it('finds 0 mismatches on a clean site, then exactly a planted one', async () => {
    server = await startServer({ timeoutMs: 180_000 });
    expect(
      (
        await api(server, `/api/sites/${site}`, {
          method: 'PUT',
          body: JSON.stringify({ timezone: zone }),
          headers: { 'Content-Type': 'application/json' },
        })
      ).status,
    ).toBe(200);
    const now = Date.now();
    const plan = randomWorkforce({ seed: 18, site, zone, agents: 6, days: [day0, day1], now });
    expect(
      (
        await api(server, `/api/sites/${site}/roster`, {
          method: 'PUT',
          body: plan.rosterCsv,
          headers: { 'Content-Type': 'text/csv' },
        })
      ).status,
    ).toBe(200);
    const events: object[] = [...plan.events];
    [day0, day1].forEach((d, i) => {
      const start = DateTime.fromISO(`${d}T08:00`, { zone }).toMillis();
      for (const e of traffic(7 + i, 5, 120, { start, site, prefix: `t${i}-` }).events)
        events.push(
          'call' in e ? { ...e, call: `t${i}-${(e as FwEvent & { call: string }).call}` } : e,
        );
    });
    for (let i = 0; i < events.length; i += 2000) {
      const r = await postEvents(server, events.slice(i, i + 2000));
      expect(r.body.rejected).toEqual([]);
    }

    const clean = await verify();
    expect(clean.out).toMatch(/^0 mismatches \(site audit/m);
    expect(clean.out).toMatch(
      /intervals-15 [1-9]\d*, intervals-30 [1-9]\d*, intervals-60 [1-9]\d*, conformance [1-9]\d*, adherence [1-9]\d*, attendance [1-9]\d*/,
    );
    expect(clean.code).toBe(0);

    // The route itself, for one report.
    const res = await api(
      server,
      `/api/reports/verify?site=${site}&from=${day0}&to=${day1}&report=attendance`,
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { mismatches: unknown[] }).mismatches).toEqual([]);
    expect(
      (await api(server, `/api/reports/verify?site=${site}&from=${day0}&to=${day1}&report=bogus`))
        .status,
    ).toBe(400);

    // Plant: one stored quarter's offered + 1, one stored agent-day's sign-in time + 60 s.
    await server.stop('SIGTERM');
    const store = await openStore({
      storage: 'embedded',
      dataDir: server.dataDir,
      clickhouse: { url: '', user: '', password: '', database: 'floorwatch' },
    });
    let quarter: number;
    let agent = '';
    try {
      const q = await (
        await store.client.query({
          query: `SELECT q_ms, queue FROM floorwatch.interval_quarters WHERE site = '${site}' AND offered > 0 ORDER BY q_ms, queue LIMIT 1`,
          format: 'JSONEachRow',
        })
      ).json<{ q_ms: string; queue: string }>();
      quarter = Number(q[0]?.q_ms);
      await store.client.command({
        query: `ALTER TABLE floorwatch.interval_quarters UPDATE offered = offered + 1 WHERE site = '${site}' AND q_ms = ${quarter} AND queue = '${q[0]?.queue}' SETTINGS mutations_sync = 2`,
      });
      const a = await (
        await store.client.query({
          query: `SELECT agent FROM floorwatch.workforce_day_facts WHERE site = '${site}' AND day = '${day1}' AND logged_in_ms > 0 ORDER BY agent LIMIT 1`,
          format: 'JSONEachRow',
        })
      ).json<{ agent: string }>();
      agent = a[0]?.agent ?? '';
      await store.client.command({
        query: `ALTER TABLE floorwatch.workforce_day_facts UPDATE logged_in_ms = logged_in_ms + 60000 WHERE site = '${site}' AND day = '${day1}' AND agent = '${agent}' SETTINGS mutations_sync = 2`,
      });
    } finally {
      await store.close();
    }
    expect(quarter).toBeGreaterThan(0);
    expect(agent).not.toBe('');
    server = await startServer({ dataDir: server.dataDir, timeoutMs: 180_000 });

    const planted = await verify();
    expect(planted.code).toBe(1);
    const lines = planted.out.split('\n').filter((l) => l.startsWith('MISMATCH'));
    // The quarter's offered shows in its 15-, 30- and 60-minute intervals; the agent-day's sign-in time once.
    expect(lines.filter((l) => l.includes(' field=offered '))).toHaveLength(3);
    expect(
      lines.every((l) =>
        / field=(offered|answer_rate|service_level|logged_in_s|conformance) /.test(l),
      ),
    ).toBe(true);
    const conf = lines.filter((l) => l.startsWith('MISMATCH conformance'));
    expect(conf.some((l) => l.includes(`day=${day1} key=${agent} field=logged_in_s`))).toBe(true);
    const logged = conf.find((l) => l.includes('field=logged_in_s')) as string;
    const [served, recomputed] = [
      /served=(\S+)/.exec(logged)?.[1],
      /recomputed=(\S+)/.exec(logged)?.[1],
    ].map(Number);
    expect((served as number) - (recomputed as number)).toBe(60);
    expect(planted.out).toMatch(new RegExp(`^${lines.length} mismatches`, 'm'));

    // Only the planted report when asked for one.
    expect((await verify('--report', 'attendance')).code).toBe(0);
  }, 240_000);
});
