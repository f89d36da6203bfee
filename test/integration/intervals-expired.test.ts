// Expired calls in the interval report (docs/definitions.md, "Expired"), on the real embedded
// ClickHouse in this process: a data folder whose stored days were built before migration
// 0150 is migrated, and its days are rebuilt with their expired calls (not served with 0);
// the report counts each expiry in the interval of its deadline, in the queue the call waited
// in, exactly as calls-expired.sql does; a changed call_expiry_s rebuilds the stored days; and
// verify finds a planted wrong `expired` in the stored facts.
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, migrate } from '../../ingest/src/adapters/clickhouse/migrate.js';
import { openStore, type Store } from '../../ingest/src/adapters/clickhouse/store.js';
import { isoInZone } from '../../ingest/src/adapters/http/range.js';
import type { FwEvent } from '../../ingest/src/core/contract.js';
import { utcDayNumber } from '../../ingest/src/core/event-days.js';
import type { SiteConfig } from '../../ingest/src/core/site-config.js';
import { eventBlock, insertEventBlock, rowOf } from '../../ingest/src/pipeline/native-rows.js';
import { chTime, intervalsReport, report } from '../../queries/index.js';
import { seededEventDays } from '../../queries/ingest.js';
import { verifyReports } from '../../queries/verify.js';
import { Ev, siteConfig } from '../unit/queue-helpers.js';

const SITE = 'exp';
const ZONE = 'Asia/Shanghai';
const t = (hhmm: string, day = '2026-05-04') => Date.parse(`${day}T${hhmm}Z`);
/** Report range: the operating days 2026-05-04 and 05 in Shanghai (UTC 05-03 16:00 to 05-05 16:00). */
const FROM = t('16:00:00', '2026-05-03');
const TO = t('16:00:00', '2026-05-05');
/** Long after every deadline: all three UTC days touched are closed and stored. */
const NOW = Date.parse('2026-05-10T00:00:00Z');

/** The calls of the worked example (call_expiry_s 1800 unless a test changes it). */
function calls(): FwEvent[] {
  const e = new Ev(SITE, 'x');
  e.login('a1', t('01:00:00'), ['q1', 'q2']);
  e.state('a1', t('01:00:01'), 'ready');
  e.offered('A', 'q1', t('02:10:00')); // never ends
  e.offered('B', 'q1', t('03:00:00')); // overflows to q2, never ends
  e.overflowed('B', 'q1', 'q2', t('03:05:00'));
  e.offered('C', 'q2', t('04:00:00')); // answered 40 min later: expired AND answered
  e.answered('C', 'q2', 'a1', t('04:40:00'));
  e.offered('D', 'q1', t('05:00:00')); // abandoned 1 ms before its deadline: not expired
  e.abandoned('D', 'q1', t('05:29:59.999'));
  e.offered('E', 'q1', t('06:00:00')); // answered exactly at its deadline: expired
  e.answered('E', 'q1', 'a1', t('06:30:00'));
  e.offered('F', 'q1', t('23:50:00')); // never ends; its deadline is on the next UTC day
  e.offered('G', 'q2', t('08:00:00')); // an ordinary call
  e.answered('G', 'q2', 'a1', t('08:00:10'));
  return e.list;
}

let store: Store;
let dataDir: string;
let cfg: SiteConfig;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'fw-expired-'));
  store = await openStore({
    storage: 'embedded',
    dataDir,
    clickhouse: { url: '', user: '', password: '', database: 'fw_expired' },
  });
  // The schema as it was before 0150.
  const before = mkdtempSync(path.join(os.tmpdir(), 'fw-expired-mig-'));
  for (const f of readdirSync(MIGRATIONS_DIR).filter((f) => f < '0150'))
    cpSync(path.join(MIGRATIONS_DIR, f), path.join(before, f));
  await migrate(store, before);
  rmSync(before, { recursive: true, force: true });
  cfg = siteConfig({ timezone: ZONE, interval_minutes: 15, call_expiry_s: 1800 });
  cfg.site = SITE;
});

afterAll(async () => {
  await store?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const report15 = (c: SiteConfig, fromEvents = false) =>
  intervalsReport(store, {
    site: SITE,
    from: FROM,
    to: TO,
    interval: 15,
    config: c,
    now: NOW,
    fromEvents,
  });

/** The rows with expired calls, as "UTC start queue: n". */
const expiredRows = (rows: Awaited<ReturnType<typeof report15>>) =>
  rows
    .filter((r) => r.expired > 0)
    .map(
      (r) =>
        `${new Date(r.interval_start_ms).toISOString().slice(11, 16)} ${r.queue}: ${r.expired}`,
    );

async function builds(): Promise<{ day: string; expiry_ms: number }[]> {
  const rs = await store.client.query({
    query: `SELECT toString(day) AS day, argMax(expiry_ms, version) AS expiry_ms FROM ${store.database}.interval_fact_days WHERE site = {site:String} GROUP BY day ORDER BY day`,
    query_params: { site: SITE },
    format: 'JSONEachRow',
  });
  return (await rs.json<{ day: string; expiry_ms: string | number }>()).map((r) => ({
    day: r.day,
    expiry_ms: Number(r.expiry_ms),
  }));
}

/** calls-expired.sql (the live figure's SQL twin) per queue over the report range. */
async function sqlExpired(c: SiteConfig): Promise<Record<string, number>> {
  const rs = await store.client.query({
    query: report('calls-expired', store.database),
    query_params: {
      site: SITE,
      from: chTime(FROM),
      to: chTime(TO),
      at: chTime(NOW),
      expiry_ms: (c.call_expiry_s as number) * 1000,
    },
    format: 'JSONEachRow',
  });
  return Object.fromEntries(
    (await rs.json<{ queue: string; expired: string | number }>()).map((r) => [
      r.queue,
      Number(r.expired),
    ]),
  );
}

const byQueue = (rows: Awaited<ReturnType<typeof report15>>) => {
  const out: Record<string, number> = {};
  for (const r of rows) if (r.expired) out[r.queue] = (out[r.queue] ?? 0) + r.expired;
  return out;
};

describe('expired calls in the interval report', () => {
  it('a day stored before migration 0150 is rebuilt with its expired calls', async () => {
    await insertEventBlock(store, eventBlock(calls().map((e) => rowOf(e, 'test'))));
    // A build recorded by the code before 0150, fresh by its event count: with no expiry
    // recorded it must not be served as it is (it would say expired = 0 and, here, nothing).
    const ledger = await seededEventDays(store, SITE);
    const old = ['2026-05-03', '2026-05-04', '2026-05-05'].map((day) => {
      const dn = utcDayNumber(Date.parse(`${day}T00:00:00Z`));
      return {
        site: SITE,
        day,
        version: chTime(NOW - 86_400_000),
        facts: 0,
        events_seen: ledger.count(SITE, dn - 1, dn + 1),
      };
    });
    await store.client.insert({
      table: `${store.database}.interval_fact_days`,
      values: old,
      format: 'JSONEachRow',
    });
    expect(await migrate(store)).toContain('0150_expired_in_interval_facts.sql');

    const rows = await report15(cfg);
    // Deadlines (offer + 30 min): A 02:40 q1, B 03:30 q2 (overflowed), C 04:30 q2 (answered
    // 04:40), E 06:30 q1 (answered at it); D was abandoned before its deadline; F's deadline
    // 00:20 is on 05-05 UTC, a stored day of its own.
    expect(expiredRows(rows)).toEqual([
      '02:30 q1: 1',
      '03:30 q2: 1',
      '04:30 q2: 1',
      '06:30 q1: 1',
      '00:15 q1: 1',
    ]);
    // Expired AND answered: C and E still count as answered where they ended.
    const at = (hhmm: string, q: string) =>
      rows.find((r) => r.interval_start_ms === t(hhmm) && r.queue === q);
    expect(at('04:30', 'q2')).toMatchObject({ answered: 1, expired: 1 });
    expect(at('06:30', 'q1')).toMatchObject({ answered: 1, expired: 1 });
    expect(at('05:15', 'q1')).toMatchObject({ abandoned: 1, expired: 0 });
    // Every stored day was rebuilt, with the expiry it used.
    expect(await builds()).toEqual([
      { day: '2026-05-03', expiry_ms: 1_800_000 },
      { day: '2026-05-04', expiry_ms: 1_800_000 },
      { day: '2026-05-05', expiry_ms: 1_800_000 },
    ]);
    expect(rows).toEqual(await report15(cfg, true));
    expect(byQueue(rows)).toEqual(await sqlExpired(cfg));
    expect(byQueue(rows)).toEqual({ q1: 3, q2: 2 });
  });

  it('counts at the new deadlines once call_expiry_s changes (stored days rebuilt)', async () => {
    const hour = { ...cfg, call_expiry_s: 3600 };
    const rows = await report15(hour);
    // A 03:10 q1, B 04:00 q2, F 00:50 q1; C (answered 04:40) and E (06:30) ended in time.
    expect(expiredRows(rows)).toEqual(['03:00 q1: 1', '04:00 q2: 1', '00:45 q1: 1']);
    expect((await builds()).map((b) => b.expiry_ms)).toEqual([3_600_000, 3_600_000, 3_600_000]);
    expect(rows).toEqual(await report15(hour, true));
    expect(byQueue(rows)).toEqual(await sqlExpired(hour));
    // And back: the 30-minute figures again.
    expect(byQueue(await report15(cfg))).toEqual({ q1: 3, q2: 2 });
  });

  it('a deadline still ahead of now has not expired yet', async () => {
    const rows = await intervalsReport(store, {
      site: SITE,
      from: FROM,
      to: TO,
      interval: 60,
      config: cfg,
      // Open days (derived, not stored): 03:20 is past A's deadline only.
      now: t('03:20:00'),
    });
    expect(rows.filter((r) => r.expired > 0).map((r) => [r.queue, r.expired])).toEqual([['q1', 1]]);
  });

  it('verify compares expired: a planted stored count is found in every interval length', async () => {
    const iso = (ms: number) => isoInZone(ms, ZONE);
    const params = {
      site: SITE,
      config: cfg,
      fromDay: '2026-05-04',
      toDay: '2026-05-05',
      now: NOW,
      reports: ['intervals'] as const,
      iso,
    };
    await report15(cfg); // stored with the 30-minute expiry
    expect((await verifyReports(store, params)).mismatches).toEqual([]);
    await store.client.command({
      query: `ALTER TABLE ${store.database}.interval_quarters UPDATE expired = expired + 1 WHERE site = {site:String} AND q_ms = {q:Int64} AND queue = 'q1' SETTINGS mutations_sync = 2`,
      query_params: { site: SITE, q: t('02:30:00') },
    });
    const found = (await verifyReports(store, params)).mismatches;
    expect(found.map((m) => [m.report, m.field, m.served, m.recomputed])).toEqual([
      ['intervals-15', 'expired', 2, 1],
      ['intervals-30', 'expired', 2, 1],
      ['intervals-60', 'expired', 2, 1],
    ]);
  });
});
