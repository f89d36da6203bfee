// The interval report over stored closed days reads whole UTC quarter hours summed
// (interval_quarters, 0013) and only the partial quarters at the range's edges from the
// facts. The same report with nothing stored (every fact derived from the events, as for
// today) must give exactly the same rows: ranges that start and end inside a quarter, two
// UTC days, zones with DST changes and odd offsets, 15/30/60 minutes, one queue, and a site
// configuration (thresholds, short abandons, variants) changed after the days were built.
// Real embedded ClickHouse in this test process.
import { describe, expect, it } from 'vitest';
import type { Store } from '../../ingest/src/adapters/clickhouse/store.js';
import { isoInZone } from '../../ingest/src/adapters/http/range.js';
import type { FwEvent } from '../../ingest/src/core/contract.js';
import { createQueueEngine } from '../../ingest/src/core/queue/index.js';
import type { SiteConfig } from '../../ingest/src/core/site-config.js';
import { eventBlock, insertEventBlock, rowOf } from '../../ingest/src/pipeline/native-rows.js';
import { intervalsReport, type IntervalsParams } from '../../queries/index.js';
import { siteConfig, traffic } from '../unit/queue-helpers.js';
import { useTempStore } from '../helpers/store.js';

let store: Store;
useTempStore('fw_quarters', (s) => (store = s));

async function insert(events: FwEvent[]): Promise<void> {
  await insertEventBlock(store, eventBlock(events.map((e) => rowOf(e, 'test'))));
}

async function count(table: string, site: string): Promise<number> {
  const rs = await store.client.query({
    query: `SELECT count() AS n FROM ${store.database}.${table} WHERE site = {site:String}`,
    query_params: { site },
    format: 'JSONEachRow',
  });
  return Number(((await rs.json()) as { n: number | string }[])[0]?.n);
}

const T = (iso: string) => Date.parse(iso);

/** Stored (now: long after the days closed) and derived (now: before any day closed) reports. */
async function bothWays(p: Omit<IntervalsParams, 'now'>) {
  const stored = await intervalsReport(store, { ...p, now: T('2026-12-31T00:00:00Z') });
  const derived = await intervalsReport(store, { ...p, now: p.from });
  return { stored, derived };
}

describe('interval report over stored quarter hours', () => {
  const site = 'quarters1';
  // ~3 h of traffic across midnight UTC on the night New York falls back (06:00Z).
  // Plus two calls whose queue phase ends exactly on a quarter hour, and calls answered
  // after exactly a threshold (7 s, 20 s, 45 s: within) or 1 ms more (not within).
  const onQuarter = (call: string, q: string, end: string): FwEvent[] => [
    { id: `${call}-o`, site, type: 'call.offered', call, queue: q, ts: T(end) - 4_000 },
    { id: `${call}-a`, site, type: 'call.abandoned', call, queue: q, ts: T(end) },
  ];
  const answeredAfter = (call: string, q: string, at: string, waitMs: number): FwEvent[] => [
    { id: `${call}-o`, site, type: 'call.offered', call, queue: q, ts: T(at) - waitMs },
    { id: `${call}-a`, site, type: 'call.answered', call, queue: q, agent: 'ag-x', ts: T(at) },
  ];
  const events = [
    ...traffic(7, 8, 500, { start: T('2026-11-01T04:40:00Z'), site, prefix: 'qt-' }).events,
    ...onQuarter('qt-edge1', 'q1', '2026-11-01T05:15:00.000Z'),
    ...onQuarter('qt-edge2', 'q2', '2026-11-01T06:30:00.000Z'),
    ...[7_000, 7_001, 20_000, 20_001, 45_000, 45_001].flatMap((w, i) => [
      ...answeredAfter(`qt-thr-q1-${w}`, 'q1', `2026-11-01T05:2${i}:00.000Z`, w),
      ...answeredAfter(`qt-thr-q3-${w}`, 'q3', `2026-11-01T05:5${i}:00.000Z`, w),
    ]),
  ];
  const last = Math.max(...events.map((e) => e.ts));
  // Thresholds with fractions of a second (answered waits counted one by one) ...
  const changed = (tz: string): SiteConfig => ({
    ...siteConfig(
      { timezone: tz },
      {
        q1: { threshold_s: 7.5, variant: 'answered', short_abandon_s: 2.25 },
        q3: { threshold_s: 0, variant: 'with_abandons', short_abandon_s: 0 },
      },
    ),
    site,
    default_queue: { threshold_s: 33.001, target: 0.8, variant: 'default', short_abandon_s: 9 },
  });
  // ... and whole seconds per queue (the histogram of whole seconds).
  const wholeSeconds = (tz: string): SiteConfig => ({
    ...siteConfig(
      { timezone: tz },
      {
        q1: { threshold_s: 7, variant: 'answered', short_abandon_s: 2.25 },
        q2: { threshold_s: 1, variant: 'live', short_abandon_s: 1 },
      },
    ),
    site,
    default_queue: { threshold_s: 45, target: 0.8, variant: 'with_abandons', short_abandon_s: 12 },
  });

  it('builds quarter sums for each closed day with the facts', async () => {
    await insert(events);
    const cfg = { ...siteConfig({ timezone: 'America/New_York' }), site };
    await intervalsReport(store, {
      site,
      from: T('2026-10-31T00:00:00Z'),
      to: T('2026-11-03T00:00:00Z'),
      interval: 15,
      config: cfg,
      now: T('2026-12-31T00:00:00Z'),
    });
    expect(await count('interval_fact_days', site)).toBeGreaterThanOrEqual(2);
    expect(await count('interval_quarters', site)).toBeGreaterThan(20);
  });

  const cases: [
    string,
    string,
    string,
    string,
    15 | 30 | 60,
    'default' | 'fractions' | 'whole',
    string?,
  ][] = [
    [
      'whole range',
      'America/New_York',
      '2026-10-31T00:00:00Z',
      '2026-11-03T00:00:00Z',
      15,
      'default',
    ],
    ['whole range', 'Asia/Shanghai', '2026-10-31T00:00:00Z', '2026-11-03T00:00:00Z', 30, 'whole'],
    [
      'whole range',
      'Europe/Paris',
      '2026-10-31T00:00:00Z',
      '2026-11-03T00:00:00Z',
      60,
      'fractions',
    ],
    [
      'edges inside quarters',
      'America/New_York',
      '2026-11-01T04:52:13.457Z',
      '2026-11-01T07:08:59.001Z',
      30,
      'whole',
    ],
    [
      'edges inside quarters, +05:45',
      'Asia/Kathmandu',
      '2026-11-01T05:01:00.000Z',
      '2026-11-01T06:44:59.999Z',
      60,
      'fractions',
    ],
    [
      'range inside one quarter',
      'Europe/London',
      '2026-11-01T05:31:00.000Z',
      '2026-11-01T05:44:00.000Z',
      15,
      'default',
    ],
    [
      'one queue, +10:30/+11',
      'Australia/Lord_Howe',
      '2026-11-01T04:00:00.001Z',
      '2026-11-01T08:14:59.999Z',
      15,
      'whole',
      'q2',
    ],
    [
      'ends at a quarter start',
      'Asia/Kolkata',
      '2026-11-01T04:40:00.000Z',
      '2026-11-01T07:15:00.000Z',
      60,
      'fractions',
    ],
    [
      "facts on the edge quarters' starts",
      'Europe/Berlin',
      '2026-11-01T05:14:59.999Z',
      '2026-11-01T06:30:00.001Z',
      15,
      'default',
    ],
    [
      'starts on a fact at a quarter start',
      'UTC',
      '2026-11-01T05:15:00.000Z',
      '2026-11-01T06:30:00.000Z',
      30,
      'whole',
    ],
  ];
  it.each(cases)(
    '%s (%s, %s to %s, %i min, %s thresholds): stored equals derived',
    async (_name, tz, from, to, interval, thresholds, queue) => {
      const config =
        thresholds === 'fractions'
          ? changed(tz)
          : thresholds === 'whole'
            ? wholeSeconds(tz)
            : { ...siteConfig({ timezone: tz }), site };
      const { stored, derived } = await bothWays({
        site,
        from: T(from),
        to: T(to),
        interval,
        config,
        ...(queue ? { queue } : {}),
      });
      expect(derived.length).toBeGreaterThan(0);
      expect(stored).toEqual(derived);
    },
  );

  it('applies a configuration changed after the build, as the live engine does', async () => {
    const cfg: SiteConfig = { ...changed('America/New_York'), interval_minutes: 30 };
    const engine = createQueueEngine(site, cfg, { latenessMs: 10_000 });
    for (const ev of events) engine.apply(ev);
    const live = engine.intervals(last + 60_000);
    const rows = await intervalsReport(store, {
      site,
      from: T('2026-11-01T03:00:00Z'),
      to: last + 60_000,
      interval: 30,
      config: cfg,
      now: T('2026-12-31T00:00:00Z'),
    });
    const sql = rows.map((r) => ({
      interval_start: isoInZone(r.interval_start_ms, cfg.timezone),
      queue: r.queue,
      offered: r.offered,
      answered: r.answered,
      answered_within_threshold: r.answered_within_threshold,
      abandoned: r.abandoned,
      short_abandoned: r.short_abandoned,
    }));
    expect(sql).toEqual(
      live.map(
        ({
          interval_start,
          queue,
          offered,
          answered,
          answered_within_threshold,
          abandoned,
          short_abandoned,
        }) => ({
          interval_start,
          queue,
          offered,
          answered,
          answered_within_threshold,
          abandoned,
          short_abandoned,
        }),
      ),
    );
    live.forEach((l, i) => {
      for (const f of ['service_level', 'asa_s', 'aht_s', 'answer_rate'] as const) {
        const s = rows[i]?.[f] ?? null;
        if (l[f] === null) expect(s).toBeNull();
        else expect(Math.abs((s as number) - (l[f] as number))).toBeLessThanOrEqual(1e-9);
      }
    });
  });

  it('reads only the newest build of a day after a late event moves a call to another queue', async () => {
    // A late call.answered in q3, earlier than the call's own end: the call's queue phase now
    // ends there, so its row in the old build (other queue) must no longer count.
    const ended = events.find(
      (e) =>
        e.type === 'call.answered' &&
        'queue' in e &&
        e.queue !== 'q3' &&
        e.ts > T('2026-11-01T06:00:00Z'),
    ) as FwEvent & { call: string; queue: string };
    const offered = events.find(
      (e) => e.type === 'call.offered' && 'call' in e && e.call === ended.call,
    ) as FwEvent;
    const cfg = { ...siteConfig({ timezone: 'America/New_York' }), site };
    const p = {
      site,
      from: T('2026-11-01T04:00:00Z'),
      to: T('2026-11-01T09:00:00Z'),
      interval: 15 as const,
      config: cfg,
    };
    const offeredIn = (rows: { queue: string; offered: number }[], q?: string) =>
      rows.filter((r) => q === undefined || r.queue === q).reduce((n, r) => n + r.offered, 0);
    const before = (await bothWays(p)).stored;
    await insert([
      {
        ...ended,
        id: 'qt-late-answer',
        queue: 'q3',
        ts: Math.max(offered.ts, ended.ts - 1),
      } as FwEvent,
    ]);
    const { stored, derived } = await bothWays(p);
    expect(stored).toEqual(derived);
    expect(offeredIn(stored, 'q3')).toBe(offeredIn(before, 'q3') + 1);
    expect(offeredIn(stored, ended.queue)).toBe(offeredIn(before, ended.queue) - 1);
    expect(offeredIn(stored)).toBe(offeredIn(before));
    const versions = await store.client.query({
      query: `SELECT uniqExact(version) AS n FROM ${store.database}.interval_quarters WHERE site = {site:String} AND day = '2026-11-01'`,
      query_params: { site },
      format: 'JSONEachRow',
    });
    expect(Number(((await versions.json()) as { n: number | string }[])[0]?.n)).toBe(2);
  });
});
