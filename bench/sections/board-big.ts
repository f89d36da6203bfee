// 9. The 20,000-agent board, on the restart section's back-filled whole day: the first
// snapshot's bytes, bytes per board per second quiet and busy, time to first paint in
// Debian's Chromium and frame intervals while 1 in 40 agents change state every 250 ms.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../lib/proc.js';
import { spread } from '../lib/stats.js';
import type { Figure } from '../lib/types.js';
import { notMeasured } from '../lib/types.js';

/** A 20,000-agent board on a running server (the restart section's back-filled day). */
export interface BigBoardOptions {
  url: string;
  wsUrl: string;
  site: string;
  headers: Record<string, string>;
  quick: boolean;
}

const BB = '9 board, 20,000 agents';

/** Bytes each of `n` boards receives per second over `ms`, and the first snapshot's size. */
async function boardBytes(
  o: BigBoardOptions,
  n: number,
  ms: number,
  query = '',
): Promise<{ perBoard: number; snapshot: number; msgs: number }> {
  const { default: WebSocket } = await import('ws');
  let bytes = 0;
  let msgs = 0;
  let snapshot = 0;
  const sockets = await Promise.all(
    Array.from(
      { length: n },
      (_, i) =>
        new Promise<import('ws').WebSocket>((resolve, reject) => {
          const ws = new WebSocket(`${o.wsUrl}/ws/board?site=${o.site}${query}`, {
            headers: o.headers,
            perMessageDeflate: false,
          });
          let first = true;
          ws.on('message', (d: Buffer) => {
            if (first) {
              first = false;
              if (i === 0) snapshot = d.length;
              resolve(ws);
              return;
            }
            bytes += d.length;
            msgs++;
          });
          ws.once('error', reject);
        }),
    ),
  );
  bytes = 0;
  msgs = 0;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  const s = (performance.now() - t0) / 1000;
  for (const ws of sockets) ws.terminate();
  return { perBoard: bytes / n / s, snapshot, msgs: msgs / n / s };
}

/** Every 250 ms, 1 in 40 agents changes state (POST /api/events), until stop() is called. */
function driveStates(o: BigBoardOptions, agents: string[]): { stop(): Promise<void> } {
  const states = ['ready', 'talking', 'wrap_up', 'not_ready', 'hold'];
  let tick = 0;
  const inFlight = new Set<Promise<unknown>>();
  const timer = setInterval(() => {
    if (inFlight.size >= 4) return;
    const t = Date.now();
    const lines: string[] = [];
    for (let i = 0; i < Math.max(1, agents.length / 40); i++) {
      const agent = agents[(tick * 53 + i * 97) % agents.length] as string;
      const state = states[(tick + i) % states.length] as string;
      lines.push(
        JSON.stringify({
          id: `bb-${t}-${tick}-${i}`,
          ts: t,
          type: 'agent.state',
          site: o.site,
          agent,
          state,
          ...(state === 'not_ready' ? { reason: 'break' } : {}),
        }),
      );
    }
    tick++;
    const p = fetch(`${o.url}/api/events`, {
      method: 'POST',
      headers: { ...o.headers, 'content-type': 'application/x-ndjson' },
      body: lines.join('\n'),
    })
      .then((r) => r.arrayBuffer())
      .catch(() => undefined)
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  }, 250);
  return {
    stop: async () => {
      clearInterval(timer);
      await Promise.allSettled([...inFlight]);
    },
  };
}

/**
 * The 20,000-agent board: first snapshot bytes, bytes/s per board quiet and busy (1 in 40
 * agents changing state every 250 ms), time to first paint in Chromium (navigation to the
 * first agent row and queue figure drawn) and frame intervals while busy.
 */
export async function bigBoardFigures(o: BigBoardOptions): Promise<Figure[]> {
  const out: Figure[] = [];
  const liveRes = await fetch(`${o.url}/api/live?site=${o.site}`, { headers: o.headers });
  const live = (await liveRes.json()) as { agents: { agent: string; state: string }[] };
  const agents = live.agents.filter((a) => a.state !== 'logged_out').map((a) => a.agent);
  const boards = o.quick ? 5 : 20;
  const quiet = await boardBytes(o, boards, o.quick ? 5000 : 15_000);
  out.push({
    section: BB,
    name: 'first snapshot',
    value: spread([quiet.snapshot / 1024]),
    unit: 'KB',
    status: 'info',
    note: `${live.agents.length.toLocaleString('en')} agents on the board, ${agents.length.toLocaleString('en')} signed in`,
  });
  // The wallboard's own feed leaves signed-out agents out (core/feed/signed-out.ts).
  const floor = await boardBytes(o, 1, 1000, '&signed_out=0');
  out.push({
    section: BB,
    name: "first snapshot, the wallboard's feed",
    value: spread([floor.snapshot / 1024]),
    unit: 'KB',
    status: 'info',
    note: '&signed_out=0: signed-out agents left out unless out of adherence or never signed in',
  });
  out.push({
    section: BB,
    name: 'bytes per board per second, quiet site',
    value: spread([quiet.perBoard / 1024]),
    unit: 'KB/s',
    goal: 'a few KB/s',
    status: quiet.perBoard <= 8 * 1024 ? 'pass' : 'short',
    note: `${boards} boards, no events arriving; ${quiet.msgs.toFixed(1)} msgs/s per board (the 1 s heartbeat)`,
  });
  const drive = driveStates(o, agents);
  try {
    const busy = await boardBytes(o, boards, o.quick ? 5000 : 15_000);
    out.push({
      section: BB,
      name: 'bytes per board per second, busy site',
      value: spread([busy.perBoard / 1024]),
      unit: 'KB/s',
      status: 'info',
      note: `1 in 40 signed-in agents (${Math.round(agents.length / 40)}) change state every 250 ms; ${busy.msgs.toFixed(1)} msgs/s per board`,
    });
  } finally {
    await drive.stop();
  }
  if (!existsSync('/usr/bin/chromium'))
    return [
      ...out,
      notMeasured(BB, 'first paint and frame times', 'no Chromium at /usr/bin/chromium'),
    ];
  const { launchBrowser, ensureBoardBuilt } = (await import(
    path.join(ROOT, 'test/helpers/browser.ts')
  )) as {
    launchBrowser(): Promise<import('playwright-core').Browser>;
    ensureBoardBuilt(): Promise<void>;
  };
  await ensureBoardBuilt();
  const browser = await launchBrowser();
  const paints: number[] = [];
  const p99: number[] = [];
  const p50: number[] = [];
  try {
    for (let r = 0; r < (o.quick ? 1 : 3); r++) {
      // The board opened as a TV would be, through a kiosk link (a header would not reach its WebSocket).
      const made = await fetch(`${o.url}/api/tokens`, {
        method: 'POST',
        headers: { ...o.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'kiosk', site: o.site, label: 'bench' }),
      });
      const kiosk = (await made.json()) as { token: string };
      const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
      await context.addCookies([{ name: 'fw_kiosk', value: kiosk.token, url: o.url }]);
      const page = await context.newPage();
      const t0 = performance.now();
      await page.goto(`${o.url}/site/${o.site}`);
      await page.locator('[data-agent]').first().waitFor({ timeout: 120_000 });
      await page.locator('[data-queue]').first().waitFor({ timeout: 120_000 });
      paints.push(performance.now() - t0);
      const d = driveStates(o, agents);
      try {
        const seconds = o.quick ? 5 : 15;
        const frames = (await page.evaluate(`new Promise((resolve) => {
          const f = [];
          let last = performance.now();
          const end = last + ${seconds * 1000};
          const step = (t) => { f.push(t - last); last = t; if (t < end) requestAnimationFrame(step); else resolve(f.slice(1)); };
          requestAnimationFrame(step);
        })`)) as number[];
        const sorted = [...frames].sort((a, b) => a - b);
        p99.push(sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))] ?? NaN);
        p50.push(sorted[Math.floor(0.5 * sorted.length)] ?? NaN);
      } finally {
        await d.stop();
      }
      await page.close();
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const paint = spread(paints);
  const frame = spread(p99);
  out.push({
    section: BB,
    name: 'time to first paint in Chromium',
    value: paint,
    unit: 'ms',
    goal: '≤ 2 s',
    status: paint.median <= 2000 ? 'pass' : 'short',
    note: 'page navigation to the first agent row and queue tile drawn, 1920×1080, headless',
  });
  out.push({
    section: BB,
    name: 'frame interval p99 while busy',
    value: frame,
    unit: 'ms',
    goal: '≤ 33 ms',
    status: frame.median <= 33 ? 'pass' : 'short',
    note: `p50 ${spread(p50).median.toFixed(1)} ms; 1 in 40 agents change state every 250 ms`,
  });
  return out;
}
