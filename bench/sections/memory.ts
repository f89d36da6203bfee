// 5. Memory: server RSS with 20,000 live agents on 500 queues, per agent, over the RSS of
// the same server idle (started, migrated, no site). Each run is a fresh server.
//
// The headline figure is unchanged: RSS loaded minus RSS idle, divided by 20,000, read
// once the server's CPU settles, with no forced GC. It holds everything a user's server
// would hold at that moment, and much of it is not per agent: the V8 young generation
// (V8 grows it while the 5,000-line login batches are parsed and then fills it with the
// clock's per-second garbage, so it varies from run to run), the code and native buffers
// of the first large ClickHouse inserts, and garbage not yet collected. To show what is
// what, the same server (started with --expose-gc and a SIGUSR2 probe, see GC_PROBE_ARGS;
// nothing else changes) is then read after a forced full GC, split into V8's live heap,
// V8's resident heap pages (young generation included), native anonymous memory (chdb's and
// Node's malloc arenas, thread stacks, buffers) and file-backed pages (code). Finally 10,000
// more agents sign in and the after-GC growth per added agent is the marginal cost.
import { rmSync } from 'node:fs';
import { gcMemory, GC_PROBE_ARGS, postLines, rssBytes, settle, startServer, tempDir, type GcMemory, type Server } from '../lib/proc.js';
import { framesText, topAllocations } from '../lib/profile.js';
import { isoNow, loginLines } from '../lib/lines.js';
import { spread, type Spread } from '../lib/stats.js';
import type { Figure, Section } from '../lib/types.js';

const AGENTS = 20_000;
const QUEUES = 500;
/** Agents added after the 20,000 for the marginal figure. */
const MORE = 10_000;

async function heapUsed(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^nodejs_heap_size_used_bytes (\S+)/m.exec(text)?.[1] ?? NaN);
}

/** 20,000 agents signed in on 500 queues, and one call waiting on every queue. */
async function loadSite(s: Server, site: string): Promise<void> {
  await postLines(s.url, loginLines(site, `${site}-`, AGENTS, QUEUES, isoNow()), 5000);
  // One call offered per queue, so every queue has live figures, not just a name.
  const calls = Array.from({ length: QUEUES }, (_, q) => `{"id":"${site}-c${q}","ts":"${isoNow()}","type":"call.offered","site":"${site}","call":"mc${q}","queue":"q${q}"}`);
  await postLines(s.url, calls);
}

/** Where the live state's memory is allocated: a sampling heap profile of a loaded server. */
async function heapProfile(): Promise<string> {
  const dir = tempDir('heap');
  const s = await startServer({ nodeArgs: ['--heap-prof', `--heap-prof-dir=${dir}`] });
  try {
    await loadSite(s, 'memprof');
    await settle(s.pid);
  } finally {
    await s.stop();
  }
  const { frames, totalMiB } = topAllocations(dir);
  rmSync(dir, { recursive: true, force: true });
  return `**Memory per live agent** — sampling heap profile (node --heap-prof, live JS objects at shutdown, ${totalMiB.toFixed(0)} MiB sampled) of a server holding ${AGENTS.toLocaleString('en')} agents on ${QUEUES} queues; share of live bytes by allocating function:\n\n${framesText(frames)}`;
}

const kb = (x: Spread): Spread => ({ ...x, median: x.median / 1024, min: x.min / 1024, max: x.max / 1024 });

export const memorySection: Section = {
  id: 'memory',
  title: '5. Memory per live agent',
  async run(o, shared) {
    const perAgent: number[] = [];
    const heapPer: number[] = [];
    const idle: number[] = [];
    const loaded: number[] = [];
    // After a forced GC, per agent (bytes): each key is one row below.
    const gc: Record<'rss' | 'live' | 'v8' | 'young' | 'native' | 'file' | 'marginal' | 'marginalLive', number[]> = {
      rss: [],
      live: [],
      v8: [],
      young: [],
      native: [],
      file: [],
      marginal: [],
      marginalLive: [],
    };
    let seen = '';
    for (let r = 0; r < o.runs; r++) {
      const s = await startServer({ nodeArgs: GC_PROBE_ARGS });
      try {
        await settle(s.pid);
        // The idle GC reading comes first: a GC after the idle RSS reading could only make
        // the headline (loaded minus idle) smaller.
        const g0 = await gcMemory(s);
        await settle(s.pid);
        const rss0 = rssBytes(s.pid);
        const heap0 = await heapUsed(s.url);
        const site = `mem${r}`;
        await loadSite(s, site);
        const live = (await (await fetch(`${s.url}/api/live?site=${site}`)).json()) as { agents?: unknown[]; queues?: unknown[] };
        seen = `${live.agents?.length ?? 0} agents, ${live.queues?.length ?? 0} queues live in /api/live`;
        if ((live.agents?.length ?? 0) < AGENTS) throw new Error(`only ${seen}`);
        await settle(s.pid);
        const rss1 = rssBytes(s.pid);
        const heap1 = await heapUsed(s.url);
        idle.push(rss0 / 2 ** 20);
        loaded.push(rss1 / 2 ** 20);
        perAgent.push((rss1 - rss0) / AGENTS);
        heapPer.push((heap1 - heap0) / AGENTS);
        const g1 = await gcMemory(s);
        const per = (k: keyof GcMemory) => (g1[k] - g0[k]) / AGENTS;
        gc.rss.push(per('rss'));
        gc.live.push(per('heapUsed'));
        gc.v8.push(per('physical'));
        gc.young.push(per('young'));
        gc.native.push(per('anon') - per('physical'));
        gc.file.push(per('file'));
        // Marginal: 10,000 more agents on the same site (same queues), after a GC again.
        await postLines(s.url, loginLines(site, `${site}-`, AGENTS + MORE, QUEUES, isoNow()).slice(AGENTS), 5000);
        await settle(s.pid);
        const g2 = await gcMemory(s);
        gc.marginal.push((g2.rss - g1.rss) / MORE);
        gc.marginalLive.push((g2.heapUsed - g1.heapUsed) / MORE);
      } finally {
        await s.stop();
      }
    }
    const per = spread(perAgent);
    if (per.median / 1024 > 2 && o.profile) shared.findings.push(await heapProfile());
    const after = (name: string, k: keyof typeof gc, note: string): Figure => ({ section: '5 memory', name, value: kb(spread(gc[k])), unit: 'KB', status: 'info', note });
    return [
      { section: '5 memory', name: 'server RSS idle', value: spread(idle), unit: 'MiB', status: 'info', note: 'started and migrated, no site (chdb session open)' },
      { section: '5 memory', name: `server RSS, ${AGENTS.toLocaleString('en')} agents / ${QUEUES} queues`, value: spread(loaded), unit: 'MiB', status: 'info', note: seen },
      {
        section: '5 memory',
        name: 'RSS per live agent (minus idle)',
        value: kb(per),
        unit: 'KB',
        goal: '≤ 2 KB',
        status: per.median / 1024 <= 2 ? 'pass' : 'short',
        note: 'no forced GC; includes the V8 young generation, garbage not yet collected and chdb memory kept after the 20k-row inserts (split below)',
      },
      { section: '5 memory', name: 'V8 heap used per live agent', value: kb(spread(heapPer)), unit: 'KB', status: 'info', note: 'from /metrics nodejs_heap_size_used_bytes (no forced GC)' },
      after('after GC: RSS per live agent (minus idle after GC)', 'rss', 'same server right after the figures above, both readings after a forced full GC; the sum of the next four rows'),
      after('after GC: V8 live heap per agent', 'live', 'the live state in JS objects (heapUsed after GC)'),
      after('after GC: V8 resident heap pages per agent', 'v8', 'heap pages V8 keeps, live heap included; of it the young generation:'),
      after('after GC: of which young generation', 'young', "V8's new space, sized by the allocation rate, not by agents (default semi-space limit)"),
      after('after GC: native anonymous memory per agent', 'native', 'RssAnon minus V8 heap pages: malloc arenas (chdb inserts, Node), thread stacks, buffers'),
      after('after GC: file-backed pages per agent', 'file', 'RssFile: code of libchdb/node first run by the inserts'),
      after(`marginal RSS per agent (${(AGENTS / 1000).toFixed(0)}k → ${((AGENTS + MORE) / 1000).toFixed(0)}k agents, after GC)`, 'marginal', `${MORE.toLocaleString('en')} more agents signed in on the same server (two more 5,000-line batches): RSS growth after a forced GC / ${MORE.toLocaleString('en')}; includes what V8's young generation and the allocators keep from those batches, so it swings from run to run`),
      after('marginal V8 live heap per agent', 'marginalLive', 'heapUsed growth after GC over the same 10,000 agents'),
    ];
  },
};
