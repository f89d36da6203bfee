// npm run bank-history -- [--runs 10]: the back-fill of issue 18, repeated. Each run starts a
// server on an empty data folder (facts warmer on, as `npm start`), sets site "bank" to
// Asia/Jerusalem, posts a month of real calls (the Anonymous Bank's February, moved to 2026;
// ../shared/data/anonymous_bank_1999) to POST /api/events in 5,000-line bodies, each sent
// when the previous one is acknowledged, and right after the last ack asks the 60-minute
// interval report of every day, one after another. Each day's totals must equal the counts
// read from the file itself, every interval length must equal its recomputation from the
// stored events (GET /api/reports/verify: 0 mismatches), and a second pass at 15 and 30
// minutes must agree too. Exits 1 on any difference. test/integration/history-bank.test.ts
// runs one such run in CI.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { api, postEvents, ROOT, startServer, type TestServer } from '../test/helpers/server.js';

export const BANK_FILE = path.join(
  ROOT,
  '../shared/data/anonymous_bank_1999/data_anonymous_bank_february.txt',
);
export const BANK_ZONE = 'Asia/Jerusalem';
const SITE = 'bank';

export interface DayTotals {
  offered: number;
  answered: number;
  abandoned: number;
}

/**
 * The file's calls as Floorwatch events, February 1999 moved to February 2026 in the bank's
 * zone. A queued call is offered at q_start; one routed straight to an agent at ser_start
 * (no wait). AGENT: answered at ser_start by `server`, ended at ser_exit; HANG after queueing:
 * abandoned at q_exit; a hang-up in the voice menu (never queued) and PHANTOM are no queue
 * calls. The queue is the call's type. Ids come from the line number (call_id repeats).
 * Also each day's totals as the file says them (by the day the queue phase ended).
 */
export function bankEvents(file = BANK_FILE): { events: object[]; days: Map<string, DayTotals> } {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const header = (lines[0] ?? '').split('\t');
  const col = (name: string) => header.indexOf(name);
  const [cType, cDate, cQs, cQx, cOut, cSs, cSx, cSrv] = [
    'type',
    'date',
    'q_start',
    'q_exit',
    'outcome',
    'ser_start',
    'ser_exit',
    'server',
  ].map(col) as number[];
  const events: object[] = [];
  const days = new Map<string, DayTotals>();
  const total = (ms: number) => {
    const d = DateTime.fromMillis(ms, { zone: BANK_ZONE }).toISODate() as string;
    let t = days.get(d);
    if (!t) days.set(d, (t = { offered: 0, answered: 0, abandoned: 0 }));
    return t;
  };
  for (let i = 1; i < lines.length; i++) {
    const f = (lines[i] as string).split('\t');
    if (f.length < header.length) continue;
    const date = `2026-${(f[cDate as number] as string).slice(2, 4)}-${(f[cDate as number] as string).slice(4, 6)}`;
    const at = (hms: string, after = 0): number => {
      let t = DateTime.fromISO(`${date}T${hms.padStart(8, '0')}`, { zone: BANK_ZONE }).toMillis();
      while (t < after) t += 86_400_000; // past midnight
      return t;
    };
    const outcome = f[cOut as number];
    const queued = f[cQs as number] !== '0:00:00';
    const queue = (f[cType as number] as string).toLowerCase();
    const call = `b${i}`;
    if (outcome === 'AGENT') {
      const ans = at(f[cSs as number] as string);
      const off = queued ? Math.min(at(f[cQs as number] as string), ans) : ans;
      const end = at(f[cSx as number] as string, ans);
      const agent = (f[cSrv as number] as string).toLowerCase();
      events.push({ id: `${call}-o`, site: SITE, type: 'call.offered', ts: off, call, queue });
      events.push({
        id: `${call}-a`,
        site: SITE,
        type: 'call.answered',
        ts: ans,
        call,
        queue,
        agent,
      });
      events.push({ id: `${call}-e`, site: SITE, type: 'call.ended', ts: end, call, queue, agent });
      const t = total(ans);
      t.offered++;
      t.answered++;
    } else if (outcome === 'HANG' && queued) {
      const off = at(f[cQs as number] as string);
      const gone = at(f[cQx as number] as string, off);
      events.push({ id: `${call}-o`, site: SITE, type: 'call.offered', ts: off, call, queue });
      events.push({ id: `${call}-x`, site: SITE, type: 'call.abandoned', ts: gone, call, queue });
      const t = total(gone);
      t.offered++;
      t.abandoned++;
    }
  }
  events.sort((a, b) => (a as { ts: number }).ts - (b as { ts: number }).ts);
  return { events, days };
}

interface IntervalsBody {
  rows: { offered: number; answered: number; abandoned: number }[];
}

/** One run against a fresh server; returns the differences found (empty when every day is right). */
export async function bankRun(server: TestServer, data = bankEvents()): Promise<string[]> {
  const problems: string[] = [];
  const put = await api(server, `/api/sites/${SITE}`, {
    method: 'PUT',
    body: JSON.stringify({ timezone: BANK_ZONE }),
    headers: { 'Content-Type': 'application/json' },
  });
  if (put.status !== 200) return [`PUT /api/sites/${SITE}: ${put.status}`];
  for (let i = 0; i < data.events.length; i += 5000) {
    const r = await postEvents(server, data.events.slice(i, i + 5000));
    if (r.status !== 200 || r.body.rejected.length)
      return [`POST /api/events lines ${i}..: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`];
  }
  const dayList = [...data.days.keys()].sort();
  const report = async (d: string, interval: number) => {
    const to = DateTime.fromISO(d).plus({ days: 1 }).toISODate() as string;
    const res = await api(
      server,
      `/api/reports/intervals?site=${SITE}&from=${d}&to=${to}&interval=${interval}`,
    );
    return ((await res.json()) as IntervalsBody).rows;
  };
  // Right after the last ack, each day in turn, as in the issue.
  for (const interval of [60, 15, 30]) {
    for (const d of dayList) {
      const rows = await report(d, interval);
      const got = rows.reduce(
        (t, r) => ({
          offered: t.offered + r.offered,
          answered: t.answered + r.answered,
          abandoned: t.abandoned + r.abandoned,
        }),
        { offered: 0, answered: 0, abandoned: 0 },
      );
      const want = data.days.get(d) as DayTotals;
      if (JSON.stringify(got) !== JSON.stringify(want))
        problems.push(
          `${d} interval=${interval}: served ${JSON.stringify(got)}, the file says ${JSON.stringify(want)}`,
        );
    }
  }
  const first = dayList[0] as string;
  const after = DateTime.fromISO(dayList[dayList.length - 1] as string)
    .plus({ days: 1 })
    .toISODate() as string;
  const v = await api(
    server,
    `/api/reports/verify?site=${SITE}&from=${first}&to=${after}&report=intervals`,
  );
  const body = (await v.json()) as { mismatches?: unknown[] };
  if (v.status !== 200 || !body.mismatches) problems.push(`verify: ${v.status}`);
  else for (const m of body.mismatches.slice(0, 20)) problems.push(`verify: ${JSON.stringify(m)}`);
  return problems;
}

const isMain =
  process.argv[1] !== undefined &&
  path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (isMain) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
  const runs = Number(values.runs);
  const data = bankEvents();
  process.stdout.write(`${data.events.length} events over ${data.days.size} days, ${runs} runs\n`);
  let bad = 0;
  for (let run = 1; run <= runs; run++) {
    const server = await startServer({
      env: { FLOORWATCH_NO_FACTS_WARMER: '0' },
      timeoutMs: 120_000,
    });
    const t0 = Date.now();
    try {
      const problems = await bankRun(server, data);
      if (problems.length) bad++;
      process.stdout.write(
        `run ${run}: ${problems.length ? `${problems.length} problems` : 'every day right, verify 0 mismatches'} (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`,
      );
      for (const p of problems) process.stdout.write(`  ${p}\n`);
    } finally {
      await server.dispose();
    }
  }
  process.stdout.write(`${runs - bad} of ${runs} runs right\n`);
  process.exit(bad ? 1 : 0);
}
