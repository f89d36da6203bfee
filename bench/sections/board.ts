// 7. Board: the feed bytes of a quiet 20,000-agent site (in process), and frame times in
// Debian's Chromium (playwright-core) for a 2,000-agent site
// updating at 4 Hz: requestAnimationFrame intervals and long tasks, measured by the
// wallboard's own wallboard/bench/frame-times.ts (it starts its own server and driver).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../lib/proc.js';
import { spread } from '../lib/stats.js';
import type { Figure, Section } from '../lib/types.js';
import { notMeasured } from '../lib/types.js';
import type { FwEvent } from '../../ingest/src/core/contract.js';
import { createQueueEngine } from '../../ingest/src/core/queue/engine.js';
import { defaultSiteConfig } from '../../ingest/src/core/site-config.js';
import { SiteRuntime } from '../../ingest/src/core/site-runtime.js';
import { createWorkforceEngine } from '../../ingest/src/core/workforce/engine.js';
import { QualityEngine } from '../../ingest/src/core/quality/engine.js';

interface FrameStats {
  frames: number;
  messagesPerS: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  max_ms: number;
  slow_share: number;
  long_tasks: number;
  long_task_ms: number;
}

/**
 * The feed's bytes per board per second on a quiet 20,000-agent site, in process: the real
 * queue and workforce engines, 1,334 teams of 15 on 3 queues, everyone rostered for work, a
 * quarter on break (out of adherence), 30 calls waiting, 30,000 work orders opened over the
 * last 12 hours (their limits pass about once a second); then ten 1-s clock checks with no
 * events, each delta serialised as the board gets it.
 */
export function quietSiteBytes(agents: number): {
  snapshot: number;
  perSecond: number;
  teams: number;
  agents: number;
  queues: number;
  /** Whole quality blocks and counts-only quality changes sent, per second. */
  quality: number;
  qualityCounts: number;
} {
  const T0 = Date.parse('2026-11-23T01:00:00.000Z');
  const cfg = defaultSiteConfig('Q');
  const rt = new SiteRuntime('Q', cfg, {
    queue: createQueueEngine('Q', cfg, { latenessMs: 10_000 }),
    workforce: createWorkforceEngine('Q', cfg),
    quality: new QualityEngine('Q', cfg),
  });
  const ids = Array.from({ length: agents }, (_, i) => `a${i}`);
  const team = (i: number) => `t${Math.floor(i / 15)}`;
  const day = '2026-11-23';
  rt.modules.workforce?.setRoster(
    ids.map((agent, i) => ({
      agent,
      team: team(i),
      start: T0,
      end: T0 + 8 * 3_600_000,
      activity: 'work',
      day,
    })),
    ids.map((agent) => ({ agent, day })),
  );
  const evs: FwEvent[] = [];
  ids.forEach((a, i) => {
    evs.push({
      id: `l${i}`,
      ts: T0 + i,
      site: 'Q',
      type: 'agent.login',
      agent: a,
      name: a.toUpperCase(),
      team: team(i),
      queues: [`q${i % 3}`],
    });
    evs.push(
      i % 4 === 0
        ? {
            id: `s${i}`,
            ts: T0 + 60_000 + i,
            site: 'Q',
            type: 'agent.state',
            agent: a,
            state: 'not_ready',
            reason: 'break',
          }
        : {
            id: `s${i}`,
            ts: T0 + 60_000 + i,
            site: 'Q',
            type: 'agent.state',
            agent: a,
            state: 'ready',
          },
    );
  });
  for (let c = 0; c < 30; c++)
    evs.push({
      id: `c${c}`,
      ts: T0 + 3_600_000 + c * 1000,
      site: 'Q',
      type: 'call.offered',
      call: `c${c}`,
      queue: `q${c % 3}`,
    });
  const now0 = T0 + 3_660_000;
  const classes = ['ordinary', 'ordinary', 'ordinary', 'hard', 'urgent'];
  const orders: FwEvent[] = [];
  for (let i = 0; i < 30_000; i++) {
    // Spread by a fixed stride (no randomness): about one every 1.4 s over 12 hours.
    const at = now0 - 12 * 3_600_000 + Math.floor((i * 12 * 3_600_000) / 30_000) + (i % 997);
    const ticket = `W${i}`;
    orders.push({
      id: `w${i}`,
      ts: at,
      site: 'Q',
      type: 'ticket.created',
      ticket,
      category: 'billing',
      class: classes[i % classes.length],
    } as unknown as FwEvent);
    if (i % 5 !== 0)
      orders.push({
        id: `ws${i}`,
        ts: at + 300_000,
        site: 'Q',
        type: 'ticket.signed',
        ticket,
      } as unknown as FwEvent);
  }
  orders.sort((a, b) => (a.ts as number) - (b.ts as number));
  rt.apply([...orders, ...evs], now0);
  const snapshot = JSON.stringify(rt.baseSnapshot(now0)).length;
  let bytes = 0;
  let a = 0;
  let q = 0;
  let t = 0;
  let qb = 0;
  let qc = 0;
  for (let k = 1; k <= 10; k++) {
    const d = rt.delta(now0 + k * 1000, { timed: true, heartbeat: true });
    bytes += d ? JSON.stringify(d).length : 0;
    a += d?.agents?.length ?? 0;
    q += d?.queues?.length ?? 0;
    t += d?.teams?.length ?? 0;
    qb += d?.quality ? 1 : 0;
    qc += d?.quality_counts ? 1 : 0;
  }
  return {
    snapshot,
    perSecond: bytes / 10,
    agents: a / 10,
    queues: q / 10,
    teams: t / 10,
    quality: qb / 10,
    qualityCounts: qc / 10,
  };
}

export const boardSection: Section = {
  id: 'board',
  title: '7. Board frame times in Chromium',
  async run(o) {
    const S = '7 board';
    const quiet = quietSiteBytes(20_000);
    const quietFig: Figure = {
      section: S,
      name: 'bytes per board per second, quiet 20,000-agent site (in process)',
      value: spread([quiet.perSecond / 1024]),
      unit: 'KB/s',
      goal: 'a few KB/s',
      status: quiet.perSecond <= 8 * 1024 ? 'pass' : 'short',
      note: `clock checks with no events: per second ${quiet.agents} agents, ${quiet.queues} queues, ${quiet.teams} of 1,334 teams, ${quiet.quality} quality blocks and ${quiet.qualityCounts} quality counts sent; snapshot ${(quiet.snapshot / 2 ** 20).toFixed(1)} MB; 5,000 agents out of adherence, 30,000 work orders open`,
    };
    if (!existsSync('/usr/bin/chromium'))
      return [quietFig, notMeasured(S, 'frame times', 'no Chromium at /usr/bin/chromium')];
    const mod = path.join(ROOT, 'wallboard/bench/frame-times.ts');
    if (!existsSync(mod))
      return [
        quietFig,
        notMeasured(S, 'frame times', 'wallboard/bench/frame-times.ts does not exist yet'),
      ];
    const { measureBoardFrames } = (await import(mod)) as {
      measureBoardFrames(x: {
        agents: number;
        seconds: number;
        tv: boolean;
        browser?: unknown;
      }): Promise<FrameStats>;
    };
    const { launchBrowser } = (await import(path.join(ROOT, 'test/helpers/browser.ts'))) as {
      launchBrowser(): Promise<{ close(): Promise<void> }>;
    };
    const browser = await launchBrowser();
    const runs: FrameStats[] = [];
    const agents = 2000;
    const seconds = o.quick ? 4 : 15;
    try {
      for (let r = 0; r < (o.quick ? 1 : o.runs); r++)
        runs.push(await measureBoardFrames({ agents, seconds, tv: false, browser }));
    } finally {
      await browser.close();
    }
    const f = (k: keyof FrameStats) => spread(runs.map((x) => x[k]));
    const note = `${agents} agents, 1 in 40 changing state every 250 ms, 1920×1080, ${seconds} s per run`;
    return [
      quietFig,
      {
        section: S,
        name: 'frame interval p50',
        value: f('p50_ms'),
        unit: 'ms',
        status: 'info',
        note,
      },
      { section: S, name: 'frame interval p95', value: f('p95_ms'), unit: 'ms', status: 'info' },
      { section: S, name: 'frame interval p99', value: f('p99_ms'), unit: 'ms', status: 'info' },
      { section: S, name: 'frame interval max', value: f('max_ms'), unit: 'ms', status: 'info' },
      {
        section: S,
        name: 'share of frames > 33.4 ms',
        value: ((x) => ({ ...x, median: x.median * 100, min: x.min * 100, max: x.max * 100 }))(
          f('slow_share'),
        ),
        unit: '%',
        status: 'info',
      },
      {
        section: S,
        name: 'long tasks (> 50 ms) per run',
        value: f('long_tasks'),
        unit: 'tasks',
        status: 'info',
        note: `total ${spread(runs.map((x) => x.long_task_ms)).median} ms of long tasks per run (median)`,
      },
      {
        section: S,
        name: 'board messages received',
        value: f('messagesPerS'),
        unit: 'msgs/s',
        status: 'info',
        note: 'the events change the site at 4 Hz; fewer messages means the feed widened its window (its build cost for this site)',
      },
    ];
  },
};
