// 5. Memory: server RSS with 20,000 live agents on 500 queues, per agent, over the RSS of
// the same server idle (started, migrated, no site). Each run is a fresh server.
import { rmSync } from 'node:fs';
import { postLines, rssBytes, settle, startServer, tempDir, type Server } from '../lib/proc.js';
import { framesText, topAllocations } from '../lib/profile.js';
import { isoNow, loginLines } from '../lib/lines.js';
import { spread } from '../lib/stats.js';
import type { Figure, Section } from '../lib/types.js';

const AGENTS = 20_000;
const QUEUES = 500;

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

export const memorySection: Section = {
  id: 'memory',
  title: '5. Memory per live agent',
  async run(o, shared) {
    const perAgent: number[] = [];
    const heapPer: number[] = [];
    const idle: number[] = [];
    const loaded: number[] = [];
    let seen = '';
    for (let r = 0; r < o.runs; r++) {
      const s = await startServer();
      try {
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
      } finally {
        await s.stop();
      }
    }
    const per = spread(perAgent);
    if (per.median / 1024 > 2 && o.profile) shared.findings.push(await heapProfile());
    return [
      { section: '5 memory', name: 'server RSS idle', value: spread(idle), unit: 'MiB', status: 'info', note: 'started and migrated, no site (chdb session open)' },
      { section: '5 memory', name: `server RSS, ${AGENTS.toLocaleString('en')} agents / ${QUEUES} queues`, value: spread(loaded), unit: 'MiB', status: 'info', note: seen },
      { section: '5 memory', name: 'RSS per live agent (minus idle)', value: { ...per, median: per.median / 1024, min: per.min / 1024, max: per.max / 1024 }, unit: 'KB', goal: '≤ 2 KB', status: per.median / 1024 <= 2 ? 'pass' : 'short', note: 'includes chdb memory kept after the 20k-row inserts' },
      { section: '5 memory', name: 'V8 heap used per live agent', value: ((x) => ({ ...x, median: x.median / 1024, min: x.min / 1024, max: x.max / 1024 }))(spread(heapPer)), unit: 'KB', status: 'info', note: 'from /metrics nodejs_heap_size_used_bytes (no forced GC)' },
    ];
  },
};
