// Many producers at once and a shutdown under load: every event arrives exactly once,
// and every acknowledged event survives SIGTERM.
import { afterAll, describe, expect, it } from 'vitest';
import { Producer } from '../helpers/producer.js';
import { api, readMetrics, startServer, type TestServer } from '../helpers/server.js';

const servers: TestServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.dispose();
});

function events(site: string, producer: number, from: number, count: number, now: number) {
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    return {
      id: `p${producer}-${n}`,
      ts: now - 600_000 + (n % 500_000),
      type: 'call.offered',
      site,
      call: `p${producer}-c${n}`,
      queue: `q${n % 7}`,
    };
  });
}

async function stats(server: TestServer, site: string) {
  return (await (await api(server, `/api/events/stats?site=${site}`)).json()) as {
    events: number;
    distinct_ids: number;
  };
}

describe('ingest under load', () => {
  it('stores 100,000 events from 4 concurrent WebSocket producers exactly once', async () => {
    const server = await startServer();
    servers.push(server);
    const site = 'load4';
    const now = Date.now();
    const perProducer = 25_000;
    const batch = 500;
    const acked = await Promise.all(
      [0, 1, 2, 3].map(async (p) => {
        const prod = await Producer.open(server.wsUrl, `load-${p}`);
        let accepted = 0;
        const inflight: Promise<void>[] = [];
        for (let off = 0; off < perProducer; off += batch) {
          inflight.push(
            prod.send(events(site, p, off, batch, now)).then((r) => void (accepted += r.accepted)),
          );
          // Keep a bounded window of unacknowledged batches, as a well-behaved producer does.
          if (inflight.length >= 16) await inflight.shift();
        }
        await Promise.all(inflight);
        // Resend the first batch: all duplicates.
        const again = await prod.send(events(site, p, 0, batch, now));
        expect(again).toMatchObject({ accepted: 0, duplicates: batch });
        prod.close();
        return accepted;
      }),
    );
    expect(acked).toEqual([perProducer, perProducer, perProducer, perProducer]);
    expect(await stats(server, site)).toEqual({
      site,
      events: 100_000,
      distinct_ids: 100_000,
      late: expect.any(Number),
    });
  });

  it('with a dedupe budget far below the traffic, a resend of every batch is all duplicates and nothing is stored twice', async () => {
    // 1,000 ids in memory for 20,000 events: the older ids leave memory, the floor rises,
    // and the resends of those events are answered from the store.
    const server = await startServer({ env: { FLOORWATCH_DEDUPE_MAX_IDS: '1000' } });
    servers.push(server);
    const site = 'budget';
    const now = Date.now();
    const perProducer = 5_000;
    const batch = 250;
    const send = async (prod: Producer, p: number) => {
      const replies = [];
      for (let off = 0; off < perProducer; off += batch)
        replies.push(await prod.send(events(site, p, off, batch, now)));
      return replies;
    };
    const prods = await Promise.all(
      [0, 1, 2, 3].map((p) => Producer.open(server.wsUrl, `budget-${p}`)),
    );
    const first = await Promise.all(prods.map((prod, p) => send(prod, p)));
    for (const replies of first)
      expect(replies.reduce((n, r) => n + r.accepted, 0)).toBe(perProducer);
    const again = await Promise.all(prods.map((prod, p) => send(prod, p)));
    for (const replies of again) {
      expect(replies.reduce((n, r) => n + r.duplicates, 0)).toBe(perProducer);
      expect(replies.reduce((n, r) => n + r.accepted, 0)).toBe(0);
    }
    for (const prod of prods) prod.close();
    expect(await stats(server, site)).toEqual({
      site,
      events: 20_000,
      distinct_ids: 20_000,
      late: expect.any(Number),
    });
    // /metrics shows the budget at work: at most 1,000 ids covered, reaching back less than the horizon.
    const gauge = await readMetrics(server);
    expect(gauge('floorwatch_dedupe_ids')).toBeLessThanOrEqual(1000);
    expect(gauge('floorwatch_dedupe_covers_seconds')).toBeLessThan(1200);
  });

  it('with a small budget, an id resent with a different ts (1 s or 25 min apart, either order) is stored once', async () => {
    const server = await startServer({ env: { FLOORWATCH_DEDUPE_MAX_IDS: '1000' } });
    servers.push(server);
    const site = 'retime';
    const t = Date.now() - 60_000;
    const ev = (id: string, ts: number) => ({
      id,
      ts: new Date(ts).toISOString(),
      type: 'call.offered',
      site,
      call: `c-${id}`,
      queue: 'q1',
    });
    // [first ts, second ts] per id.
    const pairs: [number, number][] = [
      [t, t - 1000],
      [t - 1000, t],
      [t, t - 25 * 60_000],
      [t - 25 * 60_000, t],
    ];
    const prod = await Producer.open(server.wsUrl, 'retime');
    for (const phase of ['held', 'evicted']) {
      const ids = pairs.map((_, i) => `${phase}-${i}`);
      expect(await prod.send(pairs.map(([a], i) => ev(ids[i] as string, a)))).toMatchObject({
        accepted: 4,
        duplicates: 0,
      });
      if (phase === 'evicted') {
        // 3,000 newer events push the first copies out of memory (budget 1,000).
        for (let b = 0; b < 6; b++) {
          const r = await prod.send(
            Array.from({ length: 500 }, (_, i) => ev(`fill-${b}-${i}`, t + 30_000 + i)),
          );
          expect(r.accepted).toBe(500);
        }
      }
      expect(await prod.send(pairs.map(([, b], i) => ev(ids[i] as string, b)))).toMatchObject({
        accepted: 0,
        duplicates: 4,
      });
    }
    prod.close();
    expect(await stats(server, site)).toEqual({
      site,
      events: 3008,
      distinct_ids: 3008,
      late: expect.any(Number),
    });
  });

  it('three producers racing to send the same 10,000 events store each once: one copy is accepted, the others counted as duplicates', async () => {
    // Resends arrive while the first copy is still being inserted (pending), just after it
    // committed (the filters say "maybe" and the store is asked), or long after.
    const server = await startServer();
    servers.push(server);
    const site = 'race';
    const now = Date.now();
    const all = events(site, 9, 0, 10_000, now);
    const run = async (name: string, order: number[]) => {
      const prod = await Producer.open(server.wsUrl, name);
      let accepted = 0;
      let duplicates = 0;
      const inflight: Promise<void>[] = [];
      for (const b of order) {
        inflight.push(
          prod
            .send(all.slice(b * 200, b * 200 + 200))
            .then((r) => void ((accepted += r.accepted), (duplicates += r.duplicates))),
        );
        if (inflight.length >= 8) await inflight.shift();
      }
      await Promise.all(inflight);
      prod.close();
      return { accepted, duplicates };
    };
    const batches = Array.from({ length: 50 }, (_, i) => i);
    const [a, b, c] = await Promise.all([
      run('race-a', batches),
      run('race-b', [...batches].reverse()),
      run(
        'race-c',
        batches.map((i) => (i * 7) % 50),
      ),
    ]);
    expect(a.accepted + b.accepted + c.accepted).toBe(10_000);
    expect(a.duplicates + b.duplicates + c.duplicates).toBe(20_000);
    expect(await stats(server, site)).toEqual({
      site,
      events: 10_000,
      distinct_ids: 10_000,
      late: expect.any(Number),
    });
  });

  it('loses no acknowledged event when stopped with SIGTERM under load', async () => {
    let server = await startServer();
    servers.push(server);
    const site = 'sigterm';
    const now = Date.now();
    const ackedIds = new Set<string>();
    const producers = await Promise.all(
      [0, 1].map((p) => Producer.open(server.wsUrl, `term-${p}`)),
    );
    let stopped = false;
    const runs = producers.map(async (prod, p) => {
      for (let off = 0; !stopped && off < 1_000_000; off += 200) {
        const evs = events(site, p, off, 200, now);
        try {
          const r = await prod.send(evs);
          if (r.accepted + r.duplicates === evs.length) for (const e of evs) ackedIds.add(e.id);
        } catch {
          return; // the socket closed: the rest was never acknowledged
        }
      }
    });
    // Stop once a good amount has been acknowledged, while batches are still in flight.
    while (ackedIds.size < 20_000) await new Promise((r) => setTimeout(r, 20));
    const code = await server.stop('SIGTERM');
    stopped = true;
    await Promise.all(runs);
    expect(code).toBe(0);
    // Every batch the server read got a reply (stored, or a retryable error), and refused
    // batches log no stack traces.
    const done = server.logs.find((l) => l.includes('shut down cleanly')) ?? '';
    const counts = JSON.parse(done) as { wsBatchesRead: number; wsBatchesAnswered: number };
    expect(counts.wsBatchesRead).toBeGreaterThan(0);
    expect(counts.wsBatchesAnswered).toBe(counts.wsBatchesRead);
    expect(server.logs.filter((l) => l.includes('"stack"'))).toEqual([]);
    server = await startServer({ dataDir: server.dataDir });
    servers.push(server);
    const st = await stats(server, site);
    expect(st.events).toBe(st.distinct_ids);
    expect(st.events).toBeGreaterThanOrEqual(ackedIds.size);
    // Every acknowledged id is stored: page through the stored ids.
    const stored = new Set<string>();
    for (let offset = 0; offset < st.events; offset += 50_000) {
      const page = (await (
        await api(server, `/api/events?site=${site}&limit=50000&offset=${offset}`)
      ).json()) as { events: { id: string }[] };
      for (const e of page.events) stored.add(e.id);
    }
    const missing = [...ackedIds].filter((id) => !stored.has(id));
    expect(missing).toEqual([]);
  });
});
