// Work-state management on the real server (real port, embedded ClickHouse): break
// requests from an event and from the board, granted under the cap, deferred over it, and
// refused to a user who does not lead the agent's team; every step stored with who and
// when; and the history report of time over the limit agrees with the live alert's span.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, postEvents, startServer, waitFor, type TestServer } from '../helpers/server.js';

const SITE = 'ws-site';
let server: TestServer;
const T = Date.now() - 40 * 60_000;
const at = (sec: number) => new Date(T + sec * 1000).toISOString();
let n = 0;
const ev = (sec: number, body: Record<string, unknown>) => ({
  id: `ws-${++n}`,
  ts: at(sec),
  site: SITE,
  ...body,
});

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
    body: JSON.stringify({
      timezone: 'Asia/Shanghai',
      work_state: { team_cap: { max: 1 }, leads: { red: ['lead-red'], blue: ['lead-blue'] } },
    }),
  });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
}, 90_000);

afterAll(async () => {
  await server?.dispose();
});

describe('break requests on the real server', () => {
  it('grants under the cap, defers over it, refuses a non-lead, lets the lead grant; each step is stored with who and when', async () => {
    const r = await postEvents(server, [
      ev(0, { type: 'agent.login', agent: 'a1', team: 'red', queues: ['q1'] }),
      ev(0, { type: 'agent.login', agent: 'a2', team: 'red', queues: ['q1'] }),
      ev(1, { type: 'agent.state', agent: 'a1', state: 'ready' }),
      ev(1, { type: 'agent.state', agent: 'a2', state: 'ready' }),
      ev(60, { type: 'agent.break_requested', agent: 'a1', reason: 'break', minutes: 15 }),
    ]);
    expect(r.body).toMatchObject({ accepted: 5, rejected: [] });
    // A bad request event is a clear error with its line.
    const bad = await postEvents(server, [
      ev(61, { type: 'agent.break_requested', agent: 'a1', minutes: 900 }),
    ]);
    expect(bad.body.rejected[0]).toMatchObject({ line: 1 });
    expect(bad.body.rejected[0]!.error).toContain('minutes');

    const live = await waitFor(async () => {
      const w = await json(`/api/sites/${SITE}/work-state`);
      return w.body.requests?.length === 1 ? w.body : null;
    });
    expect(live.requests[0]).toMatchObject({
      agent: 'a1',
      team: 'red',
      status: 'granted',
      decided_by: 'rule',
      source: 'event',
    });

    // From the board: a2 asks while a1's granted break holds the one place: deferred.
    const board = await json(`/api/sites/${SITE}/break-requests`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Floorwatch-User': 'a2' },
      body: JSON.stringify({ agent: 'a2', reason: 'break' }),
    });
    expect(board.status, JSON.stringify(board.body)).toBe(201);
    expect(board.body.request).toMatchObject({
      agent: 'a2',
      status: 'deferred',
      requested_by: 'a2',
      source: 'board',
    });
    const id = board.body.request.id as string;

    const decide = (user: string, decision: string) =>
      json(`/api/sites/${SITE}/break-requests/${encodeURIComponent(id)}/decision`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Floorwatch-User': user },
        body: JSON.stringify({ decision, note: 'short queue' }),
      });
    const refused = await decide('lead-blue', 'grant');
    expect(refused.status).toBe(403);
    expect(refused.body.error).toContain('only a lead of team "red"');
    const granted = await decide('lead-red', 'grant');
    expect(granted.status, JSON.stringify(granted.body)).toBe(200);
    expect(granted.body.request).toMatchObject({
      status: 'granted',
      decided_by: 'lead-red',
      note: 'short queue',
    });
    expect(Date.parse(granted.body.request.decided_at)).toBeGreaterThan(Date.now() - 60_000);
    // Granting it again is no decision.
    expect((await decide('lead-red', 'grant')).status).toBe(409);

    const hist = await waitFor(async () => {
      const h = await json(
        `/api/sites/${SITE}/break-requests?from=${encodeURIComponent(at(-60))}&to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
      );
      return h.body.rows?.length >= 5 ? h.body.rows : null;
    });
    expect(hist.map((x: any) => [x.agent, x.action, x.by])).toEqual([
      ['a1', 'requested', 'a1'],
      ['a1', 'granted', 'rule'],
      ['a2', 'requested', 'a2'],
      ['a2', 'deferred', 'rule'],
      ['a2', 'granted', 'lead-red'],
    ]);
    // A restart keeps the lead's decision (it is in no event; the stored steps bring it back).
    server = await server.restart();
    const after = await json(`/api/sites/${SITE}/work-state`);
    expect(after.body.requests.find((x: any) => x.agent === 'a2')).toMatchObject({
      status: 'granted',
      decided_by: 'lead-red',
    });
  }, 90_000);
});

describe('time over the limit', () => {
  it('the live overrun and the history report give the same span and time over; CSV and explain', async () => {
    // b1 (team blue) went on break 16.5 min ago: 1.5 min over the 15-min limit already.
    const start = Date.now() - 990_000;
    const iso = (ms: number) => new Date(ms).toISOString();
    const r = await postEvents(server, [
      {
        id: 'ov-1',
        ts: iso(start - 60_000),
        site: SITE,
        type: 'agent.login',
        agent: '=b1',
        team: 'blue',
        queues: ['q1'],
      },
      {
        id: 'ov-2',
        ts: iso(start),
        site: SITE,
        type: 'agent.state',
        agent: '=b1',
        state: 'not_ready',
        reason: 'break',
      },
    ]);
    expect(r.body).toMatchObject({ accepted: 2, rejected: [] });
    const alert = await waitFor(async () => {
      const a = await json(`/api/alerts?site=${SITE}`);
      const list = Array.isArray(a.body) ? a.body : (a.body.alerts ?? a.body.rows ?? []);
      return list.find((x: any) => x.kind === 'break_overrun' && x.agent === '=b1');
      // Back-dated events are a backlog: alerts are judged at the clock only once the site has
      // been quiet for CATCH_UP_QUIET_MS (10 s), so wait past that.
    }, 60_000);
    expect(alert.level).toBe('yellow');
    const w = await json(`/api/sites/${SITE}/work-state`);
    const liveRow = w.body.not_ready.find((x: any) => x.agent === '=b1');
    expect(liveRow).toMatchObject({ reason: 'break', limit: 15, over: true });
    expect(Date.parse(liveRow.since)).toBe(start);
    expect(liveRow.over_s).toBeGreaterThanOrEqual(90);

    const back = Date.now();
    expect(
      (
        await postEvents(server, [
          {
            id: 'ov-3',
            ts: iso(back),
            site: SITE,
            type: 'agent.state',
            agent: '=b1',
            state: 'ready',
          },
        ])
      ).body.accepted,
    ).toBe(1);
    await waitFor(async () => {
      const a = await json(`/api/alerts?site=${SITE}`);
      const list = Array.isArray(a.body) ? a.body : (a.body.alerts ?? a.body.rows ?? []);
      return !list.some((x: any) => x.kind === 'break_overrun' && x.agent === '=b1');
    }, 60_000);
    const overS = (back - start) / 1000 - 900;
    const from = new Date(start - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const rep = await json(
      `/api/reports/break-overruns?site=${SITE}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&explain=1`,
    );
    expect(
      rep.status,
      JSON.stringify(rep.body) + server.logs.filter((l) => l.includes('request failed')).join('\n'),
    ).toBe(200);
    const row = rep.body.rows.find((x: any) => x.agent === '=b1');
    expect(row).toMatchObject({ team: 'blue', spans: 1, overruns: 1 });
    expect(row.over_s).toBeCloseTo(overS, 3);
    expect(row.explain).toHaveLength(1);
    // The report's span is the live engine's: from the state event the live view showed to the return.
    expect(Date.parse(row.explain[0].start)).toBe(start);
    expect(Date.parse(row.explain[0].end)).toBe(back);
    expect(row.explain[0]).toMatchObject({ reason: 'break', limit_s: 900 });
    expect(row.over_s).toBeGreaterThanOrEqual(liveRow.over_s);

    const csv = await json(
      `/api/reports/break-overruns?site=${SITE}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&format=csv`,
    );
    expect(csv.status).toBe(200);
    const lines = String(csv.body).trim().split('\r\n');
    expect(lines[0]).toBe('date,agent,team,spans,overruns,over_s,longest_over_s');
    // A name a spreadsheet would run as a formula is written as text.
    expect(lines.find((l) => l.includes('b1'))).toMatch(
      /^\d{4}-\d{2}-\d{2},'=b1,blue,1,1,[\d.]+,[\d.]+$/,
    );
  });
});
