// 5. Memory: server RSS with 20,000 live agents on 500 queues, per agent. Each run is a
// fresh server.
//
// The headline is the anonymous RSS (RssAnon: V8's heap, malloc'd memory, not the code
// pages mapped from files) of the loaded server minus that of a warmed-up idle server,
// divided by 20,000, both read right after a forced full GC, with V8's young generation left
// out of both sides:
// - the young generation is sized by the recent allocation rate (up to 2 x 64 MiB with
//   SERVER_NODE_ARGS), not by the agents held, and after a burst of inserts it may be
//   larger in the idle baseline than in the loaded server (the steady reading then came out
//   at 0.2-1.6 KB/agent from run to run while the live heap stayed at 0.85);
// - file-backed pages are the code of libchdb and Node, resident once a code path first
//   runs (background merges start only under the load in a --quick run: 1.0 KB/agent of
//   file pages there, 0.02 in full runs).
// - Baseline: the server after a small warm-up site (200 agents on 10 queues and a few
//   calls, and 5,000 state changes of those agents in one insert), so what any ingesting server has whatever its size (code pages of libchdb and
//   Node first run by an insert, allocator arenas, V8's optimised code) is not charged to
//   the agents. The cold idle RSS (started, migrated, no site) stays as an info row.
// - Steady (info row, the headline until session 5): no forced GC; RSS sampled every 2 s after the load; the reading is the median of the last
//   five samples once at least 30 s have passed (20 s with --quick) and five samples
//   were taken after a major GC since the load (the per-second clock ticks fill the young
//   generation with garbage until one runs; the memory reducer frees pages soon after),
//   at most 60 s (36 s). Major GCs are seen through a
//   PerformanceObserver in the server (GC_WATCH_ARGS: one stderr line per major GC).
// The former headline, RSS right after the load (CPU settled) minus the cold idle RSS,
// stays as an info row. To show what is what, the same server (started with --expose-gc
// and a SIGUSR2 probe, see GC_PROBE_ARGS) is then read after a forced full GC, over the
// warm baseline also read after a forced GC, split into V8's live heap, V8's resident
// heap pages (young generation included), native anonymous memory (chdb's and Node's
// malloc arenas, thread stacks, buffers) and file-backed pages (code). Finally 10,000
// more agents sign in and the after-GC growth per added agent is the marginal cost.
import { rmSync } from 'node:fs';
import {
  gcMemory,
  GC_PROBE_ARGS,
  postLines,
  rssBytes,
  settle,
  sleep,
  startServer,
  tempDir,
  type GcMemory,
  type Server,
} from '../lib/proc.js';
import { framesText, topAllocations } from '../lib/profile.js';
import { isoNow, loginLines } from '../lib/lines.js';
import { spread, type Spread } from '../lib/stats.js';
import type { Figure, Section } from '../lib/types.js';
import { benchAuth } from '../lib/token.js';
import { GC_WATCH_ARGS, steadyRss } from '../lib/steady-rss.js';

const AGENTS = 20_000;
const QUEUES = 500;
/** Agents added after the 20,000 for the marginal figure. */
const MORE = 10_000;

async function heapUsed(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { headers: benchAuth() })).text();
  return Number(/^nodejs_heap_size_used_bytes (\S+)/m.exec(text)?.[1] ?? NaN);
}

/** 20,000 agents signed in on 500 queues, and one call waiting on every queue. */
async function loadSite(s: Server, site: string): Promise<void> {
  await postLines(s.url, loginLines(site, `${site}-`, AGENTS, QUEUES, isoNow()), 5000);
  // One call offered per queue, so every queue has live figures, not just a name.
  const calls = Array.from(
    { length: QUEUES },
    (_, q) =>
      `{"id":"${site}-c${q}","ts":"${isoNow()}","type":"call.offered","site":"${site}","call":"mc${q}","queue":"q${q}"}`,
  );
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

const kb = (x: Spread): Spread => ({
  ...x,
  median: x.median / 1024,
  min: x.min / 1024,
  max: x.max / 1024,
});

/** Warm-up site of the baseline: what any ingesting server has, charged to no agent. */
const WARM_AGENTS = 200;
const WARM_QUEUES = 10;

export const memorySection: Section = {
  id: 'memory',
  title: '5. Memory per live agent',
  async run(o, shared) {
    // --quick: one run and a shorter wait (the whole quick bench must stay under 3 minutes).
    const runs = o.quick ? 1 : o.runs;
    const [minS, maxS, warmS] = o.quick ? [20, 36, 4] : [30, 60, 10];
    const steadyPer: number[] = [];
    const immediatePer: number[] = [];
    const heapPer: number[] = [];
    const idle: number[] = [];
    const warmIdle: number[] = [];
    const loaded: number[] = [];
    const waited: number[] = [];
    // After a forced GC, per agent (bytes): each key is one row below.
    const gc: Record<
      | 'rss'
      | 'old'
      | 'live'
      | 'v8'
      | 'young'
      | 'native'
      | 'file'
      | 'marginal'
      | 'marginalOld'
      | 'marginalLive',
      number[]
    > = {
      rss: [],
      old: [],
      live: [],
      v8: [],
      young: [],
      native: [],
      file: [],
      marginal: [],
      marginalOld: [],
      marginalLive: [],
    };
    let seen = '';
    let noMajor = 0;
    for (let r = 0; r < runs; r++) {
      const s = await startServer({ nodeArgs: [...GC_PROBE_ARGS, ...GC_WATCH_ARGS] });
      try {
        await settle(s.pid);
        const rssCold = rssBytes(s.pid);
        // Warm-up site, then the baseline: after a forced GC (for the split), then RSS.
        const w = `warm${r}`;
        await postLines(s.url, loginLines(w, `${w}-`, WARM_AGENTS, WARM_QUEUES, isoNow()), 5000);
        // 5,000 state changes of the same 200 agents: inserts as large as the load's, so the
        // code and arenas of a 5,000-row insert are in the baseline too, not charged to agents.
        const t = isoNow();
        const states = ['ready', 'not_ready', 'ready', 'wrap_up'];
        await postLines(
          s.url,
          Array.from(
            { length: 5000 },
            (_, i) =>
              `{"id":"${w}-s${i}","ts":"${t}","type":"agent.state","site":"${w}","agent":"${w}-${i % WARM_AGENTS}","state":"${states[i % 4]}"}`,
          ),
          5000,
        );
        await postLines(
          s.url,
          Array.from(
            { length: WARM_QUEUES },
            (_, q) =>
              `{"id":"${w}-c${q}","ts":"${isoNow()}","type":"call.offered","site":"${w}","call":"wc${q}","queue":"q${q}"}`,
          ),
        );
        await settle(s.pid);
        await sleep(warmS * 1000);
        const g0 = await gcMemory(s);
        await settle(s.pid);
        const base = await steadyRss(s, 0, 10);
        const rss0 = base.rss;
        const heap0 = await heapUsed(s.url);
        const site = `mem${r}`;
        await loadSite(s, site);
        const live = (await (
          await fetch(`${s.url}/api/live?site=${site}`, { headers: benchAuth() })
        ).json()) as { agents?: unknown[]; queues?: unknown[] };
        seen = `${live.agents?.length ?? 0} agents, ${live.queues?.length ?? 0} queues live in /api/live`;
        if ((live.agents?.length ?? 0) < AGENTS) throw new Error(`only ${seen}`);
        await settle(s.pid);
        const rssNow = rssBytes(s.pid);
        const heap1 = await heapUsed(s.url);
        const st = await steadyRss(s, minS, maxS);
        if (st.majorGcs === 0) noMajor++;
        idle.push(rssCold / 2 ** 20);
        warmIdle.push(rss0 / 2 ** 20);
        loaded.push(st.rss / 2 ** 20);
        waited.push(st.waitedS);
        steadyPer.push((st.rss - rss0) / AGENTS);
        immediatePer.push((rssNow - rssCold) / AGENTS);
        heapPer.push((heap1 - heap0) / AGENTS);
        const g1 = await gcMemory(s);
        const per = (k: keyof GcMemory) => (g1[k] - g0[k]) / AGENTS;
        gc.rss.push(per('rss'));
        gc.old.push(per('anon') - per('young'));
        gc.live.push(per('heapUsed'));
        gc.v8.push(per('physical'));
        gc.young.push(per('young'));
        gc.native.push(per('anon') - per('physical'));
        gc.file.push(per('file'));
        // Marginal: 10,000 more agents on the same site (same queues), after a GC again.
        await postLines(
          s.url,
          loginLines(site, `${site}-`, AGENTS + MORE, QUEUES, isoNow()).slice(AGENTS),
          5000,
        );
        await settle(s.pid);
        const g2 = await gcMemory(s);
        gc.marginal.push((g2.rss - g1.rss) / MORE);
        gc.marginalOld.push((g2.anon - g2.young - (g1.anon - g1.young)) / MORE);
        gc.marginalLive.push((g2.heapUsed - g1.heapUsed) / MORE);
      } finally {
        await s.stop();
      }
    }
    const per = spread(gc.old);
    if (per.median / 1024 > 2 && o.profile) shared.findings.push(await heapProfile());
    const after = (name: string, k: keyof typeof gc, note: string): Figure => ({
      section: '5 memory',
      name,
      value: kb(spread(gc[k])),
      unit: 'KB',
      status: 'info',
      note,
    });
    const wait = spread(waited);
    return [
      {
        section: '5 memory',
        name: 'server RSS idle',
        value: spread(idle),
        unit: 'MiB',
        status: 'info',
        note: 'started and migrated, no site (chdb session open)',
      },
      {
        section: '5 memory',
        name: 'server RSS idle after warm-up',
        value: spread(warmIdle),
        unit: 'MiB',
        status: 'info',
        note: `after a ${WARM_AGENTS}-agent / ${WARM_QUEUES}-queue warm-up site with one 5,000-event insert (code pages, allocator arenas any ingesting server has), no forced GC, median of 5 samples 2 s apart`,
      },
      {
        section: '5 memory',
        name: `server RSS, ${AGENTS.toLocaleString('en')} agents / ${QUEUES} queues (steady)`,
        value: spread(loaded),
        unit: 'MiB',
        status: 'info',
        note: seen,
      },
      {
        section: '5 memory',
        name: 'RSS per live agent (anonymous, after GC, young generation left out)',
        value: kb(per),
        unit: 'KB',
        goal: '≤ 2 KB',
        status: per.median / 1024 <= 2 ? 'pass' : 'short',
        note:
          'anonymous RSS (RssAnon: heap and malloc, not code pages mapped from files) of the loaded server minus that of the warmed-up idle server (the baseline), both read right after a forced full GC, each less its V8 young generation (sized by the recent allocation rate, up to 2 × 64 MiB, not by agents); the rows "of which young generation" and "file-backed pages" below are what is left out, / 20,000' +
          (o.quick ? '; --quick: 1 run, shorter wait' : ''),
      },
      {
        section: '5 memory',
        name: 'RSS per live agent (steady state, no GC, minus warm idle)',
        value: kb(spread(steadyPer)),
        unit: 'KB',
        status: 'info',
        note:
          `the headline until session 5: RSS sampled every 2 s after the load, read (median of the last 5 samples) once ≥ ${minS} s passed and 10 s after V8's first major GC since the load ` +
          `(waited ${wait.min.toFixed(0)}-${wait.max.toFixed(0)} s${noMajor ? `; ${noMajor} run(s) saw no major GC within ${maxS} s` : ''}), minus the warmed-up idle baseline; ` +
          'swings with the young generation each side happens to hold',
      },
      {
        section: '5 memory',
        name: 'RSS per live agent right after the load (minus cold idle)',
        value: kb(spread(immediatePer)),
        unit: 'KB',
        status: 'info',
        note: 'the former headline: read as soon as the CPU settles after the load, over the cold idle server; includes garbage not yet collected and first-touched code pages',
      },
      {
        section: '5 memory',
        name: 'V8 heap used per live agent',
        value: kb(spread(heapPer)),
        unit: 'KB',
        status: 'info',
        note: 'from /metrics nodejs_heap_size_used_bytes right after the load, over the warm baseline (no forced GC)',
      },
      after(
        'after GC: RSS per live agent (minus warm idle after GC)',
        'rss',
        'same server after the steady reading, over the warm baseline, both after a forced full GC; the sum of the next four rows',
      ),
      after(
        'after GC: V8 live heap per agent',
        'live',
        'the live state in JS objects (heapUsed after GC)',
      ),
      after(
        'after GC: V8 resident heap pages per agent',
        'v8',
        'heap pages V8 keeps, live heap included; of it the young generation:',
      ),
      after(
        'after GC: of which young generation',
        'young',
        "V8's new space, sized by the allocation rate, not by agents",
      ),
      after(
        'after GC: native anonymous memory per agent',
        'native',
        'RssAnon minus V8 heap pages: malloc arenas (chdb inserts, Node), thread stacks, buffers',
      ),
      after(
        'after GC: file-backed pages per agent',
        'file',
        'RssFile: code of libchdb/node first run by the larger inserts',
      ),
      after(
        `marginal anonymous RSS per agent, young generation left out (${(AGENTS / 1000).toFixed(0)}k → ${((AGENTS + MORE) / 1000).toFixed(0)}k agents, after GC)`,
        'marginalOld',
        `${MORE.toLocaleString('en')} more agents signed in on the same server: growth of RssAnon less the young generation after a forced GC / ${MORE.toLocaleString('en')}, as the headline is read`,
      ),
      after(
        `marginal RSS per agent (${(AGENTS / 1000).toFixed(0)}k → ${((AGENTS + MORE) / 1000).toFixed(0)}k agents, after GC)`,
        'marginal',
        `${MORE.toLocaleString('en')} more agents signed in on the same server (two more 5,000-line batches): RSS growth after a forced GC / ${MORE.toLocaleString('en')}; includes what V8's young generation and the allocators keep from those batches, so it swings from run to run`,
      ),
      after(
        'marginal V8 live heap per agent',
        'marginalLive',
        'heapUsed growth after GC over the same 10,000 agents',
      ),
    ];
  },
};
