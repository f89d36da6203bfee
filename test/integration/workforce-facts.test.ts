// The stored workforce figures of closed days (queries/workforce-facts.ts, migration 0021)
// on the real embedded ClickHouse: a report over closed days reads stored agent-days, and
// they equal the independent sweep before and after each thing that must rebuild a day:
// a late event, a roster re-upload and a new excused span.
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
import { defaultSiteConfig } from '../../ingest/src/core/site-config.js';
import { createWorkforceEngine } from '../../ingest/src/core/workforce/index.js';
import { dayStartMs } from '../../ingest/src/core/workforce/time.js';
import { eventBlock, insertEventBlock, rowOf } from '../../ingest/src/pipeline/native-rows.js';
import { conformanceReport, workforceAgentDays } from '../../queries/index.js';
import { independentFigures, randomWorkforce, type PlanEvent } from './workforce-model.js';
import { useTempStore } from '../helpers/store.js';
import { parsedBody } from '../helpers/api-body.js';

let store: Store;
useTempStore('fw_wf_facts', (s) => (store = s));

const site = 'wff';
const zone = 'Asia/Shanghai';
const days = ['2026-11-10', '2026-11-11', '2026-11-12'];
const cfg = defaultSiteConfig(site);
cfg.timezone = zone;
// Three days later: every shift and sign-out grace of the three days has ended.
const now = DateTime.fromISO('2026-11-15T12:00', { zone }).toMillis();
const plan = randomWorkforce({ seed: 5, site, zone, agents: 12, days, now });

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

async function call(
  method: string,
  url: string,
  body?: unknown,
  type = 'application/json',
): Promise<ApiResponse & { body: Record<string, unknown> }> {
  const u = new URL(url, 'http://x');
  const buf =
    body === undefined
      ? Buffer.alloc(0)
      : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return parsedBody(
    await router.handle({
      method,
      path: u.pathname,
      query: u.searchParams,
      headers: { 'content-type': type },
      body: buf,
    }),
  ) as ApiResponse & { body: Record<string, unknown> };
}

async function insertEvents(evs: PlanEvent[]): Promise<void> {
  await insertEventBlock(store, eventBlock(evs.map((e) => rowOf(e as unknown as FwEvent, 'test'))));
}

const q = `site=${site}&from=${days[0]}&to=2026-11-13`;

/** The conformance and adherence reports by agent, and what the independent sweep says they must be. */
async function compare() {
  const want = independentFigures(plan, cfg, now, days);
  const conf = (await call('GET', `/api/reports/conformance?${q}&by=agent`)).body['rows'];
  const adh = (await call('GET', `/api/reports/adherence?${q}&by=agent`)).body['rows'];
  const att = (await call('GET', `/api/reports/attendance?${q}&by=team`)).body['rows'] as {
    date: string;
    key: string;
    scheduled: number;
    attended: number;
  }[];
  return {
    conf,
    wantConf: want.agentDays.map((a) => ({
      date: a.day,
      key: a.agent,
      scheduled_s: a.scheduled_ms / 1000,
      logged_in_s: a.logged_in_ms / 1000,
      excused_s: a.excused_ms / 1000,
      conformance: a.scheduled_ms > 0 ? a.logged_in_ms / a.scheduled_ms : null,
      late_sign_ins: a.late ? 1 : 0,
      early_sign_outs: a.early ? 1 : 0,
      team: a.team, // by=agent rows carry the rostered team
    })),
    adh,
    wantAdh: want.agentDays.map((a) => ({
      date: a.day,
      key: a.agent,
      scheduled_s: a.adh_sched_ms / 1000,
      in_adherence_s: a.in_adh_ms / 1000,
      adherence: a.adh_sched_ms > 0 ? a.in_adh_ms / a.adh_sched_ms : null,
    })),
    att: att.map((r) => [r.date, r.key, r.scheduled, r.attended]),
    wantAtt: want.attendance('team').map((g) => [g.day, g.key, g.scheduled, g.attended]),
  };
}

/** The current build (version, epoch ms) of each stored day (rows of older builds may be merged away). */
async function builds(): Promise<Record<string, number>> {
  const rs = await store.client.query({
    query: `SELECT toString(day) AS d, toUnixTimestamp64Milli(max(version)) AS n FROM ${store.database}.workforce_fact_days WHERE site = {site:String} GROUP BY d ORDER BY d`,
    query_params: { site },
    format: 'JSONEachRow',
  });
  return Object.fromEntries(
    (await rs.json<{ d: string; n: number | string }>()).map((r) => [r.d, Number(r.n)]),
  );
}

describe('stored workforce figures of closed days', () => {
  beforeAll(async () => {
    const put = await call('PUT', `/api/sites/${site}/roster`, plan.rosterCsv, 'text/csv');
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const post = await call('POST', `/api/sites/${site}/excused`, plan.excused);
    expect(post.status, JSON.stringify(post.body)).toBe(200);
    await insertEvents(plan.events);
  });

  it('are built once per closed day and equal the independent sweep, read from storage the second time', async () => {
    const first = await compare();
    expect(first.conf).toEqual(first.wantConf);
    expect(first.adh).toEqual(first.wantAdh);
    expect(first.att).toEqual(first.wantAtt);
    const built = await builds();
    expect(Object.keys(built)).toEqual(days);
    const second = await compare();
    expect(second.conf).toEqual(first.wantConf);
    expect(second.adh).toEqual(first.wantAdh);
    expect(second.att).toEqual(first.wantAtt);
    expect(await builds()).toEqual(built);
    // Each stored day equals the same day derived from the events by a report starting that day.
    for (const d of days) {
      const derived = await workforceAgentDays(store, {
        site,
        fromDay: d,
        toDay: d,
        fromDayStartMs: dayStartMs(d, zone, cfg.day_start),
        now,
        config: cfg,
      });
      const c = derived
        .map((a) => ({
          date: a.day,
          key: a.agent,
          scheduled_s: a.scheduled_ms / 1000,
          logged_in_s: a.logged_in_ms / 1000,
        }))
        .sort((x, y) => (x.key < y.key ? -1 : 1));
      expect(
        (second.conf as { date: string; key: string; scheduled_s: number; logged_in_s: number }[])
          .filter((r) => r.date === d)
          .map((r) => ({
            date: r.date,
            key: r.key,
            scheduled_s: r.scheduled_s,
            logged_in_s: r.logged_in_s,
          })),
      ).toEqual(c);
    }
  });

  it('a late event rebuilds the days that read it', async () => {
    // An agent who signed in on the second day signs out for 40 minutes in the middle of a work segment.
    const before = (await compare()).conf as { date: string; key: string; logged_in_s: number }[];
    const v0 = await builds();
    const seg = plan.segs.find(
      (s) =>
        s.day === days[1] &&
        s.activity === 'work' &&
        s.end - s.start >= 90 * 60_000 &&
        before.some((r) => r.date === days[1] && r.key === s.agent && r.logged_in_s > 3600),
    );
    expect(seg).toBeDefined();
    const agent = seg!.agent;
    const mid = seg!.start + 30 * 60_000 + 123;
    const late: PlanEvent[] = [
      { id: 'late-1', ts: mid, site, type: 'agent.logout', agent },
      { id: 'late-2', ts: mid + 40 * 60_000, site, type: 'agent.login', agent },
      {
        id: 'late-3',
        ts: mid + 40 * 60_000 + 500,
        site,
        type: 'agent.state',
        agent,
        state: 'ready',
      },
    ];
    plan.events.push(...late);
    await insertEvents(late);
    const after = await compare();
    expect(after.conf).toEqual(after.wantConf);
    expect(after.adh).toEqual(after.wantAdh);
    expect(after.att).toEqual(after.wantAtt);
    const was = before.find((r) => r.date === days[1] && r.key === agent)!.logged_in_s;
    const is = (after.conf as typeof before).find(
      (r) => r.date === days[1] && r.key === agent,
    )!.logged_in_s;
    expect(is).toBeLessThan(was);
    expect((await builds())[days[1]!]).toBeGreaterThan(v0[days[1]!]!);
  });

  it('a roster re-upload of one agent-day rebuilds that day', async () => {
    // a05's shift on the third day moves an hour later (one work segment, replacing the day).
    const d = days[2]!;
    const v0 = await builds();
    const old = plan.segs.filter((s) => s.agent === 'a05' && s.day === d);
    const start = Math.min(...old.map((s) => s.start)) + 3_600_000;
    const end = Math.max(...old.map((s) => s.end)) + 3_600_000;
    const fmt = (ms: number) => DateTime.fromMillis(ms, { zone }).toFormat('yyyy-MM-dd HH:mm');
    const team = old[0]!.team;
    const put = await call(
      'PUT',
      `/api/sites/${site}/roster`,
      `agent,team,start,end,activity\na05,${team},${fmt(start)},${fmt(end)},work\n`,
      'text/csv',
    );
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    plan.segs = plan.segs
      .filter((s) => !(s.agent === 'a05' && s.day === d))
      .concat([{ agent: 'a05', team, day: d, start, end, activity: 'work' }]);
    const after = await compare();
    expect(after.conf).toEqual(after.wantConf);
    expect(after.adh).toEqual(after.wantAdh);
    expect(after.att).toEqual(after.wantAtt);
    expect((await builds())[d]).toBeGreaterThan(v0[d]!);
  });

  it('a new excused span rebuilds the days it touches', async () => {
    const d = days[0]!;
    const v0 = await builds();
    const seg = plan.segs.find(
      (s) =>
        s.agent === 'a07' && s.day === d && s.activity === 'work' && s.end - s.start >= 60 * 60_000,
    )!;
    expect(seg).toBeDefined();
    const xs = seg.start + 10 * 60_000;
    const xe = xs + 25 * 60_000;
    const post = await call('POST', `/api/sites/${site}/excused`, [
      {
        agent: 'a07',
        start: DateTime.fromMillis(xs, { zone }).toISO(),
        end: DateTime.fromMillis(xe, { zone }).toISO(),
        reason: 'headset',
        entered_by: 'lead-2',
      },
    ]);
    expect(post.status, JSON.stringify(post.body)).toBe(200);
    plan.excusedMs.push({ agent: 'a07', start: xs, end: xe });
    const after = await compare();
    expect(after.conf).toEqual(after.wantConf);
    expect(
      (after.conf as { date: string; key: string; excused_s: number }[]).find(
        (r) => r.date === d && r.key === 'a07',
      )!.excused_s,
    ).toBeGreaterThanOrEqual(25 * 60);
    expect(after.adh).toEqual(after.wantAdh);
    expect(after.att).toEqual(after.wantAtt);
    expect((await builds())[d]).toBeGreaterThan(v0[d]!);
  });
  it('a session left open over days off: each range gives what deriving that range from events gives', async () => {
    // 'ghost' signs in on 11-08 and never signs out; rostered again on the 12th. A range
    // reading the 11-08 sign-in (from the 10th: look-back from the 8th) sees them signed in
    // all shift; one from the 11th or 12th (look-back from the 9th or 10th) sees them absent.
    const fmt = (ms: number) => DateTime.fromMillis(ms, { zone }).toFormat('yyyy-MM-dd HH:mm');
    const at = (day: string, hhmm: string) =>
      DateTime.fromISO(`${day}T${hhmm}`, { zone }).toMillis();
    const segs = [
      {
        agent: 'ghost',
        team: 'T1',
        day: '2026-11-08',
        start: at('2026-11-08', '09:00'),
        end: at('2026-11-08', '17:00'),
        activity: 'work',
      },
      {
        agent: 'ghost',
        team: 'T1',
        day: '2026-11-12',
        start: at('2026-11-12', '09:00'),
        end: at('2026-11-12', '17:00'),
        activity: 'work',
      },
    ];
    const put = await call(
      'PUT',
      `/api/sites/${site}/roster`,
      `agent,team,start,end,activity\n${segs.map((g) => `${g.agent},${g.team},${fmt(g.start)},${fmt(g.end)},${g.activity}`).join('\n')}\n`,
      'text/csv',
    );
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const evs: PlanEvent[] = [
      {
        id: 'ghost-1',
        ts: at('2026-11-08', '08:58') + 321,
        site,
        type: 'agent.login',
        agent: 'ghost',
      },
      {
        id: 'ghost-2',
        ts: at('2026-11-08', '09:01') + 7,
        site,
        type: 'agent.state',
        agent: 'ghost',
        state: 'ready',
      },
    ];
    plan.segs.push(...segs);
    plan.events.push(...evs);
    await insertEvents(evs);
    const all = await compare();
    expect(all.conf).toEqual(all.wantConf);
    expect(all.adh).toEqual(all.wantAdh);
    expect(all.att).toEqual(all.wantAtt);
    const ghost = (all.conf as { date: string; key: string; logged_in_s: number }[]).find(
      (r) => r.date === '2026-11-12' && r.key === 'ghost',
    )!;
    expect(ghost.logged_in_s).toBe(8 * 3600);
    // Every range ending on the 12th equals the same range derived from events alone.
    for (const from of days) {
      const rows = (
        await call(
          'GET',
          `/api/reports/conformance?site=${site}&from=${from}&to=2026-11-13&by=agent`,
        )
      ).body['rows'] as { date: string; key: string; logged_in_s: number; late_sign_ins: number }[];
      const derived = await workforceAgentDays(store, {
        site,
        fromDay: from,
        toDay: days[2]!,
        fromDayStartMs: dayStartMs(from, zone, cfg.day_start),
        now,
        config: cfg,
      });
      const exp = derived
        .map((a) => ({
          date: a.day,
          key: a.agent,
          logged_in_s: a.logged_in_ms / 1000,
          late_sign_ins: a.late,
        }))
        .sort((x, y) => (x.date + x.key < y.date + y.key ? -1 : 1));
      expect(
        rows.map((r) => ({
          date: r.date,
          key: r.key,
          logged_in_s: r.logged_in_s,
          late_sign_ins: r.late_sign_ins,
        })),
      ).toEqual(exp);
      expect(rows.find((r) => r.date === '2026-11-12' && r.key === 'ghost')!.logged_in_s).toBe(
        from === days[0] ? 8 * 3600 : 0,
      );
    }
    // The 12th still open (its shifts under way): derived from events with the state before
    // its look-back taken from the stored last events, equal to deriving the whole range.
    const open = at('2026-11-12', '13:00');
    for (const from of days) {
      const p = {
        site,
        fromDay: from,
        toDay: days[2]!,
        fromDayStartMs: dayStartMs(from, zone, cfg.day_start),
        now: open,
        config: cfg,
      };
      const got = (await conformanceReport(store, { ...p, by: 'agent' })).map((r) => ({
        date: r.date,
        key: r.key,
        logged_in_ms: r.logged_in_s * 1000,
        late: r.late_sign_ins,
      }));
      const exp = (await workforceAgentDays(store, p))
        .map((a) => ({ date: a.day, key: a.agent, logged_in_ms: a.logged_in_ms, late: a.late }))
        .sort((x, y) => (x.date + x.key < y.date + y.key ? -1 : 1));
      expect(got).toEqual(exp);
      expect(got.find((r) => r.date === '2026-11-12' && r.key === 'ghost')!.logged_in_ms).toBe(
        from === days[0] ? 4 * 3_600_000 : 0,
      );
    }
  });
});
