// The interval report's SQL against the live engine, on the real embedded ClickHouse in
// this test process (one data folder for this process): the same random events go into
// the events table and into the engine; every row must agree, counts exactly and ratios
// to 1e-9, in several zones (two DST changes), interval lengths and per-queue settings.
// Also: every report in queries/reports/ is valid SQL against the migrated schema.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Store } from '../../ingest/src/adapters/clickhouse/store.js';
import { isoInZone } from '../../ingest/src/adapters/http/range.js';
import type { FwEvent } from '../../ingest/src/core/contract.js';
import type { IntervalRow } from '../../ingest/src/core/modules.js';
import { createQueueEngine } from '../../ingest/src/core/queue/index.js';
import type { SiteConfig } from '../../ingest/src/core/site-config.js';
import { eventBlock, insertEventBlock, rowOf } from '../../ingest/src/pipeline/native-rows.js';
import { REPORTS_DIR, intervalsReport, report } from '../../queries/index.js';
import { rng, siteConfig, traffic } from '../unit/queue-helpers.js';
import { useTempStore } from '../helpers/store.js';

let store: Store;
useTempStore('fw_intervals', (s) => (store = s));

const RATIOS = ['service_level', 'asa_s', 'aht_s', 'answer_rate'] as const;

/** Compares report rows with engine rows: same keys, counts exact, ratios within 1e-9. */
export function expectSameRows(sql: IntervalRow[], live: IntervalRow[]): void {
  const key = (r: IntervalRow) => `${r.interval_start}|${r.queue}`;
  expect(sql.map(key)).toEqual(live.map(key));
  live.forEach((l, i) => {
    const s = sql[i] as IntervalRow;
    for (const f of [
      'offered',
      'answered',
      'answered_within_threshold',
      'abandoned',
      'short_abandoned',
      'expired',
    ] as const)
      expect(s[f], `${key(l)} ${f}`).toBe(l[f]);
    for (const f of RATIOS) {
      if (l[f] === null) expect(s[f], `${key(l)} ${f}`).toBeNull();
      else
        expect(
          Math.abs((s[f] as number) - (l[f] as number)),
          `${key(l)} ${f}: sql ${s[f]} live ${l[f]}`,
        ).toBeLessThanOrEqual(1e-9);
    }
  });
}

async function insert(
  events: FwEvent[],
  late: (e: FwEvent) => boolean = () => false,
): Promise<void> {
  await insertEventBlock(store, eventBlock(events.map((e) => rowOf(e, 'test', late(e)))));
}

interface Scenario {
  name: string;
  site: string;
  start: string;
  cfg: Partial<SiteConfig>;
  queues?: Parameters<typeof siteConfig>[1];
}

const scenarios: Scenario[] = [
  { name: 'UTC, 15 min, defaults', site: 'utc15', start: '2026-11-23T08:00:00Z', cfg: {} },
  {
    name: 'New York spring forward, 60 min',
    site: 'ny60',
    start: '2026-03-08T05:40:00Z',
    cfg: { timezone: 'America/New_York', interval_minutes: 60 },
  },
  {
    name: 'New York fall back, 30 min',
    site: 'ny30',
    start: '2026-11-01T05:20:00Z',
    cfg: { timezone: 'America/New_York', interval_minutes: 30 },
  },
  {
    name: 'London fall back, 15 min',
    site: 'lon15',
    start: '2026-10-25T00:20:00Z',
    cfg: { timezone: 'Europe/London', interval_minutes: 15 },
  },
  {
    name: 'Kolkata (+05:30), 60 min, per-queue thresholds and variants',
    site: 'kol60',
    start: '2026-11-23T03:10:00Z',
    cfg: { timezone: 'Asia/Kolkata', interval_minutes: 60 },
    queues: {
      q1: { threshold_s: 15, variant: 'answered', short_abandon_s: 3 },
      q2: { variant: 'with_abandons' },
      q3: { variant: 'live', threshold_s: 30 },
    },
  },
];

describe('interval report SQL equals the live engine', () => {
  it.each(scenarios)('$name', async ({ site, start, cfg: over, queues }) => {
    const cfg = { ...siteConfig(over, queues), site };
    const { events } = traffic(site.length * 7 + 1, 8, 400, {
      start: Date.parse(start),
      site,
      prefix: `${site}-`,
    });
    const engine = createQueueEngine(site, cfg, { latenessMs: 10_000 });
    // Arrival order: each event held back up to 10 s, and 5% of them up to 3 min (late).
    const r = rng(42);
    const arrival = events
      .map((ev) => ({ ev, at: ev.ts + Math.floor(r() * (r() < 0.05 ? 180_000 : 10_000)) }))
      .sort((a, b) => a.at - b.at)
      .map((x) => x.ev);
    for (const ev of arrival) engine.apply(ev);
    // Stored in two batches in arrival order, as ingest would.
    await insert(arrival.slice(0, 1000));
    await insert(arrival.slice(1000));
    const last = Math.max(...events.map((e) => e.ts));
    const now = last + 60_000;
    const live = engine.intervals(now);
    expect(live.reduce((n, x) => n + x.offered, 0)).toBeGreaterThan(300);
    expect(live.filter((x) => x.aht_s !== null).length).toBeGreaterThan(2);
    const first = Date.parse(start) - 3_600_000;
    const rows = await intervalsReport(store, {
      site,
      from: first,
      to: now,
      interval: cfg.interval_minutes,
      config: cfg,
    });
    const sql: IntervalRow[] = rows.map((x) => ({
      ...x,
      interval_start: isoInZone(x.interval_start_ms, cfg.timezone),
    }));
    expectSameRows(
      sql.map(
        ({
          interval_start,
          queue,
          offered,
          answered,
          answered_within_threshold,
          abandoned,
          short_abandoned,
          service_level,
          asa_s,
          aht_s,
          answer_rate,
          expired,
        }) => ({
          interval_start,
          queue,
          offered,
          answered,
          answered_within_threshold,
          abandoned,
          short_abandoned,
          service_level,
          asa_s,
          aht_s,
          answer_rate,
          expired,
        }),
      ),
      live,
    );
    // One queue only.
    const q2 = await intervalsReport(store, {
      site,
      from: first,
      to: now,
      interval: cfg.interval_minutes,
      config: cfg,
      queue: 'q2',
    });
    expect(q2.map((x) => x.queue).every((q) => q === 'q2')).toBe(true);
    expect(q2.length).toBe(live.filter((x) => x.queue === 'q2').length);
  });
});

describe('stored facts of closed days', () => {
  it('are built once a day is closed, used by the report, and rebuilt when a late event arrives for the day', async () => {
    const site = 'closed1';
    const cfg = { ...siteConfig({ timezone: 'Europe/London' }), site };
    const { events } = traffic(99, 4, 120, {
      start: Date.parse('2026-06-10T08:00:00Z'),
      site,
      prefix: 'cl-',
    });
    await insert(events);
    const from = Date.parse('2026-06-09T23:00:00Z');
    const to = Date.parse('2026-06-10T23:00:00Z');
    const run = async () =>
      (await intervalsReport(store, { site, from, to, interval: 30, config: cfg })).map((x) => ({
        ...x,
        interval_start: isoInZone(x.interval_start_ms, cfg.timezone),
      }));
    const engineRows = (evs: FwEvent[]) => {
      const e = createQueueEngine(site, { ...cfg, interval_minutes: 30 }, { latenessMs: 10_000 });
      for (const ev of evs) e.apply(ev);
      return e.intervals(Date.parse('2026-06-10T12:00:00Z'));
    };
    const pick = (rows: IntervalRow[]) =>
      rows.map(
        ({
          interval_start,
          queue,
          offered,
          answered,
          answered_within_threshold,
          abandoned,
          short_abandoned,
          service_level,
          asa_s,
          aht_s,
          answer_rate,
          expired,
        }) => ({
          interval_start,
          queue,
          offered,
          answered,
          answered_within_threshold,
          abandoned,
          short_abandoned,
          service_level,
          asa_s,
          aht_s,
          answer_rate,
          expired,
        }),
      );
    expectSameRows(pick(await run()), engineRows(events));
    const built = await store.client.query({
      query: `SELECT count() AS n FROM ${store.database}.interval_fact_days WHERE site = {site:String}`,
      query_params: { site },
      format: 'JSONEachRow',
    });
    expect(await built.json()).toEqual([{ n: 2 }]); // 2026-06-09 and 2026-06-10 (UTC days touched by the range)
    const stored = await store.client.query({
      query: `SELECT count() AS n FROM ${store.database}.interval_facts WHERE site = {site:String}`,
      query_params: { site },
      format: 'JSONEachRow',
    });
    expect(Number(((await stored.json()) as { n: number | string }[])[0]?.n)).toBeGreaterThan(100);
    // A call of that day arrives months later: the day is rebuilt and the report counts it.
    const late: FwEvent[] = [
      {
        id: 'late-o',
        site,
        type: 'call.offered',
        call: 'late-c',
        queue: 'q1',
        ts: Date.parse('2026-06-10T09:00:00Z'),
      },
      {
        id: 'late-a',
        site,
        type: 'call.abandoned',
        call: 'late-c',
        queue: 'q1',
        ts: Date.parse('2026-06-10T09:00:30Z'),
      },
    ];
    await insert(late);
    const after = pick(await run());
    expectSameRows(after, engineRows([...events, ...late]));
    expect(after.reduce((n, x) => n + x.abandoned, 0)).toBe(
      engineRows(events).reduce((n, x) => n + x.abandoned, 0) + 1,
    );
  });
});

/** A neutral value for each parameter type, so EXPLAIN can bind every placeholder. */
function sampleValue(type: string): unknown {
  if (type.startsWith('Array(')) return [];
  if (type.startsWith('DateTime')) return '2026-01-01 00:00:00.000';
  if (type.startsWith('Date')) return '2026-01-01';
  if (/^U?Int|^Float|^Decimal/.test(type)) return 1;
  return 'UTC'; // a valid time zone, site or queue name alike
}

describe('every report in queries/reports/ is valid against the migrated schema', () => {
  const files = readdirSync(REPORTS_DIR).filter((f) => f.endsWith('.sql'));
  it('has reports', () => expect(files).toContain('intervals.sql'));
  it.each(files)('EXPLAIN %s', async (file) => {
    const name = file.replace(/\.sql$/, '');
    // A bare {fragment} placeholder inlines the report file whose name ends with it
    // ({agent_days} -> conformance-agent-days.sql), as the typed functions do.
    const strip = (q: string) => q.replace(/--[^\n]*/g, '');
    // Inlined fragments may hold placeholders of their own ({facts} -> {calls}).
    const inline = (q: string): string =>
      q.replace(/\{([a-z_]+)\}/g, (whole, frag: string) => {
        const f = files.find((x) => x.endsWith(`${frag.replaceAll('_', '-')}.sql`));
        return f ? inline(strip(report(f.replace(/\.sql$/, ''), store.database))) : whole;
      });
    const sql = inline(strip(report(name, store.database)));
    // EXPLAIN takes only SELECT: an INSERT ... SELECT file is checked through its SELECT.
    const insert = /^\s*INSERT INTO\s+(\S+)/i.exec(sql);
    const select = insert ? sql.slice(sql.search(/^SELECT/m)) : sql;
    if (insert) {
      const exists = await store.client.query({
        query: `EXISTS TABLE ${insert[1] as string}`,
        format: 'JSONEachRow',
      });
      expect(await exists.json()).toEqual([{ result: 1 }]);
    }
    const params: Record<string, unknown> = {};
    for (const m of sql.matchAll(/\{(\w+):([^}]+)\}/g))
      params[m[1] as string] = sampleValue(m[2] as string);
    const rs = await store.client.query({
      query: `EXPLAIN ${select}`,
      query_params: params,
      format: 'JSONEachRow',
    });
    expect((await rs.json()).length).toBeGreaterThan(0);
  });
});

describe('every ingest query in queries/ingest/ (re-derivation after a crash included) is valid against the migrated schema', () => {
  const dir = path.join(REPORTS_DIR, '../ingest');
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql'));
  it('has one re-derivation per derived table', () =>
    expect(files.filter((f) => f.startsWith('rederive-')).sort()).toEqual([
      'rederive-agent-last-events.sql',
      'rederive-calls-facts.sql',
    ]));
  it.each(files)('EXPLAIN %s', async (file) => {
    const sql = readFileSync(path.join(dir, file), 'utf8')
      .replaceAll('{db}', store.database)
      .replace(/--[^\n]*/g, '');
    const insert = /^\s*INSERT INTO\s+(\S+)/i.exec(sql);
    const select = insert ? sql.slice(sql.search(/^(WITH|SELECT)/m)) : sql;
    if (insert) {
      const exists = await store.client.query({
        query: `EXISTS TABLE ${insert[1] as string}`,
        format: 'JSONEachRow',
      });
      expect(await exists.json()).toEqual([{ result: 1 }]);
    }
    const params: Record<string, unknown> = {};
    for (const m of sql.matchAll(/\{(\w+):([^}]+)\}/g))
      params[m[1] as string] = sampleValue(m[2] as string);
    const rs = await store.client.query({
      query: `EXPLAIN ${select}`,
      query_params: params,
      format: 'JSONEachRow',
    });
    expect((await rs.json()).length).toBeGreaterThan(0);
  });
});
