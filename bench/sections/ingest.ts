// 2. Sustained ingest: events/s acknowledged (committed) by Floorwatch from several WS
// producer processes, closed-loop, at 1, 100 and 1,000 events per message, as a ratio to
// the lower of the raw transport and raw insert limits, with the p99 ack latency.
import { mkdirSync, rmSync } from 'node:fs';
import { runProducers, windowFor, type LoadResult } from '../lib/load.js';
import { loginLines, isoNow } from '../lib/lines.js';
import { cpuSeconds, postLines, settle, startServer, tempDir, threadCpuSeconds, type Server } from '../lib/proc.js';
import { framesText, topFiles, topFrames } from '../lib/profile.js';
import { dist, spread } from '../lib/stats.js';
import type { BenchOptions, Figure, Section, Shared } from '../lib/types.js';
import { BATCHES } from './raw.js';

export const SITE = 'bench';
export const QUEUES = 50;

async function load(o: BenchOptions, s: Server, batch: number, run: string): Promise<LoadResult & { cpu: number; threads: Map<string, number> }> {
  const c0 = cpuSeconds(s.pid);
  const th0 = threadCpuSeconds(s.pid);
  const t0 = performance.now();
  const res = await runProducers(
    Array.from({ length: o.producers }, (_, p) => ({
      url: `${s.wsUrl}/ws/ingest`,
      site: SITE,
      prefix: `${run}-${p}-`,
      agents: o.agents,
      queues: QUEUES,
      batch,
      window: windowFor(batch),
      rate: 0,
      durationMs: o.durationS * 1000,
    })),
  );
  // Server CPU over the run, in cores (1.0 = one core busy): all threads, chdb's included,
  // and the same split by thread group.
  const el = (performance.now() - t0) / 1000;
  const threads = new Map<string, number>();
  for (const [k, v] of threadCpuSeconds(s.pid)) threads.set(k, (v - (th0.get(k) ?? 0)) / el);
  return { ...res, cpu: (cpuSeconds(s.pid) - c0) / el, threads };
}

export async function loginAgents(s: Server, agents: number, queues = QUEUES, site = SITE): Promise<void> {
  await postLines(s.url, loginLines(site, `login-${Date.now()}-`, agents, queues, isoNow()));
}

export const ingestSection: Section = {
  id: 'ingest',
  title: '2. Sustained ingest',
  async run(o, shared) {
    const out: Figure[] = [];
    const s = await startServer();
    const shortBatches: number[] = [];
    try {
      await loginAgents(s, o.agents);
      // Warm-up: JIT, first parts, dedupe maps.
      await runProducers([{ url: `${s.wsUrl}/ws/ingest`, site: SITE, prefix: 'warm-', agents: o.agents, queues: QUEUES, batch: 100, window: 50, rate: 0, durationMs: 1000 }]);
      for (const b of BATCHES) {
        const rates: number[] = [];
        const p99s: number[] = [];
        const cpus: number[] = [];
        const splits: Map<string, number>[] = [];
        let errs = 0;
        let censored = 0;
        let firstError: string | null = null;
        for (let r = 0; r < o.runs; r++) {
          const res = await load(o, s, b, `i${b}r${r}`);
          rates.push(res.ackedPerSec);
          p99s.push(dist(res.lat).p99);
          cpus.push(res.cpu);
          splits.push(res.threads);
          errs += res.errors;
          censored += res.censored;
          await settle(s.pid, 20_000);
          firstError ??= res.firstError;
        }
        const limit = Math.min(shared.transport.get(b) ?? Infinity, shared.insertLimit ?? Infinity);
        const rate = spread(rates);
        const p99 = spread(p99s);
        const ratio = Number.isFinite(limit) ? spread(rates.map((x) => x / limit)) : null;
        const ok = ratio !== null && ratio.median >= 0.5 && p99.median <= 1000;
        if (!ok) shortBatches.push(b);
        out.push({ section: '2 sustained ingest', name: `acknowledged, batch ${b}`, value: rate, unit: 'events/s', status: 'info', note: `${o.producers} producers × ${windowFor(b)} batches in flight; server CPU ${spread(cpus).median.toFixed(2)} cores${censored ? `; ${censored} batches unacknowledged 2 s after the run count at their age` : ''}${errs ? `; ${errs} error replies, e.g. "${(firstError ?? '').slice(0, 100)}"` : ''}` });
        out.push({
          section: '2 sustained ingest',
          name: `ratio to lower raw limit, batch ${b}`,
          value: ratio,
          unit: '×',
          goal: '≥ 0.5 with p99 ack ≤ 1 s',
          status: ratio === null ? 'not measured' : ok ? 'pass' : 'short',
          note: Number.isFinite(limit) ? `limit ${Math.round(limit).toLocaleString('en')}/s = min(transport batch ${b}, best raw insert${shared.insertLimitFrom ? `: ${shared.insertLimitFrom}` : ''})` : 'raw limits not measured in this run (use without --only)',
        });
        // CPU time per event holds up on a shared machine where the server gets only part of
        // the cores: it says what one event costs, whatever else runs.
        out.push({ section: '2 sustained ingest', name: `server CPU per acknowledged event, batch ${b}`, value: spread(cpus.map((c, i) => (c * 1e6) / (rates[i] || NaN))), unit: 'µs', status: 'info', note: `all server threads (JS + chdb) over the run, divided by events acknowledged; cores by thread (median): ${splitText(splits)}` });
        out.push({ section: '2 sustained ingest', name: `p99 ack latency, batch ${b}`, value: p99, unit: 'ms', goal: '≤ 1000 ms', status: p99.median <= 1000 ? 'pass' : 'short' });
      }
    } finally {
      await s.stop();
    }
    if (shortBatches.length && o.profile) shared.findings.push(await profileIngest(o, Math.max(...shortBatches)));
    return out;
  },
};

/** Runs the short load again against a server under --cpu-prof and summarises the profile. */
async function profileIngest(o: BenchOptions, batch: number): Promise<string> {
  const dir = tempDir('prof');
  mkdirSync(dir, { recursive: true });
  const s = await startServer({ nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
  try {
    await loginAgents(s, o.agents);
    await load(o, s, batch, `prof${batch}`);
  } finally {
    await s.stop();
  }
  const frames = topFrames(dir);
  const files = topFiles(dir);
  rmSync(dir, { recursive: true, force: true });
  return `**Sustained ingest, batch ${batch}** — main-thread CPU profile of the server (node --cpu-prof; self time, idle excluded; whole server life incl. start-up) under ${o.producers} closed-loop producers. Top functions:\n\n${framesText(frames)}\n\nBy file:\n\n${framesText(files)}`;
}


/** "main 0.55, node workers 0.40, ThreadPool 0.45, …": median cores per thread group over the runs. */
function splitText(splits: Map<string, number>[]): string {
  const names = new Set(splits.flatMap((m) => [...m.keys()]));
  const med = [...names].map((n) => [n, spread(splits.map((m) => m.get(n) ?? 0)).median] as const).filter(([, v]) => v >= 0.01);
  med.sort((a, b) => b[1] - a[1]);
  return med.map(([n, v]) => `${n} ${v.toFixed(2)}`).join(', ') + " (node workers = libuv threads, where chdb's insert call runs, and V8's GC/compiler workers; ThreadPool = chdb's insert and views; MergeMutate = background merges)";
}
