// The workforce property test through the real server: a random roster (CSV), excused time
// and sign-in/out and state streams go in over HTTP; the live figures (GET
// /api/live/workforce), the board snapshot (GET /api/live) and the reports (GET
// /api/reports/*) must equal each other and an independent interval sweep — before and
// after a restart (rosters and excused time restored, events replayed).
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSiteConfig } from '../../ingest/src/core/site-config.js';
import type { LiveSnapshot } from '../../ingest/src/core/snapshot.js';
import { api, postEvents, startServer, waitFor, type TestServer } from '../helpers/server.js';
import { independentFigures, randomWorkforce, type Plan } from './workforce-model.js';

let server: TestServer;
const site = 'wfsrv';
// Today's operating day started 23 h ago (day_start set from the clock), so every shift of
// today (06:00-22:55 after the day starts) has ended and the figures no longer move with time.
const now0 = Date.now();
const d0 = DateTime.fromMillis(now0 - 23 * 3_600_000, { zone: 'UTC' }).startOf('minute');
const dayStart = d0.toFormat('HH:mm');
const today = d0.toISODate() as string;
const yesterday = d0.minus({ days: 1 }).toISODate() as string;
const cfg = defaultSiteConfig(site);
cfg.day_start = dayStart;
const plan: Plan = randomWorkforce({
  seed: 11,
  site,
  zone: 'UTC',
  agents: 12,
  days: [yesterday, today],
  now: now0,
  dayStart,
});
const want = independentFigures(plan, cfg, now0, [yesterday, today]);
const range = `site=${site}&from=${yesterday}T${dayStart}:00Z&to=${d0.plus({ days: 1 }).toISO()}`;

async function get<T = Record<string, unknown>>(path: string): Promise<T> {
  const r = await api(server, path);
  expect(r.status, path).toBe(200);
  return (await r.json()) as T;
}

type Row = Record<string, unknown>;

async function checkAll(): Promise<void> {
  const live = await get<{ agents: Row[]; teams: Row[]; site_figures: Row }>(
    `/api/live/workforce?site=${site}`,
  );
  const conf = (await get<{ rows: Row[] }>(`/api/reports/conformance?${range}&by=agent`)).rows;
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
  expect(conf).toEqual(exp);
  const liveRows = live.agents.map((a) => ({
    date: today,
    key: a['agent'],
    scheduled_s: a['scheduled_s'],
    logged_in_s: a['logged_in_s'],
    excused_s: a['excused_s'],
    conformance: a['conformance'],
    late_sign_ins: a['late_sign_in'] ? 1 : 0,
    early_sign_outs: a['early_sign_out'] ? 1 : 0,
  }));
  expect(liveRows).toEqual(exp.filter((x) => x.date === today).map(({ team: _team, ...x }) => x));

  const team = (
    await get<{ rows: Row[] }>(`/api/reports/conformance?${range}&by=team`)
  ).rows.filter((r) => r['date'] === today);
  expect(team.map((t) => [t['key'], t['conformance']])).toEqual(
    live.teams.map((t) => [t['key'], t['conformance']]),
  );
  const adh = (await get<{ rows: Row[] }>(`/api/reports/adherence?${range}&by=agent`)).rows;
  expect(adh).toEqual(
    want.adherence('agent').map((g) => ({
      date: g.day,
      key: g.key,
      scheduled_s: g.sched_ms / 1000,
      in_adherence_s: g.in_ms / 1000,
      adherence: g.sched_ms > 0 ? g.in_ms / g.sched_ms : null,
    })),
  );
  expect(live.agents.map((a) => [a['agent'], a['in_adherence_s']])).toEqual(
    adh.filter((r) => r['date'] === today).map((r) => [r['key'], r['in_adherence_s']]),
  );
  const att = (await get<{ rows: Row[] }>(`/api/reports/attendance?${range}&by=team`)).rows;
  const expAtt = want.attendance('team').map((g) => ({
    date: g.day,
    key: g.key,
    scheduled: g.scheduled,
    attended: g.attended,
    attendance: g.scheduled > 0 ? g.attended / g.scheduled : null,
    missing: g.missing,
  }));
  expect(att).toEqual(expAtt);

  // The board: per team, conformance today against 92% and attendance against 95%, with who
  // is missing. Team tiles follow events within a second (memoised), so wait for them.
  const todayTeams = want.groups('team').filter((g) => g.day === today);
  const expBoard = todayTeams.map((g) => {
    const a = expAtt.find((x) => x.date === today && x.key === g.key);
    return {
      team: g.key,
      conformance: g.scheduled_ms > 0 ? g.logged_in_ms / g.scheduled_ms : null,
      attendance: a?.attendance ?? null,
      missing: a?.missing ?? [],
    };
  });
  let snap = await get<LiveSnapshot>(`/api/live?site=${site}`);
  const board = (x: LiveSnapshot) =>
    x.teams.map((t) => ({
      team: t.team,
      conformance: t.conformance,
      attendance: t.attendance,
      missing: t.missing,
    }));
  await waitFor(async () => {
    snap = await get<LiveSnapshot>(`/api/live?site=${site}`);
    return JSON.stringify(board(snap)) === JSON.stringify(expBoard);
  }, 10_000).catch(() => undefined);
  expect(board(snap)).toEqual(expBoard);
  // Not vacuous: three teams on the board, someone missing, late and excused figures present.
  expect(snap.teams.length).toBe(3);
  expect(snap.teams.some((t) => t.missing.length > 0)).toBe(true);
  expect(
    exp.some((x) => x.late_sign_ins === 1) &&
      exp.some((x) => x.early_sign_outs === 1) &&
      exp.some((x) => x.excused_s > 0),
  ).toBe(true);
  for (const t of snap.teams)
    expect(t.conformance_explain.text).toMatch(/logged-in time within scheduled work/);
}

beforeAll(async () => {
  server = await startServer();
  const put = await api(server, `/api/sites/${site}`, {
    method: 'PUT',
    body: JSON.stringify({ timezone: 'UTC', day_start: dayStart }),
    headers: { 'Content-Type': 'application/json' },
  });
  expect(put.status, await put.clone().text()).toBe(200);
  const roster = await api(server, `/api/sites/${site}/roster`, {
    method: 'PUT',
    body: plan.rosterCsv,
    headers: { 'Content-Type': 'text/csv' },
  });
  expect(roster.status, await roster.clone().text()).toBe(200);
  const exc = await api(server, `/api/sites/${site}/excused`, {
    method: 'POST',
    body: JSON.stringify(plan.excused),
    headers: { 'Content-Type': 'application/json' },
  });
  expect(exc.status, await exc.clone().text()).toBe(200);
  // In event-time order across agents, so none is late for the site's lateness window.
  const events = [...plan.events].sort((a, b) => a.ts - b.ts);
  for (let i = 0; i < events.length; i += 500) {
    const r = await postEvents(
      server,
      events.slice(i, i + 500).map((e) => ({ ...e, ts: new Date(e.ts).toISOString() })),
    );
    expect(r.body.rejected).toEqual([]);
    expect(r.body.accepted).toBe(Math.min(500, events.length - i));
  }
}, 120_000);

afterAll(async () => {
  await server?.dispose();
});

describe('workforce through the real server', () => {
  it('live figures, board teams and reports equal the independent computation', async () => {
    expect(plan.events.length).toBeGreaterThan(100);
    await waitFor(
      async () =>
        (await get<{ agents: unknown[] }>(`/api/live/workforce?site=${site}`)).agents.length > 0,
    );
    await checkAll();
  });

  it('after a restart, rosters and excused time are restored and the figures are the same', async () => {
    server = await server.restart();
    await checkAll();
  });

  it('absences for the month flag the agent absent on more than 5 days', async () => {
    const month = today.slice(0, 7);
    const r = await get<{ rows: Row[] }>(`/api/reports/absences?site=${site}&month=${month}`);
    expect(
      r.rows.map((x) => ({ agent: x['agent'], days: x['days'], flagged: x['flagged'] })),
    ).toEqual(
      want
        .absences(month)
        .map((x) => ({ agent: x.agent, days: x.days, flagged: x.days.length > 5 })),
    );
  });

  it('real-time adherence: the board shows who is out and for how long, and an alert follows after 3 min out', async () => {
    const adhSite = 'wfadh';
    const t = Math.floor(Date.now() / 60_000) * 60_000;
    const hhmm = (ms: number) =>
      DateTime.fromMillis(ms, { zone: 'UTC' }).toFormat('yyyy-MM-dd HH:mm');
    const roster = [
      {
        agent: 'x1',
        team: 'A',
        start: hhmm(t - 30 * 60_000),
        end: hhmm(t + 60 * 60_000),
        activity: 'work',
      },
      {
        agent: 'x2',
        team: 'A',
        start: hhmm(t - 30 * 60_000),
        end: hhmm(t + 60 * 60_000),
        activity: 'work',
      },
    ];
    const iso = (ms: number) => new Date(ms).toISOString();
    const r = await postEvents(server, [
      { id: 'x1-1', ts: iso(t - 20 * 60_000), site: adhSite, type: 'agent.login', agent: 'x1' },
      { id: 'x2-1', ts: iso(t - 20 * 60_000 + 1), site: adhSite, type: 'agent.login', agent: 'x2' },
      {
        id: 'x1-2',
        ts: iso(t - 19 * 60_000),
        site: adhSite,
        type: 'agent.state',
        agent: 'x1',
        state: 'ready',
      },
      {
        id: 'x2-2',
        ts: iso(t - 19 * 60_000 + 1),
        site: adhSite,
        type: 'agent.state',
        agent: 'x2',
        state: 'ready',
      },
      // x1 goes on an unscheduled break 8 minutes ago: out of adherence since then.
      {
        id: 'x1-3',
        ts: iso(t - 8 * 60_000),
        site: adhSite,
        type: 'agent.state',
        agent: 'x1',
        state: 'not_ready',
        reason: 'break',
      },
    ]);
    expect(r.body.accepted).toBe(5);
    // The roster after the events: the alert engine must not see the agents as absent in between.
    const put = await api(server, `/api/sites/${adhSite}/roster`, {
      method: 'PUT',
      body: JSON.stringify(roster),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(put.status).toBe(200);
    const snap = await waitFor(async () => {
      const s = await get<LiveSnapshot>(`/api/live?site=${adhSite}`);
      return s.agents.length === 2 ? s : null;
    });
    const byAgent = Object.fromEntries(snap.agents.map((a) => [a.agent, a]));
    expect(byAgent['x1']).toMatchObject({ adherence: 'out', scheduled_activity: 'work' });
    expect(byAgent['x1']!.out_of_adherence_s).toBeGreaterThanOrEqual(8 * 60);
    expect(byAgent['x2']).toMatchObject({ adherence: 'in', out_of_adherence_s: 0 });
    // The alert engine runs in the same runtime; its active alerts ride on the board snapshot.
    const alert = await waitFor(
      async () =>
        (await get<LiveSnapshot>(`/api/live?site=${adhSite}`)).alerts.find(
          (x) => x.kind === 'adherence' && x.agent === 'x1',
        ),
      15_000,
    );
    expect(alert.message).toMatch(/out of adherence/);
    const live = await get<LiveSnapshot>(`/api/live?site=${adhSite}`);
    expect(
      live.alerts.filter((x) => x.kind === 'adherence' && x.agent === 'x2'),
      JSON.stringify({ alerts: live.alerts, agents: live.agents }),
    ).toEqual([]);
  });
});
