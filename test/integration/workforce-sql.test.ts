// Workforce figures three ways on the real embedded ClickHouse in this test process:
// random rosters, sign-in/out and state streams and excused time go through the real
// roster/excused routes (Router, no socket) into ClickHouse and into the live workforce
// engine. The live figures (GET /api/live/workforce), the SQL reports (GET /api/reports/*)
// and a straightforward sweep over elementary intervals written here must all agree.
import pino from 'pino';
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../ingest/src/adapters/clickhouse/store.js';
import { Router, type ApiResponse } from '../../ingest/src/adapters/http/router.js';
import { registerRosterRoutes } from '../../ingest/src/adapters/http/routes/roster.js';
import { registerWorkforceReports } from '../../ingest/src/adapters/http/routes/report-workforce.js';
import type { AppContext, SiteDirectory } from '../../ingest/src/app-context.js';
import { readConfig } from '../../ingest/src/config.js';
import type { FwEvent } from '../../ingest/src/core/contract.js';
import { defaultSiteConfig, type SiteConfig } from '../../ingest/src/core/site-config.js';
import {
  createWorkforceEngine,
  type WorkforceEngine,
} from '../../ingest/src/core/workforce/index.js';
import { eventBlock, insertEventBlock, rowOf } from '../../ingest/src/pipeline/native-rows.js';
import { sitesWithRoster } from '../../ingest/src/adapters/clickhouse/workforce-store.js';
import { randomWorkforce, independentFigures, type Plan } from './workforce-model.js';
import { useTempStore } from '../helpers/store.js';
import { parsedBody } from '../helpers/api-body.js';

let store: Store;
useTempStore('fw_workforce', (s) => (store = s));

/** A site directory holding one real engine per site (what the runtime does, minus the board). */
function harness(site: string, cfg: SiteConfig, now: number) {
  const engine = createWorkforceEngine(site, cfg);
  let touched = 0;
  const sites = {
    config: () => cfg,
    setConfig: async () => {},
    workforce: (s: string) => (s === site ? engine : undefined),
    alerts: () => undefined,
    applyCommitted: () => {},
    snapshot: () => {
      throw new Error('no board in this test');
    },
    touch: () => void touched++,
    sites: () => [site],
    held: () => ({ calls: 0, earlyFolded: 0, horizonMs: 0 }),
  } as SiteDirectory;
  // `store` is opened in beforeAll, after describe blocks build their harness.
  const ctx: AppContext = {
    config: readConfig({}),
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
  const call = async (
    method: string,
    url: string,
    body?: unknown,
    type = 'application/json',
  ): Promise<ApiResponse & { body: Record<string, unknown> }> => {
    const u = new URL(url, 'http://x');
    const buf =
      body === undefined
        ? Buffer.alloc(0)
        : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const r = await router.handle({
      method,
      path: u.pathname,
      query: u.searchParams,
      headers: { 'content-type': type },
      body: buf,
    });
    return parsedBody(r) as ApiResponse & { body: Record<string, unknown> };
  };
  return { engine: engine as WorkforceEngine, call, touched: () => touched };
}

async function load(site: string, plan: Plan, h: ReturnType<typeof harness>): Promise<void> {
  const put = await h.call('PUT', `/api/sites/${site}/roster`, plan.rosterCsv, 'text/csv');
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  expect(put.body['accepted']).toBe(plan.rosterRows);
  if (plan.excused.length) {
    const post = await h.call('POST', `/api/sites/${site}/excused`, plan.excused);
    expect(post.status, JSON.stringify(post.body)).toBe(200);
  }
  await insertEventBlock(
    store,
    eventBlock(plan.events.map((e) => rowOf(e as unknown as FwEvent, 'test'))),
  );
  // The runtime applies committed events in event-time order.
  for (const e of [...plan.events].sort((a, b) => a.ts - b.ts))
    h.engine.apply(e as unknown as FwEvent);
}

type Row = Record<string, number | string | null | string[]>;
const rows = (r: { body: Record<string, unknown> }): Row[] => r.body['rows'] as Row[];

const SCENARIOS = [
  {
    name: 'Asia/Shanghai, 14 agents, seed 1',
    zone: 'Asia/Shanghai',
    seed: 1,
    agents: 14,
    day: '2026-11-23',
    nowLocal: '17:30',
  },
  {
    name: 'America/New_York DST day, 10 agents, seed 7',
    zone: 'America/New_York',
    seed: 7,
    agents: 10,
    day: '2026-03-08',
    nowLocal: '20:00',
  },
  {
    name: 'Europe/London, neutral training, 16 agents, seed 42',
    zone: 'Europe/London',
    seed: 42,
    agents: 16,
    day: '2026-11-23',
    nowLocal: '23:00',
    neutralTraining: true,
  },
];

describe.each(SCENARIOS)('workforce figures: live = SQL = independent ($name)', (sc) => {
  const site = `wf${sc.seed}`;
  const cfg = defaultSiteConfig(site);
  cfg.timezone = sc.zone;
  if (sc.neutralTraining) cfg.workforce.adherence['training'] = 'neutral';
  const now = DateTime.fromISO(`${sc.day}T${sc.nowLocal}`, { zone: sc.zone }).toMillis();
  const yesterday = DateTime.fromISO(sc.day).minus({ days: 1 }).toISODate() as string;
  const plan = randomWorkforce({
    seed: sc.seed,
    site,
    zone: sc.zone,
    agents: sc.agents,
    days: [yesterday, sc.day],
    now,
  });
  const h = harness(site, cfg, now);
  const want = independentFigures(plan, cfg, now, [yesterday, sc.day]);
  const q = `site=${site}&from=${yesterday}&to=${DateTime.fromISO(sc.day).plus({ days: 1 }).toISODate()}`;

  beforeAll(async () => {
    await load(site, plan, h);
  });

  it('the roster and excused time were stored and pushed live', async () => {
    expect(h.touched()).toBeGreaterThanOrEqual(1);
    const g = await h.call('GET', `/api/sites/${site}/roster?date=${sc.day}`);
    expect((g.body['segments'] as unknown[]).length).toBe(plan.rosterRowsByDay[sc.day]);
  });

  it('conformance by agent: SQL equals the independent sweep on both days, and live equals both today', async () => {
    const r = rows(await h.call('GET', `/api/reports/conformance?${q}&by=agent`));
    const exp = want.agentDays.map((a) => ({
      date: a.day,
      key: a.agent,
      scheduled_s: a.scheduled_ms / 1000,
      logged_in_s: a.logged_in_ms / 1000,
      excused_s: a.excused_ms / 1000,
      conformance: a.scheduled_ms > 0 ? a.logged_in_ms / a.scheduled_ms : null,
      late_sign_ins: a.late ? 1 : 0,
      early_sign_outs: a.early ? 1 : 0,
      team: a.team, // by=agent rows carry the rostered team (history page's team filter)
    }));
    expect(r).toEqual(exp);
    const live = await h.call('GET', `/api/live/workforce?site=${site}`);
    const liveRows = (live.body['agents'] as Row[]).map((a) => ({
      date: sc.day,
      key: a['agent'],
      scheduled_s: a['scheduled_s'],
      logged_in_s: a['logged_in_s'],
      excused_s: a['excused_s'],
      conformance: a['conformance'],
      late_sign_ins: a['late_sign_in'] ? 1 : 0,
      early_sign_outs: a['early_sign_out'] ? 1 : 0,
    }));
    expect(liveRows).toEqual(
      exp.filter((x) => x.date === sc.day).map(({ team: _team, ...x }) => x),
    );
    // The scenario has some of each, so the comparison is not vacuous.
    expect(exp.some((x) => x.late_sign_ins === 1)).toBe(true);
    expect(exp.some((x) => x.excused_s > 0)).toBe(true);
    expect(exp.some((x) => x.conformance !== null && x.conformance < 1 && x.conformance > 0)).toBe(
      true,
    );
  });

  it('conformance by team and site is time-weighted and equals live today', async () => {
    const team = rows(await h.call('GET', `/api/reports/conformance?${q}&by=team`));
    const site_ = rows(await h.call('GET', `/api/reports/conformance?${q}&by=site`));
    const live = await h.call('GET', `/api/live/workforce?site=${site}`);
    for (const [by, got] of [
      ['team', team],
      ['site', site_],
    ] as const) {
      const exp = want.groups(by).map((g) => ({
        date: g.day,
        key: g.key,
        scheduled_s: g.scheduled_ms / 1000,
        logged_in_s: g.logged_in_ms / 1000,
        excused_s: g.excused_ms / 1000,
        conformance: g.scheduled_ms > 0 ? g.logged_in_ms / g.scheduled_ms : null,
        late_sign_ins: g.late,
        early_sign_outs: g.early,
      }));
      expect(got).toEqual(exp);
      const liveGroups =
        by === 'team' ? (live.body['teams'] as Row[]) : [live.body['site_figures'] as Row];
      const liveRows = liveGroups.map((g) => ({
        date: sc.day,
        key: g['key'],
        scheduled_s: g['scheduled_s'],
        logged_in_s: g['logged_in_s'],
        excused_s: g['excused_s'],
        conformance: g['conformance'],
        late_sign_ins: g['late_sign_ins'],
        early_sign_outs: g['early_sign_outs'],
      }));
      expect(liveRows).toEqual(exp.filter((x) => x.date === sc.day));
    }
  });

  it('adherence by agent and team: SQL = independent, live = SQL today', async () => {
    for (const by of ['agent', 'team', 'site'] as const) {
      const got = rows(await h.call('GET', `/api/reports/adherence?${q}&by=${by}`));
      const exp = want.adherence(by).map((g) => ({
        date: g.day,
        key: g.key,
        scheduled_s: g.sched_ms / 1000,
        in_adherence_s: g.in_ms / 1000,
        adherence: g.sched_ms > 0 ? g.in_ms / g.sched_ms : null,
      }));
      expect(got, by).toEqual(exp);
    }
    const live = await h.call('GET', `/api/live/workforce?site=${site}`);
    const agents = (live.body['agents'] as Row[]).map((a) => ({
      key: a['agent'],
      s: a['adherence_scheduled_s'],
      i: a['in_adherence_s'],
    }));
    expect(agents).toEqual(
      want
        .adherence('agent')
        .filter((g) => g.day === sc.day)
        .map((g) => ({ key: g.key, s: g.sched_ms / 1000, i: g.in_ms / 1000 })),
    );
  });

  it('attendance by team and site, with who is missing, and live today', async () => {
    for (const by of ['team', 'site'] as const) {
      const got = rows(await h.call('GET', `/api/reports/attendance?${q}&by=${by}`));
      const exp = want.attendance(by).map((g) => ({
        date: g.day,
        key: g.key,
        scheduled: g.scheduled,
        attended: g.attended,
        attendance: g.scheduled > 0 ? g.attended / g.scheduled : null,
        missing: g.missing,
      }));
      expect(got, by).toEqual(exp);
      expect(exp.some((x) => x.missing.length > 0)).toBe(true);
    }
    const teams = h.engine.teams(now);
    expect(
      teams.map((t) => ({ key: t.team, missing: t.missing, attendance: t.attendance })),
    ).toEqual(
      want
        .attendance('team')
        .filter((g) => g.day === sc.day)
        .map((g) => ({
          key: g.key,
          missing: g.missing,
          attendance: g.scheduled > 0 ? g.attended / g.scheduled : null,
        })),
    );
  });

  it('absences for the month list every absent agent-day', async () => {
    const month = sc.day.slice(0, 7);
    const r = await h.call('GET', `/api/reports/absences?site=${site}&month=${month}`);
    expect(r.status).toBe(200);
    const exp = want.absences(month);
    expect(
      (r.body['rows'] as Row[]).map((x) => ({
        agent: x['agent'],
        days: x['days'],
        flagged: x['flagged'],
      })),
    ).toEqual(exp.map((x) => ({ agent: x.agent, days: x.days, flagged: x.days.length > 5 })));
  });
});

describe('roster upload rules through the routes', () => {
  const site = 'rules';
  const cfg = defaultSiteConfig(site);
  cfg.timezone = 'Asia/Shanghai';
  const h = harness(site, cfg, Date.parse('2026-11-23T12:00:00Z'));

  it('rejects the whole upload when any row is bad, and stores nothing', async () => {
    const csv =
      'agent,team,start,end,activity\nr1,T,2026-11-20 09:00,2026-11-20 17:00,work\nr2,T,2026-11-20 09:00,2026-11-20 08:00,work\n';
    const r = await h.call('PUT', `/api/sites/${site}/roster`, csv, 'text/csv');
    expect(r.status).toBe(400);
    expect(r.body['error']).toMatch(/nothing was stored/);
    expect(r.body['errors']).toEqual([
      { row: 2, line: 3, field: 'end', error: '"end" must be after "start"' },
    ]);
    const g = await h.call('GET', `/api/sites/${site}/roster?date=2026-11-20`);
    expect(g.body['segments']).toEqual([]);
  });

  it('re-uploading an agent-day replaces it and keeps the history; a neighbouring day may not overlap', async () => {
    const day = (from: string, to: string) => [
      {
        agent: 'r1',
        team: 'T',
        start: `2026-11-21 ${from}`,
        end: `2026-11-21 ${to}`,
        activity: 'work',
      },
    ];
    const a = await h.call('PUT', `/api/sites/${site}/roster`, day('09:00', '17:00'));
    expect(a.body).toMatchObject({ accepted: 1, replaced_agent_days: 0, errors: [] });
    const b = await h.call('PUT', `/api/sites/${site}/roster`, day('10:00', '18:00'));
    expect(b.body).toMatchObject({ accepted: 1, replaced_agent_days: 1, errors: [] });
    const g = await h.call('GET', `/api/sites/${site}/roster?date=2026-11-21`);
    expect(g.body['segments']).toEqual([
      {
        agent: 'r1',
        team: 'T',
        start: '2026-11-21T10:00:00.000+08:00',
        end: '2026-11-21T18:00:00.000+08:00',
        activity: 'work',
        day: '2026-11-21',
      },
    ]);
    const rs = await store.client.query({
      query: `SELECT count() AS n FROM ${store.database}.roster_segments WHERE site = {site:String}`,
      query_params: { site },
      format: 'JSONEachRow',
    });
    expect(Number(((await rs.json()) as { n: string }[])[0]?.n)).toBe(2);
    expect(await sitesWithRoster(store, Date.parse('2026-11-21T12:00:00Z'))).toContain(site);
    const hist = await h.call('GET', `/api/sites/${site}/roster/history?date=2026-11-21`);
    expect(
      (hist.body['versions'] as Row[]).map((v) => [v['agent'], v['first_start'], v['in_force']]),
    ).toEqual([
      ['r1', '2026-11-21T09:00:00.000+08:00', false],
      ['r1', '2026-11-21T10:00:00.000+08:00', true],
    ]);
    const night = await h.call('PUT', `/api/sites/${site}/roster`, [
      {
        agent: 'r1',
        team: 'T',
        start: '2026-11-20 22:00',
        end: '2026-11-21 10:30',
        activity: 'work',
      },
    ]);
    expect(night.status).toBe(400);
    expect(JSON.stringify(night.body['errors'])).toMatch(/overlaps the stored roster/);
  });

  it('excused time records who and why, and may not overlap recorded excused time', async () => {
    const x = {
      agent: 'r1',
      start: '2026-11-21 10:00',
      end: '2026-11-21 10:30',
      reason: 'CTI outage',
      entered_by: 'lead-7',
    };
    const a = await h.call('POST', `/api/sites/${site}/excused`, x);
    expect(a.status).toBe(200);
    expect(a.body['accepted']).toBe(1);
    const b = await h.call('POST', `/api/sites/${site}/excused`, [
      { ...x, start: '2026-11-21 10:15' },
    ]);
    expect(b.status).toBe(400);
    const rs = await store.client.query({
      query: `SELECT reason, entered_by FROM ${store.database}.excused_spans WHERE site = {site:String}`,
      query_params: { site },
      format: 'JSONEachRow',
    });
    expect(await rs.json()).toEqual([{ reason: 'CTI outage', entered_by: 'lead-7' }]);
  });
});
