// 7. Board frame times in Debian's Chromium (playwright-core) for a 2,000-agent site
// updating at 4 Hz: requestAnimationFrame intervals and long tasks, measured by the
// wallboard's own wallboard/bench/frame-times.ts (it starts its own server and driver).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../lib/proc.js';
import { spread } from '../lib/stats.js';
import type { Section } from '../lib/types.js';
import { notMeasured } from '../lib/types.js';

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

export const boardSection: Section = {
  id: 'board',
  title: '7. Board frame times in Chromium',
  async run(o) {
    const S = '7 board';
    if (!existsSync('/usr/bin/chromium')) return [notMeasured(S, 'frame times', 'no Chromium at /usr/bin/chromium')];
    const mod = path.join(ROOT, 'wallboard/bench/frame-times.ts');
    if (!existsSync(mod)) return [notMeasured(S, 'frame times', 'wallboard/bench/frame-times.ts does not exist yet')];
    const { measureBoardFrames } = (await import(mod)) as { measureBoardFrames(x: { agents: number; seconds: number; tv: boolean; browser?: unknown }): Promise<FrameStats> };
    const { launchBrowser } = (await import(path.join(ROOT, 'test/helpers/browser.ts'))) as { launchBrowser(): Promise<{ close(): Promise<void> }> };
    const browser = await launchBrowser();
    const runs: FrameStats[] = [];
    const agents = 2000;
    const seconds = o.quick ? 4 : 15;
    try {
      for (let r = 0; r < (o.quick ? 1 : o.runs); r++) runs.push(await measureBoardFrames({ agents, seconds, tv: false, browser }));
    } finally {
      await browser.close();
    }
    const f = (k: keyof FrameStats) => spread(runs.map((x) => x[k]));
    const note = `${agents} agents, 1 in 40 changing state every 250 ms, 1920×1080, ${seconds} s per run`;
    return [
      { section: S, name: 'frame interval p50', value: f('p50_ms'), unit: 'ms', status: 'info', note },
      { section: S, name: 'frame interval p95', value: f('p95_ms'), unit: 'ms', status: 'info' },
      { section: S, name: 'frame interval p99', value: f('p99_ms'), unit: 'ms', status: 'info' },
      { section: S, name: 'frame interval max', value: f('max_ms'), unit: 'ms', status: 'info' },
      { section: S, name: 'share of frames > 33.4 ms', value: ((x) => ({ ...x, median: x.median * 100, min: x.min * 100, max: x.max * 100 }))(f('slow_share')), unit: '%', status: 'info' },
      { section: S, name: 'long tasks (> 50 ms) per run', value: f('long_tasks'), unit: 'tasks', status: 'info', note: `total ${spread(runs.map((x) => x.long_task_ms)).median} ms of long tasks per run (median)` },
      { section: S, name: 'board messages received', value: f('messagesPerS'), unit: 'msgs/s', status: 'info', note: 'the events change the site at 4 Hz; fewer messages means the feed widened its window (its build cost for this site)' },
    ];
  },
};
