// The long history's data (--long-history: 90 days × 5,000 agents): one week simulated and
// stored exactly as the history section's back-fill does, then copied back week by week
// inside ClickHouse (workers/replicate.ts) and its roster with it. The simulator makes about
// 2.7M events a day at 5,000 agents in one JS thread, so 90 simulated days would take hours;
// the copies take minutes. Cached under .tmp/bench-cache like the other back-fills, one
// marker file per finished step, so a stopped build resumes where it stopped.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { forkWorker, startServer, TMP } from '../lib/proc.js';
import { benchAuth } from '../lib/token.js';
import type { BackfillConfig } from '../workers/backfill.js';
import type { ReplicateConfig, ReplicateResult } from '../workers/replicate.js';

export interface LongCached {
  events: number;
  from: string;
  to: string;
  agents: number;
  days: number;
  builtS: number;
  /** The simulated week [weekFrom, to) every other week copies. */
  weekFrom: string;
  weekEvents: number;
  rosterSegments: number;
}

interface Segment {
  agent: string;
  team: string;
  start: string;
  end: string;
  activity: string;
}

const DAY_MS = 86_400_000;

/** An ISO local date-time moved back by whole days, its time of day and offset kept. */
function shiftIso(iso: string, days: number): string {
  const d = new Date(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) - days * DAY_MS);
  return d.toISOString().slice(0, 10) + iso.slice(10);
}

/**
 * The simulated week's roster for the whole span: copy k of each segment moved back 7k days.
 * The simulator also rosters the day before its span (night shifts into the first day); that
 * day is the previous copy's last day, so it is taken only from the oldest copy.
 */
export function stretchRoster(
  week: Segment[],
  weekFrom: string,
  from: string,
  copies: number,
): Segment[] {
  const out: Segment[] = [];
  const dayBefore = DateTime.fromISO(from).minus({ days: 1 }).toISODate() as string;
  for (let k = 0; k <= copies; k++) {
    for (const s of week) {
      if (s.start.slice(0, 10) < weekFrom && k < copies) continue;
      const start = shiftIso(s.start, 7 * k);
      if (start.slice(0, 10) < dayBefore) continue;
      out.push({ ...s, start, end: shiftIso(s.end, 7 * k) });
    }
  }
  // Whole agents per PUT (a roster PUT replaces the agent-days it names): grouped by agent,
  // in time order. A copy's last night shift can run into the next copy's first morning,
  // which the simulator planned after another night: the roster refuses overlaps, so the
  // later of two overlapping segments goes (48 of ~2.7M in the 90-day roster).
  out.sort((a, b) =>
    a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : Date.parse(a.start) - Date.parse(b.start),
  );
  let lastAgent = '';
  let lastEnd = -Infinity;
  return out.filter((s) => {
    if (s.agent !== lastAgent) [lastAgent, lastEnd] = [s.agent, -Infinity];
    if (Date.parse(s.start) < lastEnd) return false;
    lastEnd = Date.parse(s.end);
    return true;
  });
}

export async function prepareLong(
  site: string,
  zone: string,
  agents: number,
  days: number,
  to: string,
): Promise<{ dir: string; meta: LongCached }> {
  const from = DateTime.fromISO(to, { zone }).minus({ days }).toISODate() as string;
  const weekFrom = DateTime.fromISO(to, { zone }).minus({ days: 7 }).toISODate() as string;
  const copies = Math.ceil(days / 7) - 1;
  const dir = path.join(TMP, 'bench-cache', `history-${site}-${agents}a-${from}-${to}-seed1-weeks`);
  const marker = path.join(dir, 'complete.json');
  if (existsSync(marker))
    return { dir, meta: JSON.parse(readFileSync(marker, 'utf8')) as LongCached };
  mkdirSync(dir, { recursive: true });
  const dataDir = path.join(dir, 'data');
  const step = async <T>(name: string, build: () => Promise<T>): Promise<T> => {
    const file = path.join(dir, `${name}.json`);
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as T;
    const r = await build();
    writeFileSync(file, JSON.stringify(r, null, 2));
    return r;
  };
  const rosterWeek = path.join(dir, 'roster-week.json');
  const week = await step('week', async () => {
    const t0 = performance.now();
    console.error(
      `   simulating ${weekFrom}..${to} of a ${agents}-agent site into ${path.relative(process.cwd(), dir)} (once; cached)`,
    );
    const w = forkWorker<{ events: number; rejected: number; firstReject: string }>('backfill', {
      dataDir,
      site,
      agents,
      from: weekFrom,
      to,
      rosterOut: rosterWeek,
    } satisfies BackfillConfig);
    const r = await w.result;
    if (r.rejected)
      console.error(`   back-fill: ${r.rejected} simulator lines rejected, e.g. ${r.firstReject}`);
    return { events: r.events, seconds: Math.round((performance.now() - t0) / 1000) };
  });
  const iso = (d: string) => DateTime.fromISO(d, { zone }).toUTC().toISO() as string;
  const copied = await step('replicated', async () => {
    console.error(`   copying the week back ${copies} times to ${from}`);
    const w = forkWorker<ReplicateResult>('replicate', {
      dataDir,
      site,
      weekFrom: iso(weekFrom),
      weekTo: iso(to),
      from: iso(from),
      copies,
    } satisfies ReplicateConfig);
    return await w.result;
  });
  // Site configuration and roster go through the API, as the simulator's --target does.
  const roster = stretchRoster(
    JSON.parse(readFileSync(rosterWeek, 'utf8')) as Segment[],
    weekFrom,
    from,
    copies,
  );
  const tRoster = performance.now();
  const s = await startServer({ dataDir });
  try {
    const put = async (url: string, body: unknown) => {
      const res = await fetch(`${s.url}${url}`, {
        method: 'PUT',
        headers: benchAuth({ 'content-type': 'application/json' }),
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`PUT ${url}: ${res.status} ${(await res.text()).slice(0, 300)}`);
    };
    await put(`/api/sites/${site}`, { timezone: zone, interval_minutes: 15 });
    for (let i = 0; i < roster.length;) {
      let j = Math.min(roster.length, i + 50_000);
      while (j < roster.length && roster[j]?.agent === roster[j - 1]?.agent) j++;
      await put(`/api/sites/${site}/roster`, roster.slice(i, j));
      i = j;
    }
  } finally {
    await s.stop();
  }
  const meta: LongCached = {
    events: copied.events.reduce((a, b) => a + b, 0),
    from,
    to,
    agents,
    days,
    builtS: Math.round(week.seconds + copied.seconds + (performance.now() - tRoster) / 1000),
    weekFrom,
    weekEvents: week.events,
    rosterSegments: roster.length,
  };
  writeFileSync(marker, JSON.stringify(meta, null, 2));
  return { dir, meta };
}

/** A report's rows of one day, its date fields cut to the time of day, in a fixed order. */
function dayRows(body: { rows?: Record<string, unknown>[] }): string[] {
  return (body.rows ?? [])
    .map((r) => {
      const o: Record<string, unknown> = { ...r };
      delete o['date'];
      for (const k of ['interval_start', 'interval_end'])
        if (typeof o[k] === 'string') o[k] = (o[k] as string).slice(10);
      return JSON.stringify(o);
    })
    .sort();
}

/**
 * Whether a copied day's reports equal its simulated source day's (same figures, same rows):
 * the interval report, conformance by agent and attendance by team.
 */
export async function sameAsSource(
  baseUrl: string,
  site: string,
  meta: LongCached,
  weeksBack: number,
): Promise<{ ok: boolean; sourceDay: string; copyDay: string; rows: number; detail: string }> {
  const src = DateTime.fromISO(meta.weekFrom).plus({ days: 3 });
  const copy = src.minus({ weeks: weeksBack });
  const day = (d: DateTime) => `from=${d.toISODate()}&to=${d.plus({ days: 1 }).toISODate()}`;
  let rows = 0;
  for (const r of ['intervals?interval=15', 'conformance?by=agent', 'attendance?by=team']) {
    const get = async (d: DateTime) => {
      const res = await fetch(`${baseUrl}/api/reports/${r}&site=${site}&${day(d)}`, {
        headers: benchAuth(),
      });
      if (!res.ok) throw new Error(`GET ${r}: ${res.status} ${(await res.text()).slice(0, 200)}`);
      return dayRows((await res.json()) as { rows?: Record<string, unknown>[] });
    };
    const [a, b] = [await get(src), await get(copy)];
    rows += a.length;
    const diff = a.findIndex((x, i) => x !== b[i]);
    if (a.length !== b.length || diff >= 0)
      return {
        ok: false,
        sourceDay: src.toISODate() as string,
        copyDay: copy.toISODate() as string,
        rows,
        detail:
          `${r}: ${a.length} vs ${b.length} rows; first difference ${a[diff] ?? ''} vs ${b[diff] ?? ''}`.slice(
            0,
            300,
          ),
      };
  }
  return {
    ok: true,
    sourceDay: src.toISODate() as string,
    copyDay: copy.toISODate() as string,
    rows,
    detail: '',
  };
}
