// Ingest against the real server and embedded ClickHouse: mixed good and bad lines over
// HTTP and WebSocket, dead letters, dedupe across a restart, and the body-size limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Producer } from '../helpers/producer.js';
import { api, postEvents, readMetrics, startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.dispose();
});

const now = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();

function mixedBatch(site: string, prefix: string): string[] {
  return [
    JSON.stringify({
      id: `${prefix}-1`,
      ts: iso(now - 60_000),
      type: 'agent.login',
      site,
      agent: 'a1',
      name: 'Li Na',
      team: 'T1',
      queues: ['q1'],
    }),
    JSON.stringify({ id: `${prefix}-2`, ts: now - 50_000, type: 'call.offered', site, call: 'c1' }), // missing queue
    'this is not json',
    JSON.stringify({
      id: `${prefix}-4`,
      ts: iso(now - 40_000),
      type: 'agent.state',
      site,
      agent: 'a1',
      state: 'sleeping',
    }),
    JSON.stringify({
      id: `${prefix}-5`,
      ts: iso(now - 30_000),
      type: 'call.exploded',
      site,
      call: 'c1',
    }),
    JSON.stringify({
      id: `${prefix}-6`,
      ts: now + 3_600_000,
      type: 'call.offered',
      site,
      call: 'c2',
      queue: 'q1',
    }), // far future
    JSON.stringify({
      id: `${prefix}-7`,
      ts: iso(now - 20_000),
      type: 'call.offered',
      site,
      call: 'c3',
      queue: 'q1',
    }),
    JSON.stringify({
      id: 'x'.repeat(65),
      ts: iso(now - 20_000),
      type: 'call.offered',
      site,
      call: 'c4',
      queue: 'q1',
    }),
    JSON.stringify({
      id: `${prefix}-9`,
      ts: 'yesterday',
      type: 'call.offered',
      site,
      call: 'c5',
      queue: 'q1',
    }),
  ];
}

function expectMixedReply(r: {
  accepted: number;
  duplicates: number;
  rejected: { line: number; error: string }[];
}) {
  expect(r.accepted).toBe(2);
  expect(r.duplicates).toBe(0);
  expect(r.rejected.map((x) => x.line)).toEqual([2, 3, 4, 5, 6, 8, 9]);
  const byLine = new Map(r.rejected.map((x) => [x.line, x.error]));
  expect(byLine.get(2)).toMatch(/missing field "queue"/);
  expect(byLine.get(3)).toMatch(/not valid JSON/);
  expect(byLine.get(4)).toMatch(/"state" must be one of/);
  expect(byLine.get(5)).toMatch(/unknown event type "call.exploded"/);
  expect(byLine.get(6)).toMatch(/in the future/);
  expect(byLine.get(8)).toMatch(/"id" is longer than 64/);
  expect(byLine.get(9)).toMatch(/ISO-8601/);
}

async function storedIds(site: string): Promise<string[]> {
  const res = await api(server, `/api/events?site=${site}&limit=100000`);
  const body = (await res.json()) as { events: { id: string }[] };
  return body.events.map((e) => e.id).sort();
}

async function deadLettersOf(
  site: string,
): Promise<{ line: number; reason: string; raw: string }[]> {
  const res = await api(server, `/api/dead-letters?site=${site}`);
  return ((await res.json()) as { dead_letters: { line: number; reason: string; raw: string }[] })
    .dead_letters;
}

describe('ingest', () => {
  it('rejects bad lines over HTTP with line numbers and reasons, stores the rest, dead-letters the bad', async () => {
    const { status, body } = await postEvents(server, mixedBatch('mix-http', 'h'));
    expect(status).toBe(200);
    expectMixedReply(body);
    expect(await storedIds('mix-http')).toEqual(['h-1', 'h-7']);
    const dead = await deadLettersOf('mix-http');
    // Line 3 ("this is not json") has no site to attribute; the other six name it.
    expect(dead.map((d) => d.line).sort((a, b) => a - b)).toEqual([2, 4, 5, 6, 8, 9]);
    expect(dead.find((d) => d.line === 4)?.raw).toContain('sleeping');
    const all = (await (await api(server, `/api/dead-letters`)).json()) as {
      dead_letters: { raw: string; line: number }[];
    };
    expect(all.dead_letters.some((d) => d.raw === 'this is not json' && d.line === 3)).toBe(true);
  });

  it('does the same over WebSocket, replying with the batch seq after commit', async () => {
    const p = await Producer.open(server.wsUrl, 'mix-ws-producer');
    const r1 = await p.send(mixedBatch('mix-ws', 'w'));
    expect(r1.seq).toBe(1);
    expectMixedReply(r1);
    const r2 = await p.send([
      { id: 'w-10', ts: iso(now - 10_000), type: 'agent.logout', site: 'mix-ws', agent: 'a1' },
    ]);
    expect(r2).toMatchObject({ seq: 2, accepted: 1, duplicates: 0, rejected: [] });
    p.close();
    expect(await storedIds('mix-ws')).toEqual(['w-1', 'w-10', 'w-7']);
    expect((await deadLettersOf('mix-ws')).length).toBe(6);
  });

  it('answers each of many one-event messages sent without waiting on its own, though they are written together', async () => {
    const p = await Producer.open(server.wsUrl, 'one-by-one');
    const msgs: (object | string)[][] = [];
    for (let i = 0; i < 60; i++) {
      if (i % 10 === 3) msgs.push(['{"id":"broken"']);
      else if (i % 10 === 7)
        msgs.push([
          {
            id: `o-${i - 1}`,
            ts: iso(now - 5_000),
            type: 'agent.state',
            site: 'one',
            agent: 'a1',
            state: 'ready',
          },
        ]);
      else
        msgs.push([
          {
            id: `o-${i}`,
            ts: iso(now - 5_000),
            type: 'agent.state',
            site: 'one',
            agent: 'a1',
            state: 'ready',
          },
        ]);
    }
    const replies = await Promise.all(msgs.map((m) => p.send(m)));
    p.close();
    replies.forEach((r, i) => {
      expect(r.seq).toBe(i + 1);
      if (i % 10 === 3)
        expect(r).toMatchObject({ accepted: 0, duplicates: 0, rejected: [{ line: 1 }] });
      else if (i % 10 === 7) expect(r).toMatchObject({ accepted: 0, duplicates: 1, rejected: [] });
      else expect(r).toMatchObject({ accepted: 1, duplicates: 0, rejected: [] });
    });
    expect((await storedIds('one')).length).toBe(48);
  });

  it('counts a resent batch as duplicates, within the batch, and again after a restart', async () => {
    const site = 'dedupe';
    const batch = Array.from({ length: 50 }, (_, i) => ({
      id: `d-${i}`,
      ts: iso(now - 100_000 + i),
      type: 'call.offered',
      site,
      call: `c${i}`,
      queue: 'q1',
    }));
    // An old event (older than the in-memory horizon) exercises the stored-id look-up.
    const old = {
      id: 'd-old',
      ts: iso(now - 3 * 86_400_000),
      type: 'call.offered',
      site,
      call: 'c-old',
      queue: 'q1',
    };
    expect((await postEvents(server, [...batch, old, batch[0] as object])).body).toMatchObject({
      accepted: 51,
      duplicates: 1,
    });
    expect((await postEvents(server, [...batch, old])).body).toMatchObject({
      accepted: 0,
      duplicates: 51,
    });
    server = await server.restart();
    expect((await postEvents(server, [...batch, old])).body).toMatchObject({
      accepted: 0,
      duplicates: 51,
    });
    const p = await Producer.open(server.wsUrl);
    expect(await p.send([old, ...batch.slice(0, 5)])).toMatchObject({ accepted: 0, duplicates: 6 });
    p.close();
    const stats = (await (await api(server, `/api/events/stats?site=${site}`)).json()) as {
      events: number;
      distinct_ids: number;
    };
    expect(stats).toMatchObject({ events: 51, distinct_ids: 51 });
  });

  it('counts a repeat within one batch once, also when its first copy was older than the in-memory horizon', async () => {
    const site = 'dedupe-repeat';
    const ev = (id: string, ts: number) => ({
      id,
      ts: iso(ts),
      type: 'call.offered',
      site,
      call: `c-${id}`,
      queue: 'q1',
    });
    // r-1: an old copy first (the store is asked, it is claimed outside the filters), then a
    // recent copy. r-2: twice among fresh ids. r-3: three times, the last after other ids.
    const batch = [
      ev('r-1', now - 3 * 86_400_000),
      ev('r-1', now - 1000),
      ev('r-2', now - 900),
      ev('r-0', now - 800),
      ev('r-2', now - 700),
      ev('r-3', now - 600),
      ev('r-3', now - 500),
      ev('r-4', now - 400),
      ev('r-3', now - 300),
    ];
    expect((await postEvents(server, batch)).body).toMatchObject({ accepted: 5, duplicates: 4 });
    const stats = (await (await api(server, `/api/events/stats?site=${site}`)).json()) as {
      events: number;
      distinct_ids: number;
    };
    expect(stats).toMatchObject({ events: 5, distinct_ids: 5 });
  });

  it('exposes what it holds in memory at /metrics: dedupe ids and their reach, ids asked of the store, held calls and the fold horizon', async () => {
    const site = 'held';
    const t = now - 60_000;
    const lines = [
      { id: 'h-1', ts: iso(t), type: 'call.offered', site, call: 'hc1', queue: 'q1' },
      {
        id: 'h-2',
        ts: iso(t + 5_000),
        type: 'call.answered',
        site,
        call: 'hc1',
        queue: 'q1',
        agent: 'a1',
      },
      {
        id: 'h-3',
        ts: iso(t + 50_000),
        type: 'call.ended',
        site,
        call: 'hc1',
        queue: 'q1',
        agent: 'a1',
      },
    ];
    const lookups = async () =>
      (await readMetrics(server))('floorwatch_dedupe_store_lookup_ids_total');
    const asked0 = await lookups();
    expect((await postEvents(server, lines)).body).toMatchObject({ accepted: 3 });
    // Fresh ids are not asked of the store, nor resends memory holds.
    expect(await lookups()).toBe(asked0);
    expect((await postEvents(server, lines)).body).toMatchObject({ accepted: 0, duplicates: 3 });
    expect(await lookups()).toBe(asked0);
    // An event older than memory covers is asked of the store, once.
    expect(
      (
        await postEvents(server, [
          { ...lines[0], id: 'h-old', call: 'hc-old', ts: iso(now - 86_400_000) },
        ])
      ).body,
    ).toMatchObject({ accepted: 1 });
    expect(await lookups()).toBe(asked0 + 1);
    const gauge = await readMetrics(server);
    expect(gauge('floorwatch_dedupe_ids')).toBeGreaterThanOrEqual(4);
    expect(gauge('floorwatch_dedupe_pending_ids')).toBe(0);
    // Nothing dropped for the budget: memory reaches back the window less the allowed future
    // skew (an event received before the window may carry a ts up to 5 minutes ahead).
    expect(gauge('floorwatch_dedupe_covers_seconds')).toBeGreaterThanOrEqual(899);
    expect(gauge('floorwatch_dedupe_covers_seconds')).toBeLessThanOrEqual(1200);
    expect(gauge('floorwatch_live_calls_held')).toBeGreaterThanOrEqual(1);
    expect(gauge('floorwatch_live_calls_folded_early')).toBe(0);
    expect(gauge('floorwatch_live_fold_horizon_seconds')).toBe(300);
  });

  it('answers a 20 MiB body with 413 and keeps serving', async () => {
    const line = JSON.stringify({
      id: 'big',
      ts: now,
      type: 'call.offered',
      site: 'big',
      call: 'c',
      queue: 'q',
    });
    const body = Buffer.alloc(20 * 1024 * 1024, line + '\n');
    const res = await api(server, `/api/events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-ndjson' },
      body,
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toMatch(
      /larger than the limit of 16777216 bytes/,
    );
    const health = await api(server, `/healthz`);
    expect(await health.json()).toEqual(
      expect.objectContaining({ status: 'ok', storage: 'embedded', uws: 'native' }),
    );
  });

  it('answers a 20 MiB WebSocket message with a plain error, stores nothing from it, and keeps the socket', async () => {
    const line = JSON.stringify({
      id: 'bigws',
      ts: now,
      type: 'call.offered',
      site: 'bigws',
      call: 'c',
      queue: 'q',
    });
    const p = await Producer.open(server.wsUrl);
    const big = await p.send([
      Array.from({ length: Math.ceil((20 * 1024 * 1024) / (line.length + 1)) }, () => line).join(
        '\n',
      ),
    ]);
    expect(big).toMatchObject({ seq: 1, accepted: 0 });
    expect(big.error).toMatch(
      /larger than the limit of 16777216 bytes; split it into smaller batches/,
    );
    // The same socket goes on: the next batch is stored.
    expect(await p.send([line])).toMatchObject({ seq: 2, accepted: 1 });
    p.close();
  });

  it('rejects over-long lines, non-UTF-8 and wrong types per line', async () => {
    const good = { id: 'l-1', ts: now - 1000, type: 'agent.login', site: 'limits', agent: 'a1' };
    const long = JSON.stringify({ ...good, id: 'l-2', name: 'n'.repeat(10_000) });
    const badUtf8 = Buffer.concat([
      Buffer.from('{"id":"l-3","ts":1,"type":"agent.login","site":"limits","agent":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}'),
    ]);
    const wrongType = JSON.stringify({ ...good, id: 'l-4', agent: 42 });
    const array = JSON.stringify([good]);
    const body = Buffer.concat([
      Buffer.from(JSON.stringify(good) + '\n' + long + '\n'),
      badUtf8,
      Buffer.from('\n' + wrongType + '\n' + array + '\n'),
    ]);
    const res = await api(server, `/api/events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-ndjson' },
      body,
    });
    const r = (await res.json()) as {
      accepted: number;
      rejected: { line: number; error: string }[];
    };
    expect(r.accepted).toBe(1);
    expect(r.rejected).toEqual([
      { line: 2, error: expect.stringMatching(/longer than the limit of 8192 bytes/) },
      { line: 3, error: 'line is not valid UTF-8' },
      { line: 4, error: 'field "agent" must be a string' },
      { line: 5, error: 'each line must be a JSON object' },
    ]);
  });
});
