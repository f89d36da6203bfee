// `npm run demo` end to end: the real demo process starts the real server on a free port
// with its own data folder, configures the demo site and streams live events; a real board
// client on WS /ws/board?site=demo must see a living floor (agents signed in, calls offered
// and answered, agents changing state, the uploaded roster in force) through the kiosk link
// the demo prints, the printed demo password must sign in, and Ctrl-C (SIGINT) must stop
// both processes cleanly.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import type { AgentLive, BoardMessage, QueueLive } from '../../ingest/src/core/snapshot.js';
import type { QualityLive } from '../../ingest/src/core/quality/live.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'fw-demo-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Resolves when `cond` holds after some message; rejects on timeout with what was seen. */
function until(
  ws: WebSocket,
  cond: () => boolean,
  timeoutMs: number,
  what: () => string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (cond()) return resolve();
    const timer = setTimeout(() => {
      ws.off('message', check);
      reject(new Error(`board did not show ${what()} within ${timeoutMs} ms`));
    }, timeoutMs);
    const check = () => {
      if (!cond()) return;
      clearTimeout(timer);
      ws.off('message', check);
      resolve();
    };
    ws.on('message', check);
  });
}

describe('npm run demo', () => {
  it('serves a living board through the board feed and stops cleanly on Ctrl-C', async () => {
    const demo = spawn(process.execPath, ['--import', 'tsx', 'simulator/demo.ts'], {
      cwd: process.cwd(),
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', FLOORWATCH_DATA: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: string[] = [];
    demo.stderr.on('data', (d: Buffer) => out.push(d.toString()));
    const exited = new Promise<number | null>((res) => demo.once('exit', (code) => res(code)));
    try {
      // The demo prints where to look, a demo user's password and a kiosk link for a TV.
      const { port, kiosk, password } = await new Promise<{
        port: number;
        kiosk: string;
        password: string;
      }>((resolve, reject) => {
        demo.stdout.on('data', (d: Buffer) => {
          out.push(d.toString());
          const text = out.join('');
          const m = /open http:\/\/localhost:(\d+)\//.exec(text);
          const k = /kiosk link for a TV[^:]*: http:\/\/localhost:\d+(\/kiosk\/\S+)/.exec(text);
          const p = /sign in as demo\.lead with password (\S+)/.exec(text);
          if (m && k && p)
            resolve({ port: Number(m[1]), kiosk: k[1] as string, password: p[1] as string });
        });
        void exited.then((code) =>
          reject(new Error(`demo exited (${code}) before serving:\n${out.join('')}`)),
        );
      });
      // Without credentials the board is refused; the printed password signs the demo user in.
      expect((await fetch(`http://127.0.0.1:${port}/api/live?site=demo`)).status).toBe(401);
      const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ user: 'demo.lead', password }),
      });
      expect(login.status).toBe(200);
      // The kiosk link trades its token for a cookie and sends the TV to the demo board.
      const link = await fetch(`http://127.0.0.1:${port}${kiosk}`, { redirect: 'manual' });
      expect(link.status).toBe(302);
      expect(link.headers.get('location')).toBe('/site/demo?tv=1');
      const cookie = (link.headers.getSetCookie()[0] ?? '').split(';')[0] as string;
      expect(cookie).toMatch(/^fw_kiosk=fwk_/);

      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/board?site=demo`, {
        headers: { Cookie: cookie },
      });
      const agents = new Map<string, AgentLive>();
      const queues = new Map<string, QueueLive>();
      const statesSeen = new Map<string, Set<string>>();
      let snapshots = 0;
      let deltas = 0;
      let lastSeq = -1;
      let quality: QualityLive | undefined;
      ws.on('message', (data) => {
        const m = JSON.parse(String(data)) as BoardMessage;
        if (m.type === 'snapshot') {
          snapshots++;
          agents.clear();
          queues.clear();
        } else {
          deltas++;
          expect(m.seq).toBeGreaterThan(lastSeq);
        }
        lastSeq = m.seq;
        for (const a of m.agents ?? []) {
          agents.set(a.agent, a);
          if (!statesSeen.has(a.agent)) statesSeen.set(a.agent, new Set());
          statesSeen.get(a.agent)!.add(a.state);
        }
        for (const id of (m.type === 'delta' ? m.removed_agents : undefined) ?? [])
          agents.delete(id);
        for (const q of m.queues ?? []) queues.set(q.queue, q);
        if (m.quality) quality = m.quality;
      });
      await new Promise<void>((res, rej) => {
        ws.once('open', () => res());
        ws.once('error', rej);
      });

      const signedIn = () => [...agents.values()].filter((a) => a.state !== 'logged_out').length;
      const offered = () => [...queues.values()].reduce((s, q) => s + q.today.offered, 0);
      const answered = () => [...queues.values()].reduce((s, q) => s + q.today.answered, 0);
      const describeBoard = () =>
        `${snapshots} snapshots, ${deltas} deltas, ${signedIn()} agents signed in, ${offered()} offered, ${answered()} answered`;

      // A snapshot first, then the floor: most of the 300 agents are on shift at the start.
      await until(ws, () => snapshots >= 1, 30_000, describeBoard);
      await until(ws, () => signedIn() >= 100, 60_000, describeBoard);
      expect(new Set([...queues.keys()])).toEqual(new Set(['sales', 'service', 'billing']));
      // Calls moving: offered and answered grow through deltas.
      const before = offered();
      await until(
        ws,
        () => deltas >= 2 && offered() >= before + 10 && answered() >= 5,
        60_000,
        describeBoard,
      );
      // Agents moving: some agent has been seen in both ready and talking (or ringing).
      const moved = () =>
        [...statesSeen.values()].filter(
          (s) => s.has('ready') && (s.has('talking') || s.has('ringing')),
        ).length;
      await until(
        ws,
        () => moved() >= 5,
        60_000,
        () => `${describeBoard()}, ${moved()} agents moved`,
      );
      // The roster the demo uploaded is in force: agents show their scheduled activity.
      const scheduled = () =>
        [...agents.values()].filter((a) => a.scheduled_activity !== null).length;
      await until(
        ws,
        () => scheduled() >= 100,
        30_000,
        () => `${describeBoard()}, ${scheduled()} agents with a scheduled activity`,
      );
      // Work orders and a survey-fed satisfaction figure living on the board (#21).
      const surveys = () => quality?.today.satisfaction.explain.denominator ?? 0;
      const describeQuality = () =>
        `${describeBoard()}, ${surveys()} surveys, ${quality?.open_total ?? 0} open work orders`;
      await until(
        ws,
        () => surveys() >= 3 && (quality?.open_total ?? 0) >= 1,
        30_000,
        describeQuality,
      );
      const seen = surveys();
      await until(
        ws,
        () => surveys() > seen && quality?.today.satisfaction.value !== null,
        30_000,
        describeQuality,
      );
      ws.close();

      demo.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(out.join('')).toMatch(/server stopped \(exit code 0\)/);
    } finally {
      if (demo.exitCode === null && demo.signalCode === null) demo.kill('SIGTERM');
      await exited;
    }
  });
});
