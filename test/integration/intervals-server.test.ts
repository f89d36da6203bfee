// The acceptance property test of the interval report, through the real server: thousands
// of random events go to POST /api/events in shuffled order, some late, some resent; then
// for every interval and queue of today, GET /api/reports/intervals (SQL over the stored
// events) equals the server's live engine (GET /api/live/intervals) and an engine run in
// this process over the same events: counts exactly, ratios to 1e-9. Some calls never end
// or end after the site's call expiry: each queue's `expired` today on the board
// (GET /api/live) equals the sum of the report's `expired` over the day.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FwEvent } from '../../ingest/src/core/contract.js';
import type { IntervalRow } from '../../ingest/src/core/modules.js';
import { createQueueEngine, operatingDay } from '../../ingest/src/core/queue/index.js';
import type { SiteConfig } from '../../ingest/src/core/site-config.js';
import { parseSiteConfig } from '../../ingest/src/core/site-config-validate.js';
import { api, postEvents, startServer, waitFor, type TestServer } from '../helpers/server.js';
import { Ev, rng, traffic } from '../unit/queue-helpers.js';

const SITE = 'prop-intervals';
let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.dispose();
});

/** A zone where it is now at least 4 h into the local day, so 2 h of traffic fit in "today". */
function zoneWithRoom(now: number): string {
  for (const z of [
    'UTC',
    'Asia/Shanghai',
    'America/New_York',
    'Asia/Kolkata',
    'America/Los_Angeles',
    'Pacific/Auckland',
  ]) {
    if (now - operatingDay(now, z, '00:00').start > 4 * 3_600_000) return z;
  }
  return 'UTC';
}

function expectSame(a: IntervalRow[], b: IntervalRow[], what: string): void {
  const key = (r: IntervalRow) => `${r.interval_start}|${r.queue}`;
  expect(a.map(key), what).toEqual(b.map(key));
  b.forEach((r, i) => {
    const s = a[i] as IntervalRow;
    for (const f of [
      'offered',
      'answered',
      'answered_within_threshold',
      'abandoned',
      'short_abandoned',
      'expired',
    ] as const)
      expect(s[f], `${what} ${key(r)} ${f}`).toBe(r[f]);
    for (const f of ['service_level', 'asa_s', 'aht_s', 'answer_rate'] as const) {
      if (r[f] === null) expect(s[f], `${what} ${key(r)} ${f}`).toBeNull();
      else
        expect(
          Math.abs((s[f] as number) - (r[f] as number)),
          `${what} ${key(r)} ${f}: ${s[f]} vs ${r[f]}`,
        ).toBeLessThanOrEqual(1e-9);
    }
  });
}

async function getJson<T>(path: string): Promise<T> {
  const res = await api(server, path);
  const body = (await res.json()) as T;
  expect(res.status, `${path}: ${JSON.stringify(body).slice(0, 300)}`).toBe(200);
  return body;
}

describe('GET /api/reports/intervals equals the live engine', () => {
  it('for every interval and queue of today, after shuffled, late and resent events', async () => {
    const now = Date.now();
    const timezone = zoneWithRoom(now);
    const body = {
      timezone,
      interval_minutes: 15,
      call_expiry_s: 1800,
      queues: {
        q1: { threshold_s: 15, variant: 'answered', short_abandon_s: 3 },
        q2: { variant: 'with_abandons' },
        q3: { variant: 'live', threshold_s: 30 },
      },
    };
    const put = await api(server, `/api/sites/${SITE}`, {
      method: 'PUT',
      body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(put.status).toBe(200);
    const cfg: SiteConfig = parseSiteConfig(SITE, body);

    // ~2 h of traffic from 2.5 h ago: 10 agents, 700 calls, about 4,000 events.
    const start = now - 150 * 60_000;
    const { events } = traffic(20261123, 10, 700, { start, site: SITE, prefix: `${now}-` });
    // Calls whose end is lost or late (expiry 30 min): 16 with deadlines from 2 h to 30 min
    // ago, a quarter of them answered after the deadline, one overflowed; and 2 whose
    // deadline is 25 min ahead (not expired yet, still waiting).
    const lost = new Ev(SITE, `${now}-x`);
    for (let i = 0; i < 18; i++) {
      const call = `lost${i}`;
      const q = ['q1', 'q2', 'q3'][i % 3] as string;
      const off = i < 16 ? start + i * 6 * 60_000 : now - 5 * 60_000;
      lost.offered(call, q, off);
      if (i === 5) lost.overflowed(call, q, 'q1', off + 60_000);
      if (i % 4 === 1 && i < 16) lost.answered(call, q, 'ag0', off + 1_800_000 + 90_000);
    }
    events.push(...lost.list);
    const past = events.filter((e) => e.ts <= now);
    expect(past.length).toBeGreaterThan(3500);

    // Arrival: each event held back up to 10 s of event time, 3% of them up to 3 min
    // (later than the 10 s lateness window); 5% are sent again in a later batch.
    const r = rng(7);
    const arrival = past
      .map((ev) => ({ ev, at: ev.ts + Math.floor(r() * (r() < 0.03 ? 180_000 : 10_000)) }))
      .sort((x, y) => x.at - y.at)
      .map((x) => x.ev);
    const toWire = (e: FwEvent) => ({
      ...e,
      ts: DateTime.fromMillis(e.ts, { zone: timezone }).toISO(),
    });
    let accepted = 0;
    let duplicates = 0;
    const resend: FwEvent[] = [];
    for (let i = 0; i < arrival.length; i += 250) {
      const batch = arrival.slice(i, i + 250);
      const lines = [...batch, ...resend.splice(0)].map(toWire);
      for (const e of batch) if (r() < 0.05) resend.push(e);
      const res = await postEvents(server, lines);
      expect(res.status).toBe(200);
      expect(res.body.rejected).toEqual([]);
      accepted += res.body.accepted;
      duplicates += res.body.duplicates;
    }
    if (resend.length) duplicates += (await postEvents(server, resend.map(toWire))).body.duplicates;
    expect(accepted).toBe(past.length);
    expect(duplicates).toBeGreaterThan(100);

    // The same events, in the same arrival order (resent ones included), in this process.
    const mine = createQueueEngine(SITE, cfg, { latenessMs: 10_000 });
    for (const e of arrival) mine.apply(e);
    const asOf = Date.now();
    const expected = mine.intervals(asOf);
    const total = expected.reduce((n, x) => n + x.offered, 0);
    expect(total).toBeGreaterThan(500);
    expect(expected.filter((x) => x.aht_s !== null).length).toBeGreaterThan(10);

    // Live on the server: applied after commit; wait until it has every call.
    const live = await waitFor(async () => {
      const b = await getJson<{ rows: IntervalRow[] }>(`/api/live/intervals?site=${SITE}`);
      return b.rows.reduce((n, x) => n + x.offered, 0) === total ? b.rows : null;
    });
    expectSame(live, expected, 'server live vs in-process engine');

    const day = operatingDay(asOf, timezone, '00:00');
    const q = (p: Record<string, string>) =>
      new URLSearchParams({
        site: SITE,
        from: DateTime.fromMillis(day.start, { zone: timezone }).toISODate() ?? '',
        to: DateTime.fromMillis(day.end, { zone: timezone }).toISODate() ?? '',
        ...p,
      });
    const report = await getJson<{
      rows: IntervalRow[];
      timezone: string;
      interval_minutes: number;
    }>(`/api/reports/intervals?${q({ interval: '15' })}`);
    expect(report.timezone).toBe(timezone);
    expectSame(report.rows, expected, 'SQL report vs live');
    expectSame(report.rows, live, 'SQL report vs server live');

    // Expired today on the board equals the report's expired summed over the day, per queue.
    const board = await getJson<{ queues: { queue: string; today: { expired: number } }[] }>(
      `/api/live?site=${SITE}`,
    );
    const fromReport: Record<string, number> = {};
    for (const x of report.rows) fromReport[x.queue] = (fromReport[x.queue] ?? 0) + x.expired;
    const onBoard = Object.fromEntries(board.queues.map((x) => [x.queue, x.today.expired]));
    expect(onBoard, 'live today expired vs report').toEqual(fromReport);
    expect(Object.values(onBoard).reduce((a, b) => a + b, 0)).toBe(16);

    // 60-minute intervals and one queue: an engine configured that way agrees too.
    const hourly = createQueueEngine(
      SITE,
      { ...cfg, interval_minutes: 60 },
      { latenessMs: 10_000 },
    );
    for (const e of arrival) hourly.apply(e);
    const report60 = await getJson<{ rows: IntervalRow[] }>(
      `/api/reports/intervals?${q({ interval: '60', queue: 'q3' })}`,
    );
    expectSame(
      report60.rows,
      hourly.intervals(asOf).filter((x) => x.queue === 'q3'),
      'SQL hourly q3 vs engine',
    );
    expect(report60.rows.length).toBeGreaterThan(1);
  });

  it('answers a bad request with a clear 400', async () => {
    const bad = await api(
      server,
      `/api/reports/intervals?site=${SITE}&from=2026-01-02&to=2026-01-01`,
    );
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/after "from"/);
    const badInterval = await api(
      server,
      `/api/reports/intervals?site=${SITE}&from=2026-01-01&to=2026-01-02&interval=20`,
    );
    expect(badInterval.status).toBe(400);
    expect(((await badInterval.json()) as { error: string }).error).toMatch(/15, 30 or 60/);
  });
});
