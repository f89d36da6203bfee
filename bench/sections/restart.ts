// 8. Restart to live board: a 20,000-agent site's day (the simulator's back-fill, 23 h up to
// now, with its roster: restart-day.ts), then kill -9 and a restart on the same data folder:
// the time until /healthz answers and until /api/live shows the figures it showed before the
// kill, and the restarted process's peak RSS. Then the 20,000-agent board on that day
// (board.ts).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { postLines, sleep, startServer, type Server } from '../lib/proc.js';
import { spread } from '../lib/stats.js';
import type { Figure, Section } from '../lib/types.js';
import { bigBoardFigures } from './board-big.js';
import { AUTH, ENV, HOURS, SITE, backfill } from './restart-day.js';

interface Live {
  interval_start: string;
  queues: {
    queue: string;
    waiting: number;
    ready_agents: number;
    agents_by_state: Record<string, number>;
    interval: Record<string, unknown>;
    today: Record<string, unknown>;
  }[];
  agents: {
    agent: string;
    state: string;
    reason: string | null;
    since: string;
    calls_today: number;
  }[];
}

const COUNTS = ['offered', 'answered', 'answered_within_threshold', 'abandoned', 'short_abandoned'];

/** The figures a restart must bring back: queue counts (interval ones only within the same interval) and agent states. */
function figureList(l: Live, withInterval: boolean): string[] {
  const q = l.queues.map((x) =>
    JSON.stringify([
      x.queue,
      x.waiting,
      x.ready_agents,
      // By state name: the object's key order follows which state each engine met first,
      // which a restarted engine need not share (the counts are what must match).
      Object.entries(x.agents_by_state).sort(([a], [b]) => (a < b ? -1 : 1)),
      COUNTS.map((k) => x.today[k]),
      withInterval ? COUNTS.map((k) => x.interval[k]) : null,
    ]),
  );
  const a = l.agents
    .map((x) => JSON.stringify([x.agent, x.state, x.reason, x.since, x.calls_today]))
    .sort();
  return [...q, ...a];
}

const figures = (l: Live, withInterval: boolean): string => figureList(l, withInterval).join('\n');

/** The first few figures that differ, and how many, for a restart that never matched. */
function differences(before: Live, after: Live | null): string {
  if (!after) return '/api/live did not answer';
  const same = after.interval_start === before.interval_start;
  const b = figureList(before, same);
  const a = new Set(figureList(after, same));
  const bs = new Set(b);
  const gone = b.filter((x) => !a.has(x));
  const added = [...a].filter((x) => !bs.has(x));
  return `${gone.length} figures differ; before: ${gone.slice(0, 5).join(' ')}; after: ${added.slice(0, 5).join(' ')}`;
}

async function live(url: string): Promise<Live | null> {
  try {
    const res = await fetch(`${url}/api/live?site=${SITE}`, { headers: AUTH });
    return res.ok ? ((await res.json()) as Live) : null;
  } catch {
    return null;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** Peak RSS (VmHWM) of a process in MiB. */
function peakRssMiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

interface RestartRun {
  healthzMs: number;
  liveMs: number;
  peakMiB: number;
  replayed: number;
  pages: number;
  ckptMiB: number;
  ckptSerializeMs: number;
  ckptWriteMs: number;
}

/** The site's checkpoint file (dataDir/checkpoints/<database>/<site>.ckpt), if any. */
function checkpointFile(dataDir: string): string | null {
  const root = path.join(dataDir, 'checkpoints');
  if (!existsSync(root)) return null;
  for (const db of readdirSync(root)) {
    const f = path.join(root, db, `${SITE}.ckpt`);
    if (existsSync(f)) return f;
  }
  return null;
}

/**
 * Waits until the running server has written a checkpoint of the site (a real floor has one
 * within FLOORWATCH_CHECKPOINT_S, 60 s by default), and reads its size and times from /metrics.
 */
async function awaitCheckpoint(
  s: Server,
  since: number,
): Promise<{ mib: number; serializeMs: number; writeMs: number }> {
  const t0 = performance.now();
  for (;;) {
    const f = checkpointFile(s.dataDir);
    if (f && statSync(f).mtimeMs >= since) break;
    if (performance.now() - t0 > 300_000) throw new Error('no checkpoint within 300 s');
    await sleep(500);
  }
  // The server sets the metrics once the write has returned, a moment after the file
  // appears: ask again until they are there.
  let text = '';
  const metric = (name: string) =>
    Number(new RegExp(`^${name}\\{site="${SITE}"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  for (let i = 0; i < 40; i++) {
    text = await (await fetch(`${s.url}/metrics`, { headers: AUTH })).text();
    if (!Number.isNaN(metric('floorwatch_checkpoint_bytes'))) break;
    await sleep(250);
  }
  return {
    mib: metric('floorwatch_checkpoint_bytes') / 2 ** 20,
    serializeMs: metric('floorwatch_checkpoint_serialize_seconds') * 1000,
    writeMs: metric('floorwatch_checkpoint_write_seconds') * 1000,
  };
}

/** `n` agents change state now (ready <-> not ready), in one body. */
async function floorChanges(url: string, tag: string, n: number): Promise<void> {
  const l = await live(url);
  if (!l) throw new Error('/api/live did not answer');
  const at = new Date().toISOString();
  const run = `${tag}${Date.now()}`;
  const lines = l.agents
    .filter((a) => a.state === 'ready' || a.state === 'not_ready')
    .slice(0, n)
    .map((a, i) =>
      JSON.stringify({
        id: `bench-restart-${run}-${i}`,
        ts: at,
        site: SITE,
        type: 'agent.state',
        agent: a.agent,
        ...(a.state === 'ready' ? { state: 'not_ready', reason: 'break' } : { state: 'ready' }),
      }),
    );
  await postLines(url, lines);
}

/** kill -9 the server, start another on the same folder, and time /healthz and matching /api/live. */
async function restartOnce(
  s: Server,
  dataDir: string,
  startedAt: number,
): Promise<{ run: RestartRun; server: Server }> {
  // A floor keeps changing: some agents change state, the server checkpoints within
  // FLOORWATCH_CHECKPOINT_S, more change after it (what the restart must replay), then the kill.
  await floorChanges(s.url, 'a', 500);
  const ckpt = await awaitCheckpoint(s, Math.max(startedAt, Date.now()));
  await floorChanges(s.url, 'b', 500);
  const before = await live(s.url);
  if (!before) throw new Error('/api/live did not answer before the kill');
  const exited = new Promise<void>((r) => s.proc.once('exit', () => r()));
  s.proc.kill('SIGKILL');
  await exited;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const started = startServer({ dataDir, env: { ...ENV, PORT: String(port) } });
  started.catch(() => {});
  let healthzMs = NaN;
  let liveMs: number;
  for (;;) {
    const el = performance.now() - t0;
    if (el > 300_000) {
      const diff = differences(before, await live(url));
      // The restarted server holds the cached day's folder: a run that gives up stops it, or
      // every later run finds the folder locked.
      const rebuiltLog = await started.then(
        async (x) => {
          await x.stop();
          return x.logs.find((l) => l.includes('live state rebuilt')) ?? '';
        },
        () => '',
      );
      throw new Error(
        `no matching /api/live within 300 s of the restart: ${diff}; ${rebuiltLog.slice(0, 600)}`,
      );
    }
    if (Number.isNaN(healthzMs)) {
      try {
        if ((await fetch(`${url}/healthz`)).ok) healthzMs = performance.now() - t0;
      } catch {
        /* not listening yet */
      }
    }
    if (!Number.isNaN(healthzMs)) {
      const now = await live(url);
      if (
        now &&
        figures(now, now.interval_start === before.interval_start) ===
          figures(before, now.interval_start === before.interval_start)
      ) {
        liveMs = performance.now() - t0;
        break;
      }
    }
    await sleep(20);
  }
  const server = await started;
  const rebuilt = server.logs
    .map((l) =>
      l.includes('live state rebuilt')
        ? (JSON.parse(l) as { replayed: { site: string; events: number; pages?: number }[] })
        : null,
    )
    .find((x) => x);
  const mine = rebuilt?.replayed.find((r) => r.site === SITE);
  return {
    run: {
      healthzMs,
      liveMs,
      peakMiB: peakRssMiB(server.pid),
      replayed: mine?.events ?? NaN,
      pages: mine?.pages ?? NaN,
      ckptMiB: ckpt.mib,
      ckptSerializeMs: ckpt.serializeMs,
      ckptWriteMs: ckpt.writeMs,
    },
    server,
  };
}

export const restartSection: Section = {
  id: 'restart',
  title: '8. Restart to live board',
  async run(o) {
    const S = '8 restart';
    const agents = o.quick ? 2000 : 20_000;
    const day = await backfill(agents);
    const dataDir = path.join(day.dir, 'data');
    let startedAt = Date.now();
    let s = await startServer({ dataDir, env: ENV });
    const runs: RestartRun[] = [];
    let board: Figure[];
    try {
      for (let r = 0; r < (o.quick ? 1 : o.runs); r++) {
        const x = await restartOnce(s, dataDir, startedAt);
        startedAt = Date.now();
        s = x.server;
        runs.push(x.run);
      }
      // The 20,000-agent board on the same day (its events change the live state, so after the restarts).
      board = await bigBoardFigures({
        url: s.url,
        wsUrl: s.wsUrl,
        site: SITE,
        headers: AUTH,
        quick: o.quick,
      });
    } finally {
      await s.stop();
    }
    const f = (k: keyof RestartRun) => spread(runs.map((x) => x[k]));
    const age = ((Date.now() - day.builtAt) / 3_600_000).toFixed(1);
    const scale = `${agents.toLocaleString('en')} agents, ${(day.events / 1e6).toFixed(2)}M events over ${HOURS} h ending ${age} h before the run; ${f('replayed').median.toLocaleString('en')} events replayed in ${f('pages').median} pages`;
    const liveS = f('liveMs').median / 1000;
    return [
      {
        section: S,
        name: 'kill -9 → /healthz answers',
        value: f('healthzMs'),
        unit: 'ms',
        status: 'info',
        note: scale,
      },
      {
        section: S,
        name: 'kill -9 → /api/live shows the figures of before',
        value: f('liveMs'),
        unit: 'ms',
        goal: '≤ 10 s',
        status: liveS <= 10 ? 'pass' : 'short',
        note: "queue counts (today, and the interval when it did not roll), waiting, agents by state, and every agent's state, reason, since and calls today",
      },
      {
        section: S,
        name: 'live-state checkpoint before the kill',
        value: f('ckptMiB'),
        unit: 'MiB',
        status: 'info',
        note: `serialised in ${f('ckptSerializeMs').median} ms (the event loop is held), written in ${f('ckptWriteMs').median} ms; the restart imports it and replays what arrived after it`,
      },
      {
        section: S,
        name: 'restarted server peak RSS',
        value: f('peakMiB'),
        unit: 'MiB',
        status: 'info',
        note: 'VmHWM of the new process once /api/live matched',
      },
      ...board,
    ];
  },
};
