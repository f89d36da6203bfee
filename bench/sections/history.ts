// 6. History: the intervals, conformance and attendance reports over 30 days of a
// 2,000-agent site back-filled from the simulator (cached under .tmp/bench-cache, keyed
// by its parameters, so re-runs skip the back-fill). Each report is timed over HTTP.
import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { cpuSeconds, forkWorker, mainThreadCpuSeconds, startServer, TMP } from '../lib/proc.js';
import { quantileSorted } from '../lib/stats.js';
import type { Figure, Section } from '../lib/types.js';
import type { BackfillConfig } from '../workers/backfill.js';
import { benchAuth } from '../lib/token.js';
import { prepareLong, sameAsSource, type LongCached } from './history-long.js';
import { buildFactsDaily, getReport, type FactsBuilt } from './history-facts.js';

const SITE = 'hist';
const ZONE = 'Asia/Shanghai';

interface Cached {
  events: number;
  from: string;
  to: string;
  agents: number;
  days: number;
  builtS: number;
}

async function prepare(agents: number, days: number): Promise<{ dir: string; meta: Cached }> {
  // A fixed span (not "the last 30 days") so the cache stays valid from day to day.
  const to = '2026-11-02';
  const from = DateTime.fromISO(to, { zone: ZONE }).minus({ days }).toISODate() as string;
  const dir = path.join(TMP, 'bench-cache', `history-${SITE}-${agents}a-${from}-${to}-seed1`);
  const marker = path.join(dir, 'complete.json');
  if (existsSync(marker)) return { dir, meta: JSON.parse(readFileSync(marker, 'utf8')) as Cached };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const rosterOut = path.join(dir, 'roster.json');
  console.error(
    `   back-filling ${days} days of a ${agents}-agent site into ${path.relative(process.cwd(), dir)} (once; cached)`,
  );
  const w = forkWorker<{ events: number; rejected: number; firstReject: string }>('backfill', {
    dataDir: path.join(dir, 'data'),
    site: SITE,
    agents,
    from,
    to,
    rosterOut,
  } satisfies BackfillConfig);
  const r = await w.result;
  if (r.rejected)
    console.error(`   back-fill: ${r.rejected} simulator lines rejected, e.g. ${r.firstReject}`);
  // Site configuration and roster go through the API, as the simulator's --target does.
  const s = await startServer({ dataDir: path.join(dir, 'data') });
  try {
    const put = async (url: string, body: unknown) => {
      const res = await fetch(`${s.url}${url}`, {
        method: 'PUT',
        headers: benchAuth({ 'content-type': 'application/json' }),
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`PUT ${url}: ${res.status} ${(await res.text()).slice(0, 300)}`);
    };
    await put(`/api/sites/${SITE}`, { timezone: ZONE, interval_minutes: 15 });
    const roster = JSON.parse(readFileSync(rosterOut, 'utf8')) as { agent: string }[];
    // Whole agents per PUT: a roster PUT replaces the agent-days it names.
    for (let i = 0; i < roster.length;) {
      let j = Math.min(roster.length, i + 5000);
      while (j < roster.length && roster[j]?.agent === roster[j - 1]?.agent) j++;
      await put(`/api/sites/${SITE}/roster`, roster.slice(i, j));
      i = j;
    }
  } finally {
    await s.stop();
  }
  const meta: Cached = {
    events: r.events,
    from,
    to,
    agents,
    days,
    builtS: Math.round((performance.now() - t0) / 1000),
  };
  writeFileSync(marker, JSON.stringify(meta, null, 2));
  return { dir, meta };
}

function weekNote(m: LongCached): string {
  return `the simulator's ${m.weekFrom}..${m.to} (${(m.weekEvents / 1e6).toFixed(1)}M events) copied back week by week inside ClickHouse, ids made unique per copy; roster ${m.rosterSegments} segments; built in ${m.builtS} s`;
}

/** Copies must report what their source week reports: one mid-week day, up to six weeks back. */
async function sameDayFigure(url: string, m: LongCached): Promise<Figure> {
  const r = await sameAsSource(url, SITE, m, Math.min(6, Math.floor((m.days - 4) / 7)));
  return {
    section: '6 history',
    name: 'a copied day reports as its simulated day',
    value: null,
    unit: '',
    status: r.ok ? 'pass' : 'short',
    note: r.ok
      ? `${r.copyDay} equals ${r.sourceDay}: intervals, conformance by agent and attendance by team (${r.rows} rows of the source day), every figure`
      : `${r.copyDay} differs from ${r.sourceDay}: ${r.detail}`,
  };
}

/** The day-by-day build of the stored facts: what one cold day costs after a back-fill. */
function factsFigures(b: FactsBuilt): Figure[] {
  const fig = (name: string, v: number[], note: string): Figure => {
    const sorted = [...v].sort((x, y) => x - y);
    return {
      section: '6 history',
      name,
      value: {
        median: quantileSorted(sorted, 0.5),
        min: sorted[0] ?? 0,
        max: sorted[sorted.length - 1] ?? 0,
        runs: v,
      },
      unit: 'ms',
      status: 'info',
      note,
    };
  };
  const loads = b.days.map((d) => d.load1).sort((x, y) => x - y);
  const load = `load average ${loads[0]}–${loads[loads.length - 1]} (median ${quantileSorted(loads, 0.5)})`;
  const total = b.days.reduce((a, d) => a + d.intervalsMs + d.workforceMs, 0);
  return [
    fig(
      'stored facts, one cold day: intervals',
      b.days.map((d) => d.intervalsMs),
      `each day's first 1-day interval report (the build of its facts, unless an earlier run stored them, and a 1-day read), ${b.days.length} days in order; ${load}; spread is min–max`,
    ),
    fig(
      'stored facts, one cold day: conformance and attendance',
      b.days.map((d) => d.workforceMs),
      `the 1-day conformance report by site of the same day (the workforce facts conformance, adherence and attendance read); ${b.days.length} days in order, ${Math.round(total / 1000)} s for all; ${load}`,
    ),
    fig(
      'stored facts, one cold day: server CPU',
      b.days.map((d) => d.cpuMs),
      'server CPU over both requests of a day (ClickHouse threads and JS)',
    ),
  ];
}

export const historySection: Section = {
  id: 'history',
  title: '6. History reports',
  async run(o, shared) {
    const agents = o.historyAgents ?? (o.quick ? 200 : 2000);
    const days = o.historyDays ?? (o.quick ? 7 : 30);
    // The long history (90 days × 5,000 agents) has its own goal.
    const goalMs = o.longHistory ? 500 : 300;
    const long = o.longHistory ? await prepareLong(SITE, ZONE, agents, days, '2026-11-02') : null;
    const { dir, meta } = long ?? (await prepare(agents, days));
    const scale = long
      ? `${meta.days} days, ${meta.agents} agents, ${(meta.events / 1e6).toFixed(1)}M events (${weekNote(long.meta)})`
      : `${meta.days} days, ${meta.agents} agents, ${(meta.events / 1e6).toFixed(2)}M events${meta.days < 30 || meta.agents < 2000 ? ' (smaller than the 30 days × 2,000 agents asked for)' : ''}`;
    const s = await startServer({ dataDir: path.join(dir, 'data') });
    const out: Figure[] = [];
    try {
      const q = `site=${SITE}&from=${meta.from}&to=${meta.to}`;
      const reports: [string, string][] = [
        ['intervals (15 min, all queues)', `/api/reports/intervals?${q}&interval=15`],
        ['conformance by agent', `/api/reports/conformance?${q}&by=agent`],
        // Over 90 days by agent is 450,000 rows: by team shows what the report costs apart
        // from its response's size.
        ...(long
          ? [['conformance by team', `/api/reports/conformance?${q}&by=team`] as [string, string]]
          : []),
        ['attendance by team', `/api/reports/attendance?${q}&by=team`],
      ];
      if (long) {
        const built = await buildFactsDaily(s.url, s.pid, SITE, dir, meta.from, meta.to);
        out.push(...factsFigures(built));
        out.push(await sameDayFigure(s.url, long.meta));
      }
      const reps = o.quick ? 3 : 10;
      for (const [name, url] of reports) {
        let rows = 0;
        let error = '';
        // One untimed request first: it loads the parts' marks and the page cache, and
        // builds the stored facts of days not built yet (503 while it builds).
        try {
          const first = await getReport(`${s.url}${url}`);
          rows = (first.body as { rows?: unknown[] }).rows?.length ?? 0;
        } catch (e) {
          error = String((e as Error).message).slice(0, 150);
        }
        if (error) {
          out.push({
            section: '6 history',
            name,
            value: null,
            unit: 'ms',
            status: 'not measured',
            note: error,
          });
          continue;
        }
        const load0 = os.loadavg()[0] ?? 0;
        const c0 = cpuSeconds(s.pid);
        const m0 = mainThreadCpuSeconds(s.pid);
        // runs × reps requests, but at most a time budget (a report of several seconds
        // would take the whole bench), and never fewer than 3.
        const budgetMs = o.quick ? 8_000 : 40_000;
        const t: number[] = [];
        const tStart = performance.now();
        while (
          t.length < o.runs * reps &&
          (t.length < 3 || performance.now() - tStart < budgetMs)
        ) {
          const t0 = performance.now();
          const res = await fetch(`${s.url}${url}`, { headers: benchAuth() });
          await res.arrayBuffer();
          t.push(performance.now() - t0);
        }
        // Where a request's time goes: ClickHouse's threads or the JS main thread.
        const cpuMs = ((cpuSeconds(s.pid) - c0) * 1000) / t.length;
        const jsMs = ((mainThreadCpuSeconds(s.pid) - m0) * 1000) / t.length;
        const load = `load average ${load0.toFixed(1)} before, ${(os.loadavg()[0] ?? 0).toFixed(1)} after`;
        const sorted = [...t].sort((x, y) => x - y);
        const med = quantileSorted(sorted, 0.5);
        const m = {
          median: med,
          min: sorted[0] as number,
          max: sorted[sorted.length - 1] as number,
          runs: t,
        };
        const p95 = quantileSorted(sorted, 0.95);
        out.push({
          section: '6 history',
          name: `${name} median`,
          value: m,
          unit: 'ms',
          goal: `≤ ${goalMs} ms`,
          status: med <= goalMs ? 'pass' : 'short',
          note: `${rows} rows; ${scale}; spread is min–max of the ${t.length} requests`,
        });
        out.push({
          section: '6 history',
          name: `${name} p95`,
          value: { median: p95, min: p95, max: p95, runs: [p95] },
          unit: 'ms',
          status: 'info',
          note: `${t.length} requests; server CPU per request ${cpuMs.toFixed(0)} ms, of which the JS main thread ${jsMs.toFixed(0)} ms (the rest is ClickHouse's threads); ${load}`,
        });
        if (med > goalMs)
          shared.findings.push(
            `**History, ${name}** — ${med.toFixed(0)} ms median over ${scale}; ${load}. The server used ${cpuMs.toFixed(0)} ms of CPU per request for ${rows} rows, ${jsMs.toFixed(0)} ms of it on the JS main thread, the rest in ClickHouse's threads.`,
          );
      }
    } finally {
      await s.stop();
    }
    return out;
  },
};
