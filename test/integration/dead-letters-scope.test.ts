// GET /api/dead-letters shows each caller only the rejected lines of the sites they may read:
// a manager of site A sees none of site B's (nor lines that named no site), with or without
// ?site, and asking for B outright is refused; an admin sees them all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn, type Session } from '../helpers/auth.js';
import { api, startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let manager: Session;

interface DeadLetter {
  site: string;
  raw: string;
  reason: string;
}

beforeAll(async () => {
  server = await startServer();
  const now = Date.now() - 1000;
  const good = (site: string) =>
    JSON.stringify({
      id: `${site}-ok`,
      ts: now,
      type: 'call.offered',
      site,
      call: 'c',
      queue: 'q',
    });
  const bad = (site: string) =>
    JSON.stringify({ id: `${site}-bad`, ts: now, type: 'call.offered', site, call: 'c', queue: 7 });
  const body = [good('DLA'), bad('DLA'), good('DLB'), bad('DLB'), '{not json, no site'].join('\n');
  const res = await api(server, '/api/events', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-ndjson' },
    body,
  });
  const reply = (await res.json()) as { accepted: number; rejected: unknown[] };
  expect(reply.accepted).toBe(2);
  expect(reply.rejected).toHaveLength(3);
  await createUser(server, 'mgr.a', [{ site: 'DLA', role: 'manager' }]);
  manager = await signIn(server, 'mgr.a');
}, 120_000);
afterAll(async () => {
  await server?.dispose();
});

async function asManager(query: string): Promise<{ status: number; lines: DeadLetter[] }> {
  const res = await fetch(`${server.url}/api/dead-letters${query}`, { headers: manager.headers() });
  const body = (await res.json()) as { dead_letters?: DeadLetter[] };
  return { status: res.status, lines: body.dead_letters ?? [] };
}

describe('dead letters', () => {
  it("a manager of site A sees A's rejected lines and none of B's, with or without ?site", async () => {
    const own = await asManager('?site=DLA');
    expect(own.status).toBe(200);
    expect(own.lines.map((l) => l.site)).toEqual(['DLA']);
    expect(own.lines[0]!.raw).toContain('DLA-bad');

    const unscoped = await asManager('');
    expect(unscoped.status).toBe(200);
    expect(unscoped.lines.map((l) => l.site)).toEqual(['DLA']);
    expect(JSON.stringify(unscoped.lines)).not.toContain('DLB');
    expect(JSON.stringify(unscoped.lines)).not.toContain('not json');

    const other = await asManager('?site=DLB');
    expect(other.status).toBe(403);
    expect(other.lines).toEqual([]);
  });

  it('an admin sees every site, and the lines that named none', async () => {
    const res = await api(server, '/api/dead-letters');
    const lines = ((await res.json()) as { dead_letters: DeadLetter[] }).dead_letters;
    expect(lines.map((l) => l.site).sort()).toEqual(['', 'DLA', 'DLB']);
  });
});
