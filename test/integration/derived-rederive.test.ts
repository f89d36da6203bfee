// The derived tables (calls_facts, agent_last_events) are written by materialized views inside
// each insert into events (migration 0070), but not atomically with it: a crash between the
// events part and the views' parts leaves events without derived rows. Start-up derives them
// again from the events received shortly before the newest one (derived.ts), choosing rows by
// their stored receive time, never by part names, so parts merged (renamed) at start-up are
// read too. Here a real child process inserts events with its views detached (what such a
// crash leaves), is killed with SIGKILL, and the rows come back.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rederiveRecent } from '../../ingest/src/adapters/clickhouse/derived.js';
import { migrate } from '../../ingest/src/adapters/clickhouse/migrate.js';
import { openStore, type Store } from '../../ingest/src/adapters/clickhouse/store.js';
import { validateLine, type FwEvent } from '../../ingest/src/core/contract.js';
import {
  eventBlock,
  insertEventBlock,
  type EventRow,
} from '../../ingest/src/pipeline/native-rows.js';
import { ROOT } from '../helpers/server.js';

const DB = 'fw_rederive';
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Calls over two UTC days (offered, answered, ended) and the agents' states around them. */
function eventRows(now: number): EventRow[] {
  const out: EventRow[] = [];
  const day0 = Date.UTC(2026, 10, 20, 23, 0);
  let n = 0;
  const add = (o: Record<string, unknown>) => {
    const line = JSON.stringify({ id: `e${n++}`, site: 's1', ...o });
    const r = validateLine(line, now);
    if (!r.ok) throw new Error(r.error);
    out.push({
      event: r.event as FwEvent,
      raw: line,
      receivedAt: now,
      producer: 'test',
      late: false,
    });
  };
  for (let a = 0; a < 20; a++)
    add({ type: 'agent.login', ts: day0, agent: `a${a}`, queues: ['q1'] });
  for (let c = 0; c < 600; c++) {
    const t = day0 + c * 12_000; // two hours: 23:00 to 01:00 UTC
    const agent = `a${c % 20}`;
    add({ type: 'call.offered', ts: t, call: `c${c}`, queue: 'q1' });
    if (c % 7 === 0) {
      add({ type: 'call.abandoned', ts: t + 3_000, call: `c${c}`, queue: 'q1' });
      continue;
    }
    add({ type: 'call.answered', ts: t + 2_000, call: `c${c}`, queue: 'q1', agent });
    add({ type: 'agent.state', ts: t + 2_000, agent, state: 'talking' });
    add({ type: 'call.ended', ts: t + 9_000, call: `c${c}`, queue: 'q1', agent });
    add({
      type: 'agent.state',
      ts: t + 9_000,
      agent,
      state: c % 5 === 0 ? 'not_ready' : 'ready',
      ...(c % 5 === 0 ? { reason: 'break' } : {}),
    });
  }
  return out;
}

async function rows<T>(store: Store, query: string): Promise<T[]> {
  return (
    await store.client.query({ query: query.replaceAll('{db}', DB), format: 'JSONEachRow' })
  ).json<T>();
}

/** Each derived table as the views define it, computed straight from the stored events. */
const EXPECTED = {
  calls: `SELECT call, toString(min(if(type = 'call.offered', ts, toDateTime64('2299-12-31 00:00:00', 3, 'UTC')))) AS off,
                 toString(min(if(type = 'call.answered', ts, toDateTime64('2299-12-31 00:00:00', 3, 'UTC')))) AS ans
          FROM {db}.events WHERE call != '' GROUP BY call ORDER BY call`,
  agents: `SELECT agent, toString(toDate(ts)) AS day, toString(max(tuple(ts, id)).2) AS last_id
           FROM {db}.events WHERE type IN ('agent.login', 'agent.logout', 'agent.state') GROUP BY agent, day ORDER BY agent, day`,
};
const DERIVED = {
  calls: `SELECT call, toString(min(off_ts)) AS off, toString(min(ans_ts)) AS ans FROM {db}.calls_facts GROUP BY call ORDER BY call`,
  agents: `SELECT agent, toString(day) AS day, toString(max(last).2) AS last_id FROM {db}.agent_last_events GROUP BY agent, day ORDER BY agent, day`,
};

async function expectDerivedComplete(store: Store): Promise<void> {
  for (const k of ['calls', 'agents'] as const)
    expect(await rows(store, DERIVED[k]), k).toEqual(await rows(store, EXPECTED[k]));
}

describe('derived tables after a crash', () => {
  it('events stored without their derived rows get them at start-up, after merges renamed their parts', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fw-rederive-'));
    dirs.push(dir);
    const lines = eventRows(Date.now());
    const rowsFile = path.join(dir, 'rows.native');
    writeFileSync(rowsFile, eventBlock(lines));
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(ROOT, 'test/helpers/views-crash-child.ts'),
        path.join(dir, 'db'),
        DB,
        rowsFile,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const reported = new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out);
      });
      child.on('exit', (code) => reject(new Error(`child exited with ${code} before inserting`)));
    });
    expect(JSON.parse(await reported)).toEqual({ inserted: lines.length, views: 2 });
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;

    const store = await openStore({
      storage: 'embedded',
      dataDir: path.join(dir, 'db'),
      clickhouse: { url: '', user: '', password: '', database: DB },
    });
    try {
      await migrate(store);
      expect(
        Number((await rows<{ n: string }>(store, 'SELECT count() AS n FROM {db}.events'))[0]?.n),
      ).toBe(lines.length);
      for (const t of ['calls_facts', 'agent_last_events'])
        expect(
          Number((await rows<{ n: string }>(store, `SELECT count() AS n FROM {db}.${t}`))[0]?.n),
          t,
        ).toBe(0);
      // A merge renames every part of events before re-derivation reads them.
      const before = await rows<{ name: string }>(
        store,
        `SELECT name FROM system.parts WHERE database = '${DB}' AND table = 'events' AND active`,
      );
      await store.client.command({ query: `OPTIMIZE TABLE ${DB}.events FINAL` });
      const after = await rows<{ name: string }>(
        store,
        `SELECT name FROM system.parts WHERE database = '${DB}' AND table = 'events' AND active`,
      );
      expect(after.map((p) => p.name)).not.toEqual(before.map((p) => p.name));

      const r = await rederiveRecent(store);
      expect(r.since).toBeGreaterThan(0);
      expect(r.tables).toEqual(['calls-facts', 'agent-last-events']);
      await expectDerivedComplete(store);
      // Derived twice (a second start-up) changes nothing the reports read.
      await rederiveRecent(store);
      await expectDerivedComplete(store);
    } finally {
      await store.close();
    }
  }, 120_000);

  it('an insert returns with its derived rows visible (no Buffer between them)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fw-rederive-'));
    dirs.push(dir);
    const store = await openStore({
      storage: 'embedded',
      dataDir: dir,
      clickhouse: { url: '', user: '', password: '', database: DB },
    });
    try {
      await migrate(store);
      await insertEventBlock(store, eventBlock(eventRows(Date.now())));
      await expectDerivedComplete(store);
      expect(
        await rows(
          store,
          `SELECT name FROM system.tables WHERE database = '${DB}' AND engine = 'Buffer'`,
        ),
      ).toEqual([]);
    } finally {
      await store.close();
    }
  }, 120_000);
});
