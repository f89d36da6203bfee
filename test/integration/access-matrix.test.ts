// The role x route matrix (issue 19): every route the real server answers must have an
// entry in the access table, and every route is called by every kind of caller (nobody,
// kiosk link, ingest token, viewer, team lead, shift lead, manager, admin, the admin token)
// on its own site and on another site. A refused call must answer exactly 401 (no
// credentials) or 403 (wrong role or site); an allowed one must get past the gate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createUser, makeToken, signIn, type Grant, type Session } from '../helpers/auth.js';
import {
  api,
  authHeaders,
  postEvents,
  startServer,
  TEST_ADMIN_PASSWORD,
  type TestServer,
} from '../helpers/server.js';

interface Rule {
  method: string;
  path: string;
  roles: string[] | 'open';
  site: 'param' | 'query' | 'query?' | 'alert' | 'body' | 'global' | 'self';
  team?: boolean;
}

const OWN = 'mxa';
const OTHER = 'mxb';

interface Caller {
  name: string;
  /** The role this caller holds on OWN ('*' roles hold everywhere). */
  role: string | null;
  everywhere: boolean;
  headers(unsafe: boolean): Record<string, string>;
}

let server: TestServer;
let callers: Caller[] = [];
let routes: { method: string; path: string; rule: Rule | null }[] = [];
let stale: Rule[] = [];
const sessions = new Map<string, Session>();

const GRANTS: Record<string, Grant[]> = {
  'mx.viewer': [{ site: OWN, role: 'viewer' }],
  'mx.teamlead': [{ site: OWN, role: 'team_lead', teams: ['t1'] }],
  'mx.shiftlead': [{ site: OWN, role: 'shift_lead' }],
  'mx.manager': [{ site: OWN, role: 'manager' }],
  'mx.admin': [{ site: '*', role: 'admin' }],
};

beforeAll(async () => {
  server = await startServer();
  for (const [name, grants] of Object.entries(GRANTS)) await createUser(server, name, grants);
  for (const name of Object.keys(GRANTS)) sessions.set(name, await signIn(server, name));
  const kiosk = await makeToken(server, 'kiosk', OWN);
  const ingest = await makeToken(server, 'ingest', OWN);
  const bearer = (t: string) => () => ({ Authorization: `Bearer ${t}` });
  const person = (name: string) => (unsafe: boolean) =>
    unsafe
      ? (sessions.get(name) as Session).headers()
      : { Cookie: (sessions.get(name) as Session).cookie };
  callers = [
    { name: 'nobody', role: null, everywhere: false, headers: () => ({}) },
    { name: 'kiosk link', role: 'kiosk', everywhere: false, headers: bearer(kiosk.token) },
    { name: 'ingest token', role: 'ingest', everywhere: false, headers: bearer(ingest.token) },
    { name: 'viewer', role: 'viewer', everywhere: false, headers: person('mx.viewer') },
    { name: 'team lead', role: 'team_lead', everywhere: false, headers: person('mx.teamlead') },
    { name: 'shift lead', role: 'shift_lead', everywhere: false, headers: person('mx.shiftlead') },
    { name: 'manager', role: 'manager', everywhere: false, headers: person('mx.manager') },
    { name: 'admin', role: 'admin', everywhere: true, headers: person('mx.admin') },
    { name: 'admin token', role: 'admin', everywhere: true, headers: () => authHeaders() },
  ];
  const listing = (await (await api(server, '/api/access/routes')).json()) as {
    routes: typeof routes;
    listed_without_route: Rule[];
  };
  routes = listing.routes;
  stale = listing.listed_without_route;
}, 120_000);

afterAll(async () => {
  await server?.dispose();
});

/** The status a caller must get from the gate: 'pass' (anything but 401/403), 401 or 403. Written from the rules, not from the gate's code. */
function expected(rule: Rule, c: Caller, site: string): 'pass' | 401 | 403 {
  if (rule.roles === 'open') return 'pass';
  if (c.role === null) return 401;
  const roleHere = site === OWN || c.everywhere ? c.role : null;
  switch (rule.site) {
    case 'global':
      return c.everywhere && rule.roles.includes('admin') ? 'pass' : 403;
    case 'self':
    case 'body':
      return rule.roles.includes(c.role) ? 'pass' : 403;
    default:
      return roleHere !== null && rule.roles.includes(roleHere) ? 'pass' : 403;
  }
}

/** A request for the route on `site`, with made-up ids (the handler may answer 400/404; the gate is what is checked). */
function requestFor(rule: Rule, site: string): { path: string; body?: string } {
  let path = rule.path
    .replace(':site', site)
    .replace(':token', 'fwk_not-a-real-token')
    .replace(':name', 'no-such-user')
    .replace(
      ':id',
      rule.site === 'alert' ? encodeURIComponent(`${site}:no-such-alert`) : 'no-such-token',
    );
  if (path === '/*') path = '/';
  if (rule.site === 'query' || rule.site === 'query?') path += `?site=${site}`;
  const bodies: Record<string, string> = {
    'PUT /api/sites/:site': '{"timezone":"UTC"}',
    'PUT /api/sites/:site/roster': '[]',
    'POST /api/sites/:site/excused': '[]',
    'POST /api/events': '',
  };
  const body =
    rule.method === 'GET' || rule.method === 'DELETE'
      ? undefined
      : (bodies[`${rule.method} ${rule.path}`] ?? '{}');
  return { path, ...(body === undefined ? {} : { body }) };
}

async function wsStatus(path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${server.wsUrl}${path}`, { headers });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', () => resolve(0));
  });
}

async function call(rule: Rule, c: Caller, site: string): Promise<number> {
  const { path, body } = requestFor(rule, site);
  if (rule.method === 'WS') return wsStatus(path, c.headers(false));
  const unsafe = rule.method !== 'GET';
  const res = await fetch(`${server.url}${path}`, {
    method: rule.method,
    headers: { 'Content-Type': 'application/json', ...c.headers(unsafe) },
    ...(body === undefined ? {} : { body }),
    redirect: 'manual',
  });
  await res.arrayBuffer();
  return res.status;
}

describe('access matrix', () => {
  it('every route the server answers has an entry in the access table, and every entry a route', () => {
    expect(routes.length).toBeGreaterThan(30);
    const missing = routes.filter((r) => r.rule === null).map((r) => `${r.method} ${r.path}`);
    expect(
      missing,
      `routes with no entry in ingest/src/core/access/route-table.ts: ${missing.join(', ')}`,
    ).toEqual([]);
    expect(
      stale.map((r) => `${r.method} ${r.path}`),
      'entries in the access table with no route',
    ).toEqual([]);
  });

  it('every route x every caller x own and other site answers as the table says', async () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const { rule } of routes) {
      if (!rule) continue;
      // Sign-out ends the caller's session: it is checked on its own below.
      if (rule.path === '/api/auth/logout') continue;
      const sites =
        rule.site === 'global' || rule.site === 'self' || rule.site === 'body'
          ? [OWN]
          : [OWN, OTHER];
      for (const c of callers) {
        for (const site of sites) {
          const want = expected(rule, c, site);
          const got = await call(rule, c, site);
          checked++;
          const ok = want === 'pass' ? got !== 401 && got !== 403 && got !== 0 : got === want;
          if (!ok)
            wrong.push(
              `${rule.method} ${rule.path} as ${c.name} on ${site === OWN ? 'own' : 'other'} site: got ${got}, want ${want}`,
            );
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(500);
  }, 300_000);

  it('pins the issue rules: who may read, acknowledge, configure and administer', async () => {
    const find = (m: string, p: string) =>
      routes.find((r) => r.method === m && r.path === p)?.rule as Rule;
    const by = (name: string) => callers.find((c) => c.name === name) as Caller;
    const cases: [string, string, string, 'pass' | 401 | 403][] = [
      ['GET', '/api/live', 'kiosk link', 'pass'],
      ['GET', '/api/live', 'viewer', 'pass'],
      ['GET', '/api/live', 'ingest token', 403],
      ['GET', '/api/live', 'nobody', 401],
      ['WS', '/ws/board', 'kiosk link', 'pass'],
      ['WS', '/ws/board', 'nobody', 401],
      ['POST', '/api/alerts/:id/ack', 'viewer', 403],
      ['POST', '/api/alerts/:id/ack', 'kiosk link', 403],
      ['POST', '/api/alerts/:id/ack', 'team lead', 'pass'],
      ['POST', '/api/alerts/:id/ack', 'shift lead', 'pass'],
      ['POST', '/api/sites/:site/excused', 'team lead', 'pass'],
      ['POST', '/api/sites/:site/excused', 'viewer', 403],
      ['PUT', '/api/sites/:site', 'shift lead', 403],
      ['PUT', '/api/sites/:site', 'manager', 'pass'],
      ['PUT', '/api/sites/:site/roster', 'team lead', 403],
      ['PUT', '/api/sites/:site/roster', 'manager', 'pass'],
      ['GET', '/api/reports/intervals', 'viewer', 403],
      ['GET', '/api/reports/intervals', 'manager', 'pass'],
      ['POST', '/api/events', 'ingest token', 'pass'],
      ['POST', '/api/events', 'manager', 403],
      ['WS', '/ws/ingest', 'ingest token', 'pass'],
      ['WS', '/ws/ingest', 'kiosk link', 403],
      ['POST', '/api/users', 'manager', 403],
      ['POST', '/api/tokens', 'manager', 403],
      ['POST', '/api/tokens', 'admin', 'pass'],
      ['GET', '/api/dead-letters', 'viewer', 403],
      ['GET', '/metrics', 'nobody', 401],
      ['GET', '/healthz', 'nobody', 'pass'],
    ];
    for (const [m, p, who, want] of cases) {
      const rule = find(m, p);
      expect(rule, `${m} ${p} is in the table`).toBeTruthy();
      const got = await call(rule, by(who), OWN);
      if (want === 'pass')
        expect([401, 403, 0], `${m} ${p} as ${who} got ${got}`).not.toContain(got);
      else expect(got, `${m} ${p} as ${who}`).toBe(want);
    }
  });

  it('signing out ends the session: the same cookie is refused afterwards', async () => {
    const s = await signIn(server, 'mx.viewer');
    expect(
      (await fetch(`${server.url}/api/live?site=${OWN}`, { headers: { Cookie: s.cookie } })).status,
    ).toBe(200);
    expect(
      (await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: s.headers() }))
        .status,
    ).toBe(200);
    expect(
      (await fetch(`${server.url}/api/live?site=${OWN}`, { headers: { Cookie: s.cookie } })).status,
    ).toBe(401);
    expect((await fetch(`${server.url}/api/auth/logout`, { method: 'POST' })).status).toBe(401);
  });

  it('without credentials a state-changing call answers 401 and changes nothing', async () => {
    const before = await (await api(server, `/api/sites/${OWN}`)).json();
    const put = await fetch(`${server.url}/api/sites/${OWN}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ timezone: 'Asia/Shanghai' }),
    });
    expect(put.status).toBe(401);
    expect(await (await api(server, `/api/sites/${OWN}`)).json()).toEqual(before);
    const stats = async () =>
      (await (await api(server, `/api/events/stats?site=${OWN}`)).json()) as { events: number };
    const n = (await stats()).events;
    const post = await fetch(`${server.url}/api/events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-ndjson' },
      body: JSON.stringify({
        id: 'anon-1',
        ts: Date.now(),
        type: 'agent.login',
        site: OWN,
        agent: 'a1',
      }),
    });
    expect(post.status).toBe(401);
    expect((await stats()).events).toBe(n);
    // A wrong bearer token is refused the same way, not treated as no token.
    expect(
      (
        await fetch(`${server.url}/api/live?site=${OWN}`, {
          headers: { Authorization: 'Bearer fwi_wrong' },
        })
      ).status,
    ).toBe(401);
  });

  it("an ingest token feeds only its own site: other sites' lines are rejected with a reason", async () => {
    const t = await makeToken(server, 'ingest', OWN);
    const lines = [
      { id: 'ing-own-1', ts: Date.now(), type: 'agent.login', site: OWN, agent: 'a1', team: 't1' },
      { id: 'ing-other-1', ts: Date.now(), type: 'agent.login', site: OTHER, agent: 'b1' },
    ].map((l) => JSON.stringify(l));
    const res = await fetch(`${server.url}/api/events`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${t.token}`, 'Content-Type': 'application/x-ndjson' },
      body: lines.join('\n'),
    });
    const reply = (await res.json()) as {
      accepted: number;
      rejected: { line: number; error: string }[];
    };
    expect(res.status).toBe(200);
    expect(reply.accepted).toBe(1);
    expect(reply.rejected).toEqual([
      {
        line: 2,
        error: `field "site": this ingest token may only send events for site "${OWN}", not "${OTHER}"`,
      },
    ]);
  });

  it('a session cookie alone cannot change state: the CSRF token and an allowed Origin are required', async () => {
    const s = sessions.get('mx.manager') as Session;
    const put = (headers: Record<string, string>) =>
      fetch(`${server.url}/api/sites/${OWN}`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: '{"timezone":"UTC"}',
      });
    expect((await put({ Cookie: s.cookie })).status).toBe(403);
    expect((await put({ Cookie: s.cookie, 'X-CSRF-Token': 'guessed' })).status).toBe(403);
    expect((await put({ ...s.headers(), Origin: 'http://evil.example' })).status).toBe(403);
    expect((await put(s.headers())).status).toBe(200);
  });

  it('a team lead enters excused time only for their own team', async () => {
    const now = Date.now();
    await postEvents(server, [
      { id: 'tm-1', ts: now - 60_000, type: 'agent.login', site: OWN, agent: 'own1', team: 't1' },
      { id: 'tm-2', ts: now - 60_000, type: 'agent.login', site: OWN, agent: 'other1', team: 't2' },
    ]);
    const s = sessions.get('mx.teamlead') as Session;
    const span = (agent: string) =>
      JSON.stringify([
        {
          agent,
          start: new Date(now - 50_000).toISOString(),
          end: new Date(now - 40_000).toISOString(),
          reason: 'phone down',
        },
      ]);
    const post = (agent: string) =>
      fetch(`${server.url}/api/sites/${OWN}/excused`, {
        method: 'POST',
        headers: s.headers({ 'Content-Type': 'application/json' }),
        body: span(agent),
      });
    const mine = await post('own1');
    expect(mine.status, await mine.clone().text()).toBe(200);
    const theirs = await post('other1');
    expect(theirs.status).toBe(403);
    expect(((await theirs.json()) as { error: string }).error).toMatch(
      /only for their own team \(t1\), not team "t2"/,
    );
  });

  it('the first admin signs in with FLOORWATCH_ADMIN_PASSWORD; sign-in is limited per account', async () => {
    const admin = await signIn(server, 'admin', TEST_ADMIN_PASSWORD);
    expect(
      (await fetch(`${server.url}/api/users`, { headers: { Cookie: admin.cookie } })).status,
    ).toBe(200);
    const login = (password: string) =>
      fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ user: 'mx.viewer', password }),
      });
    for (let i = 0; i < 5; i++) expect((await login('wrong-password-here')).status).toBe(401);
    // Locked for the window now, even with the right password.
    const locked = await login('test-password-long-enough');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
