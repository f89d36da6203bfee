// Intraday staffing on the real server (real port, embedded ClickHouse): the forecast is
// the same weekday's intervals over the previous weeks scaled by today's deviation so far,
// an uploaded forecast replaces it, required agents come from the Erlang module, staffed
// from who is signed in (now) and rostered (later), and MAPE per day is the history's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requiredAgents } from '../../ingest/src/core/staffing/erlang.js';
import { api, postEvents, startServer, type TestServer } from '../helpers/server.js';

const SITE = 'staff-site';
const SLOT = 15 * 60_000;
const DAY = 86_400_000;
let server: TestServer;
const now = Date.now();
// A fixed-offset zone where it is about noon now, so the slots used are inside one day.
const offsetH = 12 - new Date(now).getUTCHours();
const ZONE = offsetH === 0 ? 'UTC' : `Etc/GMT${offsetH > 0 ? '-' : '+'}${Math.abs(offsetH)}`;
const slotNow = Math.floor(now / SLOT) * SLOT;
const P = slotNow - SLOT; // the last complete interval today
const N = slotNow + 2 * SLOT; // a future interval
let n = 0;

/** `calls` answered calls in the interval starting at `slot`, each handled 180 s by agent h1 (wrap-up ends at once). */
function calls(slot: number, count: number, tag: string, queue = 'q1'): object[] {
  const out: object[] = [];
  for (let i = 0; i < count; i++) {
    const t = slot + 10_000 + i * 20_000;
    const c = `${tag}-${i}`;
    out.push(
      { id: `st-${++n}`, ts: t, site: SITE, type: 'call.offered', call: c, queue },
      {
        id: `st-${++n}`,
        ts: t + 2_000,
        site: SITE,
        type: 'call.answered',
        call: c,
        queue,
        agent: `h-${tag}-${i}`,
      },
      {
        id: `st-${++n}`,
        ts: t + 182_000,
        site: SITE,
        type: 'call.ended',
        call: c,
        queue,
        agent: `h-${tag}-${i}`,
      },
      {
        id: `st-${++n}`,
        ts: t + 182_000,
        site: SITE,
        type: 'agent.state',
        agent: `h-${tag}-${i}`,
        state: 'ready',
      },
    );
  }
  return out;
}

async function json(path: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const res = await api(server, path, init);
  const text = await res.text();
  return {
    status: res.status,
    body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text,
  };
}

beforeAll(async () => {
  server = await startServer();
  const put = await json(`/api/sites/${SITE}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ timezone: ZONE, interval_minutes: 15, staffing: { forecast_weeks: 2 } }),
  });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  // Week -1: 12 calls in P's interval and 16 in N's; week -2: 10 and 20; today so far: 22 in P.
  const events = [
    ...calls(P - 7 * DAY, 12, 'w1p'),
    ...calls(N - 7 * DAY, 16, 'w1n'),
    ...calls(P - 14 * DAY, 10, 'w2p'),
    ...calls(N - 14 * DAY, 20, 'w2n'),
    ...calls(P, 22, 'tp'),
    ...calls(N - 7 * DAY, 8, 'w1q2', 'q2'),
    ...calls(N - 14 * DAY, 8, 'w2q2', 'q2'),
  ];
  for (let i = 0; i < events.length; i += 500)
    expect((await postEvents(server, events.slice(i, i + 500))).body.rejected).toEqual([]);
  // r1, r2 signed in now for q1; r3 signed in earlier and out; all three rostered to work over N.
  const login = (id: string, t: number) => ({
    id: `st-${++n}`,
    ts: t,
    site: SITE,
    type: 'agent.login',
    agent: id,
    team: 'T',
    queues: id === 'r3' ? ['q1', 'q2'] : ['q1'],
  });
  const ev = [
    login('r1', now - 60_000),
    login('r2', now - 60_000),
    login('r3', now - 3_600_000),
    { id: `st-${++n}`, ts: now - 3_000_000, site: SITE, type: 'agent.logout', agent: 'r3' },
  ];
  expect((await postEvents(server, ev)).body.rejected).toEqual([]);
  const iso = (ms: number) => new Date(ms).toISOString();
  const roster = [
    'agent,team,start,end,activity',
    ...['r1', 'r2', 'r3'].map((a) => `${a},T,${iso(N - SLOT)},${iso(N + 2 * SLOT)},work`),
  ].join('\n');
  const r = await json(`/api/sites/${SITE}/roster`, {
    method: 'PUT',
    headers: { 'Content-Type': 'text/csv' },
    body: roster,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}, 120_000);

afterAll(async () => {
  await server?.dispose();
});

describe('intraday staffing', () => {
  it('forecasts from the same weekday scaled by today so far, and sets required against staffed', async () => {
    const r = await json(`/api/sites/${SITE}/staffing`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.forecast).toMatchObject({ method: 'same_weekday_scaled', weeks_with_data: 2 });
    // Base over today's complete intervals: (12+10)/2 = 11; actual 22: today runs at 2x.
    expect(r.body.forecast.factor.q1).toBeCloseTo(2, 6);
    const at = (slot: number) =>
      r.body.rows.find((x: any) => x.queue === 'q1' && Date.parse(x.interval_start) === slot);
    expect(at(P)).toMatchObject({ actual_calls: 22, source: 'history' });
    const fut = at(N);
    // (16 + 20) / 2 x 2 = 36 calls of 180 s in 15 min, SL 80/20 (the queue default), Erlang C (no abandons in history).
    expect(fut.forecast_calls).toBeCloseTo(36, 6);
    expect(fut.aht_s).toBeCloseTo(180, 6);
    expect(fut.model).toBe('erlang_c');
    expect(fut.required).toBe(
      requiredAgents({ calls: 36, intervalS: 900, ahtS: 180, thresholdS: 20, target: 0.8 }).agents,
    );
    expect(fut.staffed).toBe(3);
    expect(fut.gap).toBe(3 - fut.required);
    // The interval in progress: staffed = signed in and skilled now.
    expect(at(slotNow).staffed).toBe(2);
    // The next-2-hours strip: the interval in progress and those starting within 2 h.
    const strip = await json(`/api/sites/${SITE}/staffing?hours=2`);
    const starts = strip.body.rows
      .filter((x: any) => x.queue === 'q1')
      .map((x: any) => Date.parse(x.interval_start));
    expect(starts[0]).toBe(slotNow);
    expect(starts.length).toBeGreaterThanOrEqual(8);
    expect(starts.length).toBeLessThanOrEqual(9);
  });

  it('an uploaded forecast replaces the history for its intervals; a bad line is refused with its number', async () => {
    const iso = (ms: number) => new Date(ms).toISOString();
    const bad = await json(`/api/sites/${SITE}/forecast`, {
      method: 'PUT',
      headers: { 'Content-Type': 'text/csv', 'X-Floorwatch-User': 'planner' },
      body: `interval,queue,calls,AHT\n${iso(N + SLOT)},q1,50,200\n${iso(N + 2 * SLOT)},q1,lots,200\n`,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details.errors).toEqual([
      { line: 3, error: 'calls must be a number from 0 to 1000000, got "lots"' },
    ]);
    const good = await json(`/api/sites/${SITE}/forecast`, {
      method: 'PUT',
      headers: { 'Content-Type': 'text/csv', 'X-Floorwatch-User': 'planner' },
      body: `interval,queue,calls,AHT\n${iso(N + SLOT)},q1,50,200\n`,
    });
    expect(good.status, JSON.stringify(good.body)).toBe(200);
    expect(good.body).toMatchObject({ stored: 1, uploaded_by: 'planner' });
    const r = await json(`/api/sites/${SITE}/staffing`);
    const up = r.body.rows.find(
      (x: any) => x.queue === 'q1' && Date.parse(x.interval_start) === N + SLOT,
    );
    expect(up).toMatchObject({ source: 'uploaded', forecast_calls: 50, aht_s: 200 });
    expect(up.required).toBe(
      requiredAgents({ calls: 50, intervalS: 900, ahtS: 200, thresholdS: 20, target: 0.8 }).agents,
    );
  });

  it('MAPE per day: last week against the forecast it would have had', async () => {
    const day = new Date(P - 7 * DAY + offsetH * 3_600_000).toISOString().slice(0, 10);
    const next = new Date(Date.parse(`${day}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
    const r = await json(
      `/api/reports/forecast-accuracy?site=${SITE}&from=${day}&to=${next}&queue=q1`,
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    // Forecast for last week = the week before (10 and 20) against actual 12 and 16:
    // (|12-10|/12 + |16-20|/16) / 2.
    expect(r.body.rows).toEqual([
      {
        date: day,
        queue: 'q1',
        intervals: 2,
        forecast_calls: 30,
        actual_calls: 28,
        mape: expect.closeTo((2 / 12 + 4 / 16) / 2, 9),
      },
    ]);
  });

  it('what-if from the board: formula and a seeded simulation with its spread, merged queues counted once', async () => {
    const post = (body: object) =>
      json(`/api/sites/${SITE}/what-if`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ minutes: 60, reps: 10, ...body }),
      });
    const add = await post({ kind: 'agents', queue: 'q1', add: 6 });
    expect(add.status, JSON.stringify(add.body)).toBe(200);
    const iv = add.body.intervals.find((x: any) => Date.parse(x.interval_start) === N);
    const q = iv.queues[0];
    // 3 rostered + 6 for 36 calls of 180 s (7.2 erlangs): from unstable to answering.
    expect(q).toMatchObject({ queue: 'q1', agents: 9 });
    expect(q.formula.sl).toBeGreaterThan(q.before.sl);
    expect(q.simulated.sl).toMatchObject({ n: 10 });
    expect(q.simulated.sl.p10).toBeLessThanOrEqual(q.simulated.sl.p90);
    expect(add.body.intervals.length).toBeGreaterThanOrEqual(4);
    const merge = await post({ kind: 'merge', queues: ['q1', 'q2'] });
    expect(merge.status, JSON.stringify(merge.body)).toBe(200);
    const m = merge.body.intervals
      .find((x: any) => Date.parse(x.interval_start) === N)
      .queues.find((x: any) => x.queue === 'q1+q2');
    // r1, r2 (q1) and r3 (q1 and q2): three agents, not four; 36 + 8 calls.
    expect(m).toMatchObject({ agents: 3 });
    expect(m.calls).toBeCloseTo(44, 6);
    expect(m.simulated).not.toBeNull();
    const bad = await post({ kind: 'merge', queues: ['q1'] });
    expect(bad.status).toBe(400);
  });
});
