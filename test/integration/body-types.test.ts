// State-changing routes refuse the bodies a web page on another origin can send without a
// CORS preflight (text/plain, urlencoded and multipart forms, or no type at all) with 415
// and a plain reason, and change nothing; each route still takes what the README documents.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.dispose();
});

const FORGEABLE = [
  'text/plain',
  'text/plain;charset=UTF-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
];

async function send(method: string, path: string, body: string | Uint8Array, type?: string) {
  const res = await api(server, path, {
    method,
    headers: type === undefined ? {} : { 'Content-Type': type },
    body: body as BodyInit,
  });
  const text = await res.text();
  return { status: res.status, text };
}

describe('state-changing bodies', () => {
  it('a site configuration sent as text, a form or with no type is refused and not applied', async () => {
    const cfg = JSON.stringify({ timezone: 'Asia/Shanghai' });
    for (const type of [...FORGEABLE, undefined]) {
      const r = await send(
        'PUT',
        '/api/sites/CT',
        type === undefined ? new TextEncoder().encode(cfg) : cfg,
        type,
      );
      expect(r.status, String(type)).toBe(415);
      expect(JSON.parse(r.text).error).toMatch(
        /^PUT \/api\/sites\/CT takes application\/json, not /,
      );
    }
    const now = (await (await api(server, '/api/sites/CT')).json()) as { timezone: string };
    expect(now.timezone).toBe('UTC');
    const ok = await send('PUT', '/api/sites/CT', cfg, 'application/json; charset=utf-8');
    expect(ok.status).toBe(200);
  });

  it('events sent as text/plain are refused and not stored; NDJSON and JSON are taken', async () => {
    const line = (id: string) =>
      JSON.stringify({
        id,
        ts: Date.now() - 1000,
        type: 'call.offered',
        site: 'CT',
        call: id,
        queue: 'q',
      });
    for (const type of FORGEABLE) {
      const r = await send('POST', '/api/events', line(`x-${type.length}`), type);
      expect(r.status, type).toBe(415);
      expect(JSON.parse(r.text).error).toContain('application/json or application/x-ndjson');
    }
    const nd = await send('POST', '/api/events', line('ok-1'), 'application/x-ndjson');
    expect(JSON.parse(nd.text).accepted).toBe(1);
    const js = await send('POST', '/api/events', line('ok-2'), 'application/json');
    expect(JSON.parse(js.text).accepted).toBe(1);
    const stats = (await (await api(server, '/api/events?site=CT&limit=100')).json()) as {
      events?: { id: string }[];
    };
    const ids = (stats.events ?? []).map((e) => e.id).sort();
    expect(ids).toEqual(['ok-1', 'ok-2']);
  });

  it('an ack and a sign-in sent as a form are refused; a roster takes CSV but not text/plain', async () => {
    expect(
      (await send('POST', '/api/alerts/a1/ack', 'by=x', 'application/x-www-form-urlencoded'))
        .status,
    ).toBe(415);
    const login = await send(
      'POST',
      '/api/auth/login',
      '{"user":"admin","password":"x"}',
      'text/plain',
    );
    expect(login.status).toBe(415);
    const csv = 'agent,team,start,end,activity\n';
    expect((await send('PUT', '/api/sites/CT/roster', csv, 'text/plain')).status).toBe(415);
    // A CSV with no rows is a 400 about its content, not about its type.
    const taken = await send('PUT', '/api/sites/CT/roster', csv, 'text/csv');
    expect(taken.status).toBe(400);
    expect(taken.text).toContain('no rows');
  });

  it('a change without a body needs no type', async () => {
    const r = await api(server, '/api/auth/logout', { method: 'POST' });
    expect(r.status).not.toBe(415);
  });
});
