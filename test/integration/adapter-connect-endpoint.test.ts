// The Amazon Connect endpoint end to end: a Firehose-shaped delivery built from the sample
// records is answered in Firehose's format, and /api/live then shows each agent in the state
// the mapping gives; a wrong access key gets 401 and stores nothing; unmappable records are
// dead letters; a gzip delivery and a redelivery work; the file import command does the same.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdapter } from '../helpers/adapter-cli.js';
import {
  api,
  ROOT,
  startServer,
  TEST_ADMIN_TOKEN,
  waitFor,
  type TestServer,
} from '../helpers/server.js';

const DIR = path.resolve(ROOT, '../shared/data/connect/records');
const FILES = readdirSync(DIR).sort();
const KEY = 'fw-test-firehose-key-7d1e4b9a';
const b64 = (file: string) => readFileSync(path.join(DIR, file)).toString('base64');

let server: TestServer;

function deliver(
  site: string,
  records: { data: string }[],
  opts: { key?: string; requestId?: string; gzip?: boolean } = {},
) {
  const requestId = opts.requestId ?? `rq-${Math.random().toString(16).slice(2)}`;
  const json = Buffer.from(JSON.stringify({ requestId, timestamp: Date.now(), records }));
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'X-Amz-Firehose-Protocol-Version': '1.0',
    'X-Amz-Firehose-Request-Id': requestId,
    'X-Amz-Firehose-Source-Arn':
      'arn:aws:firehose:eu-central-1:123456789012:deliverystream/fw-test',
    'X-Amz-Firehose-Access-Key': opts.key ?? KEY,
    ...(opts.gzip ? { 'Content-Encoding': 'gzip' } : {}),
  };
  // Firehose sends no Authorization header: only its access key.
  return fetch(`${server.url}/api/adapters/amazon-connect?site=${site}`, {
    method: 'POST',
    headers,
    body: opts.gzip ? gzipSync(json) : json,
  }).then(async (r) => ({
    status: r.status,
    type: r.headers.get('content-type'),
    body: (await r.json()) as Record<string, unknown>,
    requestId,
  }));
}

async function liveAgents(site: string): Promise<Record<string, string>> {
  const snap = (await (await api(server, `/api/live?site=${site}`)).json()) as {
    agents: { agent: string; state: string; reason: string | null }[];
  };
  return Object.fromEntries(
    snap.agents.map((a) => [a.agent, a.reason ? `${a.state}:${a.reason}` : a.state]),
  );
}

async function storedEvents(site: string): Promise<number> {
  const r = (await (
    await api(server, `/api/events?site=${site}&from=2000-01-01&to=2100-01-01`)
  ).json()) as { events: unknown[] };
  return r.events.length;
}

beforeAll(async () => {
  // The samples are from 2018-2019: this server accepts events up to ~16 years back.
  server = await startServer({
    env: {
      FLOORWATCH_MAX_PAST_DAYS: '6000',
      FLOORWATCH_CONNECT_ACCESS_KEYS: `aes-a=${KEY},aes-b=${KEY},aes-c=${KEY}`,
    },
  });
});
afterAll(async () => {
  await server?.dispose();
});

describe('POST /api/adapters/amazon-connect', () => {
  it('refuses a wrong or missing access key with 401 in Firehose format, and stores nothing', async () => {
    const records = FILES.map((f) => ({ data: b64(f) }));
    const wrong = await deliver('aes-a', records, { key: 'not-the-key-of-this-site' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({
      requestId: wrong.requestId,
      timestamp: expect.any(Number),
      errorMessage: expect.stringContaining('X-Amz-Firehose-Access-Key'),
    });
    const none = await deliver('aes-zz', records);
    expect(none.status).toBe(401);
    expect(await storedEvents('aes-a')).toBe(0);
    expect(await storedEvents('aes-zz')).toBe(0);
  });

  it('stores the sample records and shows each agent in the mapped state; dead-letters what cannot be mapped', async () => {
    // One delivery per step, so the state after each is seen: the ACW example first ends a contact (wrap_up).
    const step1 = await deliver('aes-a', [{ data: b64('determine-acw-time.block0.json') }]);
    expect(step1.status).toBe(200);
    expect(step1.type).toContain('application/json');
    expect(step1.body).toEqual({ requestId: step1.requestId, timestamp: expect.any(Number) });
    expect(await waitFor(async () => (await liveAgents('aes-a'))['(Removed)'] === 'wrap_up')).toBe(
      true,
    );

    const rest = await deliver('aes-a', [
      { data: b64('determine-acw-time.block1.json') },
      { data: b64('ramn-test_krecord.decoded.json') },
      {
        data: Buffer.from(
          JSON.stringify({
            EventType: 'CONTACT_EVENT',
            EventId: 'x1',
            EventTimestamp: '2019-01-21T10:00:00Z',
          }),
        ).toString('base64'),
      },
      { data: 'not base64 at all!' },
    ]);
    expect(rest.status).toBe(200);
    expect(rest.body['requestId']).toBe(rest.requestId);
    await waitFor(async () => (await liveAgents('aes-a'))['(Removed)'] === 'ready');
    expect(await liveAgents('aes-a')).toEqual({ '(Removed)': 'ready', P12288098: 'ready' });
    expect(await storedEvents('aes-a')).toBe(3);

    const dl = (await (await api(server, '/api/dead-letters?site=aes-a')).json()) as {
      dead_letters: { reason: string; producer: string }[];
    };
    expect(dl.dead_letters.map((d) => d.reason).sort()).toEqual([
      'record 3: EventType "CONTACT_EVENT" is not LOGIN, LOGOUT, STATE_CHANGE or HEART_BEAT',
      'record 4: data is not base64',
    ]);
    // The "null" strings of the re-serialised record were read as null, and the log says so.
    expect(
      server.logs.some((l) => l.includes('strings read as null at CurrentAgentSnapshot')),
    ).toBe(true);
  });

  it('takes a gzip delivery, and a redelivery of the same request stores nothing twice', async () => {
    const records = FILES.map((f) => ({ data: b64(f) }));
    const first = await deliver('aes-b', records, { gzip: true, requestId: 'rq-same' });
    expect(first.status).toBe(200);
    expect(first.body['requestId']).toBe('rq-same');
    const again = await deliver('aes-b', records, { gzip: true, requestId: 'rq-same' });
    expect(again.status).toBe(200);
    expect(await storedEvents('aes-b')).toBe(FILES.length);
    expect(await liveAgents('aes-b')).toEqual({ '(Removed)': 'ready', P12288098: 'ready' });
  });

  it('the file import command maps the same records into the same events', async () => {
    const args = [
      'amazon-connect',
      '--records',
      ...FILES.map((f) => path.join(DIR, f)),
      '--site',
      'aes-c',
      '--target',
      server.url,
      '--json',
    ];
    const r = await runAdapter(args, { FLOORWATCH_TOKEN: TEST_ADMIN_TOKEN });
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as {
      events_sent: number;
      accepted: number;
      rejected: unknown[];
    };
    expect(s).toMatchObject({ events_sent: FILES.length, accepted: FILES.length, rejected: [] });
    expect(r.stderr).toContain('"null" strings read as null');
    expect(await liveAgents('aes-c')).toEqual({ '(Removed)': 'ready', P12288098: 'ready' });
  });
});
