// Property test of history: stored report facts never go stale. Seeded random sites (calls,
// agent events, rosters, excused time) go in through the real ingest pipeline, the sites at
// once, in random batch sizes and orders, with resends and reports racing the inserts; after
// each site's last step, and after a random one in eight before it (a full comparison builds
// every touched day's facts, seconds of CPU each, and the test must stay well under a minute
// in CI), each report served from stored facts (intervals at 15/30/60 min with every SL
// variant, conformance, adherence, attendance) must equal the same report recomputed from the
// raw `events` table alone. Some calls never end, or end only after the site's call expiry:
// the interval report's `expired` must also equal a count made here in plain code. Then each
// day's late events go in while race lanes add calls, each asked for by two reports at once
// that must count it. The background facts warmer builds days all the while. Real embedded
// ClickHouse in this process. A failing case prints its seed; FW_PROP_SEED=<n> replays one
// seed, FW_PROP_CASES=<n> tries more cases, FW_PROP_ROUNDS=<n> sets the calls per race lane and
// FW_PROP_LANES=<n> the lanes per late day.
import { DateTime } from 'luxon';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import type { Store } from '../../ingest/src/adapters/clickhouse/store.js';
import {
  insertExcused,
  insertRoster,
} from '../../ingest/src/adapters/clickhouse/workforce-store.js';
import { readConfig } from '../../ingest/src/config.js';
import type { FwEvent } from '../../ingest/src/core/contract.js';
import {
  callExpiryMs,
  defaultSiteConfig,
  type SiteConfig,
} from '../../ingest/src/core/site-config.js';
import { dayStartMs } from '../../ingest/src/core/workforce/time.js';
import { IngestService } from '../../ingest/src/pipeline/ingest-service.js';
import { FactsWarmer } from '../../ingest/src/runtime/facts-warmer.js';
import {
  adherenceReport,
  attendanceReport,
  conformanceReport,
  ensureIntervalFacts,
  intervalsReport,
} from '../../queries/index.js';
import { openTempStore, type TempStore } from '../helpers/store.js';
import { Ev, rng, traffic } from '../unit/queue-helpers.js';
import { randomWorkforce } from './workforce-model.js';

const ZONES = ['UTC', 'Asia/Jerusalem', 'Asia/Kolkata', 'America/New_York', 'Pacific/Chatham'];
const FIRST_DAYS = ['2026-02-10', '2026-10-24', '2026-11-20'];
const CASES = Number(process.env['FW_PROP_CASES'] ?? 2);
/** New calls per race lane while the late events go in (see lateRaces), a minute apart: at most an hour's. */
const ROUNDS = Math.min(60, Number(process.env['FW_PROP_ROUNDS'] ?? 4));
/** Race lanes per late day, each on its own queue (r1, r2, ...). */
const LANES = Number(process.env['FW_PROP_LANES'] ?? 1);
const ONLY = process.env['FW_PROP_SEED'];

interface Site {
  site: string;
  cfg: SiteConfig;
  days: string[];
  from: number;
  to: number;
  now: number;
  lines: string[];
  /** Each day's late events (its newest calls), sent after everything else, one day at a time. */
  late: { day: string; from: number; to: number; lines: string[] }[];
}

/** A random site: 2-3 operating days of calls (some crossing midnight) and rostered agents. */
async function randomSite(store: Store, seed: number): Promise<Site> {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const site = `prop${seed}`;
  const zone = pick(ZONES);
  const cfg = defaultSiteConfig(site);
  cfg.timezone = zone;
  // One queue per SL variant, with random thresholds (a fractional one now and then).
  const variants = ['default', 'answered', 'with_abandons', 'live'] as const;
  // A call expiry from the shortest allowed to two hours (deadlines cross midnight sometimes).
  cfg.call_expiry_s = pick([60, 300, 1800, 3600, 7200]);
  const expiryMs = callExpiryMs(cfg);
  ['q1', 'q2', 'q3'].forEach((q, i) => {
    cfg.queues[q] = {
      ...cfg.default_queue,
      variant: variants[(i + seed) % 4] as SiteConfig['default_queue']['variant'],
      threshold_s: 5 + Math.floor(r() * 30) + (r() < 0.2 ? 0.5 : 0),
      short_abandon_s: 2 + Math.floor(r() * 6),
    };
  });
  const first = pick(FIRST_DAYS);
  const n = 2 + Math.floor(r() * 2);
  const days = Array.from(
    { length: n },
    (_, i) => DateTime.fromISO(first, { zone }).plus({ days: i }).toISODate() as string,
  );
  const now = DateTime.fromISO(days[n - 1] as string, { zone })
    .plus({ days: 3 })
    .toMillis();
  const events: FwEvent[] = [];
  const lateEvents: FwEvent[][] = [];
  days.forEach((day, i) => {
    // Calls from a random local hour, some running past midnight into the next day.
    const start = DateTime.fromISO(`${day}T00:00`, { zone })
      .plus({ hours: pick([1, 9, 16, 21, 23]), minutes: Math.floor(r() * 60) })
      .toMillis();
    // Call ids are unique per site (the generator numbers each day's calls from c0).
    const dayEvents = traffic(seed * 101 + i, 3 + Math.floor(r() * 3), 10 + Math.floor(r() * 25), {
      start,
      site,
      prefix: `d${i}-`,
    }).events;
    dayEvents.push(...neverEnding(r, site, i, start, expiryMs));
    const renamed = dayEvents
      .map((e) => ('call' in e ? ({ ...e, call: `d${i}-${e.call}` } as FwEvent) : e))
      .sort((a, b) => a.ts - b.ts);
    // The newest tenth to third of the day's events arrive late, after every other batch.
    const cut = Math.floor(renamed.length * (0.67 + r() * 0.23));
    events.push(...renamed.slice(0, cut));
    lateEvents.push(renamed.slice(cut));
  });
  const plan = randomWorkforce({ seed, site, zone, agents: 2 + Math.floor(r() * 3), days, now });
  events.push(...(plan.events as unknown as FwEvent[]));
  const agentDays = [
    ...new Map(
      plan.segs.map((s) => [`${s.agent}|${s.day}`, { agent: s.agent, day: s.day }]),
    ).values(),
  ];
  await insertRoster(store, site, plan.segs, agentDays, 0, now - 86_400_000, 'json');
  await insertExcused(
    store,
    site,
    plan.excusedMs.map((x, i) => ({
      id: `x${seed}-${i}`,
      ...x,
      reason: 'outage',
      entered_by: 'lead',
      entered_at: now - 86_400_000,
    })),
  );
  events.sort((a, b) => a.ts - b.ts);
  return {
    site,
    cfg,
    days,
    from: dayStartMs(days[0] as string, zone, cfg.day_start),
    to: dayStartMs(
      DateTime.fromISO(days[n - 1] as string)
        .plus({ days: 1 })
        .toISODate() as string,
      zone,
      cfg.day_start,
    ),
    now,
    lines: events.map((e) => JSON.stringify(e)),
    late: days.map((day, i) => ({
      day,
      from: dayStartMs(day, zone, cfg.day_start),
      to: dayStartMs(
        DateTime.fromISO(day).plus({ days: 1 }).toISODate() as string,
        zone,
        cfg.day_start,
      ),
      lines: (lateEvents[i] ?? []).map((e) => JSON.stringify(e)),
    })),
  };
}

/**
 * Calls whose end is lost or late (docs/definitions.md, "Expired"), 3-6 a day: never
 * answered nor abandoned (some after an overflow), answered after or exactly at the expiry
 * deadline (expired and answered), or abandoned just before it (not expired); one offered so
 * that its deadline falls past the next UTC midnight (the edge of a stored day).
 */
function neverEnding(
  r: () => number,
  site: string,
  day: number,
  start: number,
  expiryMs: number,
): FwEvent[] {
  const e = new Ev(site, `g${day}-`);
  const n = 3 + Math.floor(r() * 4);
  for (let j = 0; j < n; j++) {
    const call = `g${j}`;
    const q = ['q1', 'q2', 'q3'][Math.floor(r() * 3)] as string;
    const off =
      j === 0
        ? DateTime.fromMillis(start, { zone: 'utc' }).plus({ days: 1 }).startOf('day').toMillis() -
          expiryMs / 2
        : start + Math.floor(r() * 3 * 3_600_000);
    const deadline = off + expiryMs;
    e.offered(call, q, off);
    const kind = Math.floor(r() * 5);
    if (kind === 1) e.overflowed(call, q, q === 'q3' ? 'q1' : 'q3', off + Math.floor(r() * 50_000));
    else if (kind === 2) e.answered(call, q, 'ag0', deadline + Math.floor(r() * 2 * 3_600_000));
    else if (kind === 3) e.abandoned(call, q, deadline - 1 - Math.floor(r() * 30_000));
    else if (kind === 4) e.answered(call, q, 'ag1', deadline);
  }
  return e.list;
}

/**
 * The reference count of expired calls, by UTC quarter hour of the deadline and queue, from
 * the events as generated: a call's deadline is its first call.offered + call_expiry_s; it
 * expired when no call.answered / call.abandoned came before it, in the queue of its newest
 * call.offered or call.overflowed (by ts, then id), counted when from <= deadline < to and
 * deadline <= now.
 */
function expectedExpired(lines: string[], s: Site): Map<string, number> {
  const calls = new Map<string, { off: number; end: number; wq: [number, string, string] }>();
  for (const l of lines) {
    const ev = JSON.parse(l) as FwEvent & { call?: string; queue?: string; to_queue?: string };
    if (!ev.call) continue;
    const c = calls.get(ev.call) ?? { off: Infinity, end: Infinity, wq: [-Infinity, '', ''] };
    calls.set(ev.call, c);
    if (ev.type === 'call.offered') c.off = Math.min(c.off, ev.ts);
    if (ev.type === 'call.answered' || ev.type === 'call.abandoned') c.end = Math.min(c.end, ev.ts);
    if (ev.type === 'call.offered' || ev.type === 'call.overflowed') {
      const q = (ev.type === 'call.overflowed' ? ev.to_queue : ev.queue) as string;
      if (ev.ts > c.wq[0] || (ev.ts === c.wq[0] && ev.id > c.wq[1])) c.wq = [ev.ts, ev.id, q];
    }
  }
  const out = new Map<string, number>();
  const x = callExpiryMs(s.cfg);
  for (const c of calls.values()) {
    const dl = c.off + x;
    if (c.off === Infinity || c.end < dl || dl < s.from || dl >= s.to || dl > s.now) continue;
    const key = `${Math.floor(dl / 900_000) * 900_000}|${c.wq[2]}`;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

/** Every report of the site, once from stored facts (as the API serves it) and once recomputed from events. */
async function reports(
  store: Store,
  s: Site,
  fromEvents: boolean,
): Promise<Record<string, unknown>> {
  const wf = {
    site: s.site,
    fromDay: s.days[0] as string,
    toDay: s.days[s.days.length - 1] as string,
    fromDayStartMs: s.from,
    now: s.now,
    config: s.cfg,
    fromEvents,
  };
  // All at once, as several managers would ask them.
  const [i15, i30, i60, conformance, adherence, attendance] = await Promise.all([
    ...([15, 30, 60] as const).map((interval) =>
      intervalsReport(store, {
        site: s.site,
        from: s.from,
        to: s.to,
        interval,
        config: s.cfg,
        now: s.now,
        fromEvents,
      }),
    ),
    conformanceReport(store, { ...wf, by: 'agent' }),
    adherenceReport(store, { ...wf, by: 'agent' }),
    attendanceReport(store, { ...wf, by: 'team' }),
  ]);
  return {
    'intervals-15': i15,
    'intervals-30': i30,
    'intervals-60': i60,
    conformance,
    adherence,
    attendance,
  };
}

/** One report of a random kind over a random part of the range, served from stored facts. */
function randomReport(store: Store, s: Site, r: () => number): Promise<unknown> {
  const i = Math.floor(r() * s.days.length);
  const day = s.days[i] as string;
  const from = dayStartMs(day, s.cfg.timezone, s.cfg.day_start);
  const kind = Math.floor(r() * 3);
  if (kind === 0)
    return intervalsReport(store, {
      site: s.site,
      from,
      to: s.to,
      interval: 60,
      config: s.cfg,
      now: s.now,
    });
  const wf = {
    site: s.site,
    fromDay: day,
    toDay: s.days[s.days.length - 1] as string,
    fromDayStartMs: from,
    now: s.now,
    config: s.cfg,
  };
  return kind === 1
    ? conformanceReport(store, { ...wf, by: 'team' })
    : attendanceReport(store, { ...wf, by: 'site' });
}

/** The first differing report of two report sets, as a short text, or null. */
function firstDifference(
  served: Record<string, unknown>,
  recomputed: Record<string, unknown>,
): string | null {
  for (const k of Object.keys(recomputed)) {
    const a = served[k] as unknown[];
    const b = recomputed[k] as unknown[];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    const i = b.findIndex((row, j) => JSON.stringify(row) !== JSON.stringify(a[j]));
    return `${k}: ${a.length} rows served, ${b.length} recomputed; first difference at row ${i}: served ${JSON.stringify(a[i])} recomputed ${JSON.stringify(b[i])}`;
  }
  return null;
}

/**
 * Late events raced: every (site, day) gets its held-back newest events, in three parts, while
 * LANES lanes race on that day, every day of every site at once. A lane (its own queue, r1,
 * r2, ..., which the late events do not use) adds `rounds` new calls one at a time; after each,
 * two reports of the day for its queue are asked at once, as a floor's managers do, and each
 * must count every call the lane added so far. The first lane sends the next late part before
 * its rounds 0, `every` and 2 * `every` (all three while it races), and asks the day's
 * conformance report after it. So builds are always reading, several at once, while blocks of
 * new rows become visible: the old code lost or doubled calls whenever a build read during a
 * Buffer flush or two builds of a day shared a version, marked the build newer than those
 * rows, and the next insert healed it before a later comparison could see it.
 */
async function lateRaces(
  store: Store,
  ingest: IngestService,
  sites: Site[],
  rounds: number,
): Promise<number> {
  let trials = 0;
  const missed: string[] = [];
  const lanes = sites.flatMap((s) =>
    s.late.flatMap((l, li) => Array.from({ length: LANES }, (_, lane) => ({ s, l, li, lane }))),
  );
  const parts = new Map(
    sites.flatMap((s) =>
      s.late.map((l) => {
        const n = Math.ceil(l.lines.length / 3);
        return [l, [0, 1, 2].map((j) => l.lines.slice(j * n, (j + 1) * n))] as const;
      }),
    ),
  );
  const every = Math.max(1, Math.floor(rounds / 3));
  await Promise.all(
    lanes.map(async ({ s, l, li, lane }) => {
      const queue = `r${lane + 1}`;
      const report = async () =>
        (
          await intervalsReport(store, {
            site: s.site,
            // The hour of the lane's calls, not the whole day: within one stored UTC day in
            // every zone used here, so a round rebuilds one day, not two.
            from: l.from + 3_600_000,
            to: l.from + 7_200_000,
            interval: 60,
            config: s.cfg,
            now: s.now,
            queue,
          })
        ).reduce((a, r) => a + r.offered, 0);
      for (let k = 0; k < rounds; k++) {
        const part = lane === 0 && k % every === 0 ? parts.get(l)?.shift() : undefined;
        if (part?.length) {
          const reply = await ingest.submit(Buffer.from(part.join('\n')), 'late');
          expect(reply.rejected, s.site).toEqual([]);
          await conformanceReport(store, {
            site: s.site,
            fromDay: l.day,
            toDay: l.day,
            fromDayStartMs: l.from,
            now: s.now,
            config: s.cfg,
            by: 'site',
          });
        }
        const call = `race${li}-${queue}-${k}`;
        const e = new Ev(s.site, `${call}-`);
        const t = l.from + 3_600_000 + k * 60_000;
        e.offered(call, queue, t);
        e.answered(call, queue, 'ag0', t + 4000);
        e.ended(call, queue, 'ag0', t + 60_000);
        const reply = await ingest.submit(
          Buffer.from(e.list.map((x) => JSON.stringify(x)).join('\n')),
          'race',
        );
        expect(reply.rejected, s.site).toEqual([]);
        const seen = await Promise.all([report(), report()]);
        trials++;
        for (const after of seen)
          if (after !== k + 1)
            missed.push(`${s.site} ${l.day} ${queue} round ${k}: ${after} of ${k + 1} calls`);
      }
    }),
  );
  // Rounds too few for three parts leave some: they go in now.
  for (const [, rest] of parts)
    for (const part of rest.filter((x) => x.length)) {
      const reply = await ingest.submit(Buffer.from(part.join('\n')), 'late');
      expect(reply.rejected).toEqual([]);
    }
  if (missed.length) console.info(`race rounds: ${trials}, missed: ${missed.join('; ')}`);
  expect(missed, 'calls a report asked right after their ack did not count').toEqual([]);
  return trials;
}

let temp: TempStore | undefined;
afterAll(async () => temp?.dispose());

describe('stored report facts equal a recomputation from events, whatever the insert order', () => {
  it(`holds for ${ONLY ? `seed ${ONLY}` : `${CASES} seeded random sites`}`, async () => {
    temp = await openTempStore('fw_history_prop');
    const store = temp.store;
    const log = pino({ level: 'silent' });
    // Small inserts, so one step's batches make several inserts and reports fall between them.
    const config = readConfig({ FLOORWATCH_FLUSH_ROWS: '50', FLOORWATCH_FLUSH_MS: '2' });
    const ingest = new IngestService(config, store, log, () => {});
    await ingest.start();
    const seeds = ONLY ? [Number(ONLY)] : Array.from({ length: CASES }, (_, i) => 1000 + i);
    // The background facts warmer runs throughout, building the days of every site so far.
    const all = new Map<string, Site>();
    const warmer = new FactsWarmer({
      builders: [
        {
          name: 'intervals',
          build: async (site) => {
            const s = all.get(site);
            return s && ensureIntervalFacts(store, site, s.from, s.to, s.now, callExpiryMs(s.cfg));
          },
        },
        {
          name: 'conformance',
          build: async (site) => {
            const s = all.get(site);
            return (
              s &&
              conformanceReport(store, {
                site,
                fromDay: s.days[0] as string,
                toDay: s.days[s.days.length - 1] as string,
                fromDayStartMs: s.from,
                now: s.now,
                config: s.cfg,
                by: 'site',
              })
            );
          },
        },
      ],
      sites: () => [...all.keys()],
      log,
      now: () => 0,
      firstDelayMs: 0,
      everyMs: 2000,
    });
    warmer.start();
    let steps = 0;
    let compared = 0;
    const compare = async (s: Site, when: string) => {
      const [served, recomputed] = await Promise.all([
        reports(store, s, false),
        reports(store, s, true),
      ]);
      compared++;
      const diff = firstDifference(served, recomputed);
      expect(diff, `${s.site}, ${when}: ${diff}`).toBeNull();
    };
    // The sites go in at once, each its own sequence of steps, so one site's builds race
    // another's inserts as well as its own.
    const runSite = async (seed: number) => {
      const t0 = Date.now();
      const s = await randomSite(store, seed);
      all.set(s.site, s);
      const r = rng(seed ^ 0x5eed);
      // Batches of 1-400 lines, sent out of order (a back-fill), some sent twice (resends).
      const batches: string[][] = [];
      for (let i = 0; i < s.lines.length;) {
        const size = 1 + Math.floor(r() ** 2 * 400);
        batches.push(s.lines.slice(i, i + size));
        i += size;
      }
      for (let i = batches.length - 1; i > 0; i--) {
        if (r() < 0.5) continue;
        const j = Math.floor(r() * (i + 1));
        [batches[i], batches[j]] = [batches[j] as string[], batches[i] as string[]];
      }
      const resent = batches.filter(() => r() < 0.15);
      const queue = [...batches, ...resent];
      while (queue.length) {
        // A step: 1-3 batches at once, with 0-2 reports racing them.
        const step = queue.splice(0, 1 + Math.floor(r() * 3));
        const racing: Promise<unknown>[] = [];
        const sends = step.map(async (b, k) => {
          if (r() < 0.4) racing.push(randomReport(store, s, r));
          await new Promise((res) => setTimeout(res, k * Math.floor(r() * 5)));
          const reply = await ingest.submit(Buffer.from(b.join('\n')), 'prop');
          expect(reply.rejected, `seed ${seed}`).toEqual([]);
        });
        if (r() < 0.3) racing.push(randomReport(store, s, r));
        await Promise.all([...sends, ...racing]);
        steps++;
        // Compare after the last step, and after one in eight before it.
        if (queue.length > 0 && r() < 0.875) continue;
        await compare(s, `seed ${seed}, after step ${steps} (${queue.length} batches left)`);
      }
      if (process.env['FW_PROP_TRACE'])
        console.info(
          `seed ${seed}: ${s.lines.length} events, ${batches.length} batches, ${Date.now() - t0} ms`,
        );
      return s;
    };
    const sites = await Promise.all(seeds.map(runSite));
    // Then every site's late events, the sites at once, and every report compared again.
    const tRace = Date.now();
    const trials = await lateRaces(store, ingest, sites, ROUNDS);
    if (process.env['FW_PROP_TRACE'])
      console.info(`race rounds: ${trials} in ${Date.now() - tRace} ms`);
    await Promise.all(sites.map((s) => compare(s, 'after its late events and race rounds')));
    // Expired calls as served equal the count made in plain code from the generated events
    // (every 15-min interval starts on a UTC quarter hour in every zone used here).
    let expiredCalls = 0;
    for (const s of sites) {
      const served = new Map<string, number>();
      const rows = await intervalsReport(store, {
        site: s.site,
        from: s.from,
        to: s.to,
        interval: 15,
        config: s.cfg,
        now: s.now,
      });
      for (const row of rows)
        if (row.expired > 0) served.set(`${row.interval_start_ms}|${row.queue}`, row.expired);
      const expected = expectedExpired([...s.lines, ...s.late.flatMap((l) => l.lines)], s);
      expect([...served].sort(), `${s.site}: expired by quarter and queue`).toEqual(
        [...expected].sort(),
      );
      expiredCalls += [...expected.values()].reduce((a, b) => a + b, 0);
    }
    expect(expiredCalls, 'the generated sites have expired calls').toBeGreaterThan(sites.length);
    await warmer.stop();
    await ingest.close();
    console.info(
      `history property: ${seeds.length} sites, ${steps} steps, ` +
        `${sites.reduce((n, s) => n + s.late.length, 0)} late days, ${trials} race rounds, ` +
        `${compared} full comparisons, ` +
        `${expiredCalls} expired calls`,
    );
  }, 900_000);
});
