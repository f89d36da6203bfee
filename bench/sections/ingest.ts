// 2. Sustained ingest: events/s acknowledged (committed) by Floorwatch from several WS
// producer processes, closed-loop, at 1, 100 and 1,000 events per message, with the p99 ack
// latency; and side by side in the same run, the bare pipeline a team would write by hand
// (bench/workers/bare-pipeline.ts), whose rate is the yardstick of the ratio goal.
import { mkdirSync, rmSync } from 'node:fs';
import { readConfig } from '../../ingest/src/config.js';
import { runProducers, windowFor, type LoadResult } from '../lib/load.js';
import { loginLines, isoNow } from '../lib/lines.js';
import {
  cpuSeconds,
  forkWorker,
  postLines,
  settle,
  startServer,
  tempDir,
  threadCpuSeconds,
  type Server,
} from '../lib/proc.js';
import { framesText, topFiles, topFrames } from '../lib/profile.js';
import { dist, spread } from '../lib/stats.js';
import type { BenchOptions, Figure, Section } from '../lib/types.js';
import { BATCHES } from './raw.js';

export const SITE = 'bench';
export const QUEUES = 50;

async function load(
  o: BenchOptions,
  s: Server,
  batch: number,
  run: string,
): Promise<LoadResult & { cpu: number; threads: Map<string, number> }> {
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

export async function loginAgents(
  s: Server,
  agents: number,
  queues = QUEUES,
  site = SITE,
): Promise<void> {
  await postLines(s.url, loginLines(site, `login-${Date.now()}-`, agents, queues, isoNow()));
}

/** Acknowledged events/s each batch size must sustain (p99 ack ≤ 1 s): 100–200× a 20,000-agent floor's peak. */
const GOAL: Record<number, number> = { 1: 50_000, 100: 100_000, 1000: 100_000 };
/** Floorwatch's acknowledged events/s as a share of the bare pipeline's, in the same run. */
const RATIO_GOAL = 0.7;

/** Runs the load against the bare pipeline worker (bench/workers/bare-pipeline.ts). */
async function loadBare(
  o: BenchOptions,
  port: number,
  pid: number,
  batch: number,
  run: string,
): Promise<LoadResult & { cpu: number }> {
  const c0 = cpuSeconds(pid);
  const t0 = performance.now();
  const res = await runProducers(
    Array.from({ length: o.producers }, (_, p) => ({
      url: `ws://127.0.0.1:${port}/ws/ingest`,
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
  return { ...res, cpu: (cpuSeconds(pid) - c0) / ((performance.now() - t0) / 1000) };
}

export const ingestSection: Section = {
  id: 'ingest',
  title: '2. Sustained ingest, beside the bare pipeline',
  async run(o, shared) {
    const out: Figure[] = [];
    const s = await startServer();
    // The bare pipeline gathers its inserts by the server's own rule (FLOORWATCH_FLUSH_ROWS /
    // _MS, defaults included), so the ratio compares like with like whatever they are set to.
    const { flushRows, flushMs } = readConfig(process.env);
    const cfg = { flushRows, flushMs, maxRows: 1_000_000 };
    const bare = forkWorker<{ committed: number }>('bare-pipeline', cfg);
    const shortBatches: number[] = [];
    try {
      const info = await bare.ready;
      const port = Number(info['port']);
      const barePid = Number(info['pid']);
      await loginAgents(s, o.agents);
      // Warm-up of both: JIT, first parts, dedupe sets.
      const warm = {
        site: SITE,
        agents: o.agents,
        queues: QUEUES,
        batch: 100,
        window: 50,
        rate: 0,
        durationMs: 1000,
      };
      await runProducers([{ ...warm, url: `${s.wsUrl}/ws/ingest`, prefix: 'warm-' }]);
      await runProducers([{ ...warm, url: `ws://127.0.0.1:${port}/ws/ingest`, prefix: 'warm-' }]);
      for (const b of BATCHES) {
        const fw = {
          rates: [] as number[],
          p99s: [] as number[],
          cpus: [] as number[],
          splits: [] as Map<string, number>[],
        };
        const br = { rates: [] as number[], p99s: [] as number[], cpus: [] as number[] };
        let errs = 0;
        let censored = 0;
        let firstError: string | null = null;
        for (let r = 0; r < o.runs; r++) {
          // Side by side: the two take turns, and which goes first alternates.
          const runFw = async () => {
            const res = await load(o, s, b, `i${b}r${r}`);
            fw.rates.push(res.ackedPerSec);
            fw.p99s.push(dist(res.lat).p99);
            fw.cpus.push(res.cpu);
            fw.splits.push(res.threads);
            errs += res.errors;
            censored += res.censored;
            firstError ??= res.firstError;
            await settle(s.pid, 20_000);
          };
          const runBare = async () => {
            const res = await loadBare(o, port, barePid, b, `b${b}r${r}`);
            br.rates.push(res.ackedPerSec);
            br.p99s.push(dist(res.lat).p99);
            br.cpus.push(res.cpu);
            await settle(barePid, 20_000);
          };
          if (r % 2) {
            await runBare();
            await runFw();
          } else {
            await runFw();
            await runBare();
          }
        }
        const rate = spread(fw.rates);
        const p99 = spread(fw.p99s);
        const ratio = spread(fw.rates.map((x, i) => x / (br.rates[i] || NaN)));
        const meets = rate.median >= (GOAL[b] ?? 0) && p99.median <= 1000;
        if (!meets || ratio.median < RATIO_GOAL) shortBatches.push(b);
        const sec = '2 sustained ingest';
        out.push({
          section: sec,
          name: `acknowledged, batch ${b}`,
          value: rate,
          unit: 'events/s',
          goal: `≥ ${(GOAL[b] ?? 0).toLocaleString('en')} with p99 ack ≤ 1 s`,
          status: meets ? 'pass' : 'short',
          note: `${o.producers} producers × ${windowFor(b)} batches in flight; server CPU ${spread(fw.cpus).median.toFixed(2)} cores${censored ? `; ${censored} batches unacknowledged 2 s after the run count at their age` : ''}${errs ? `; ${errs} error replies, e.g. "${(firstError ?? '').slice(0, 100)}"` : ''}`,
        });
        out.push({
          section: sec,
          name: `bare pipeline acknowledged, batch ${b}`,
          value: spread(br.rates),
          unit: 'events/s',
          status: 'info',
          note: `uWS + JSON.parse + chdb JSONEachRow inserts (${cfg.flushRows.toLocaleString('en')} rows or ${cfg.flushMs} ms), acks after commit; its CPU ${spread(br.cpus).median.toFixed(2)} cores; p99 ack ${Math.round(spread(br.p99s).median)} ms`,
        });
        out.push({
          section: sec,
          name: `ratio to the bare pipeline, batch ${b}`,
          value: ratio,
          unit: '×',
          goal: `≥ ${RATIO_GOAL}`,
          status: ratio.median >= RATIO_GOAL ? 'pass' : 'short',
          note: 'each run divided by the bare run beside it',
        });
        // CPU time per event holds up on a shared machine where the server gets only part of
        // the cores: it says what one event costs, whatever else runs.
        out.push({
          section: sec,
          name: `server CPU per acknowledged event, batch ${b}`,
          value: spread(fw.cpus.map((c, i) => (c * 1e6) / (fw.rates[i] || NaN))),
          unit: 'µs',
          status: 'info',
          note: `bare pipeline ${spread(br.cpus.map((c, i) => (c * 1e6) / (br.rates[i] || NaN))).median.toFixed(1)} µs; Floorwatch cores by thread (median): ${splitText(fw.splits)}`,
        });
        out.push({
          section: sec,
          name: `p99 ack latency, batch ${b}`,
          value: p99,
          unit: 'ms',
          goal: '≤ 1000 ms',
          status: p99.median <= 1000 ? 'pass' : 'short',
        });
      }
    } finally {
      await s.stop();
      bare.send({ type: 'stop' });
      await bare.result.catch(() => {});
      bare.kill();
    }
    if (shortBatches.length && o.profile)
      shared.findings.push(await profileIngest(o, Math.max(...shortBatches)));
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
  const med = [...names]
    .map((n) => [n, spread(splits.map((m) => m.get(n) ?? 0)).median] as const)
    .filter(([, v]) => v >= 0.01);
  med.sort((a, b) => b[1] - a[1]);
  return (
    med.map(([n, v]) => `${n} ${v.toFixed(2)}`).join(', ') +
    " (node workers = libuv threads, where chdb's insert call runs, and V8's GC/compiler workers; ThreadPool = chdb's insert and views; MergeMutate = background merges)"
  );
}
