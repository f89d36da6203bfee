// `npm run demo`: starts the Floorwatch server (PORT, FLOORWATCH_DATA as for `npm start`),
// configures a demo site (300 agents, three queues, one overflow rule, a shift change in
// the first half hour), uploads its roster and streams its events in real time, starting
// at the current time with the floor already signed in. Ctrl-C stops both cleanly.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildBoardIfStale } from '../scripts/board-build.mjs';
import { SERVER_NODE_ARGS, serverEnv } from '../scripts/server-node-args.mjs';
import { runToServer } from './generator/run.js';
import { SiteClock } from './generator/site-clock.js';
import { IngestClient } from './output/ingest-client.js';
import { randomBytes } from 'node:crypto';
import { setUpDemoAccess } from './output/demo-access.js';
import { putRoster, putSiteConfig, waitHealthy } from './output/server-api.js';
import { DEMO_SITE_SETTINGS, demoRosterOf, demoScenario } from './scenarios/demo.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (msg: string) => process.stdout.write(`demo: ${msg}\n`);

const HELP = `npm run demo [-- --site demo --agents 300 --seed demo --speed 1]
Starts the server on PORT (default 8080) with data in FLOORWATCH_DATA (default ./data) and
streams a live demo site into it. Ctrl-C stops both.
`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      site: { type: 'string' },
      agents: { type: 'string' },
      seed: { type: 'string' },
      speed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const agents = Number(values.agents ?? 300);
  const speed = Number(values.speed ?? 1);
  if (!Number.isInteger(agents) || agents < 1 || agents > 100_000)
    throw new Error('--agents must be an integer from 1 to 100000');
  if (!(speed > 0 && speed <= 60))
    throw new Error(
      '--speed must be from 0 (exclusive) to 60: faster than that outruns the clock-skew window',
    );

  // The board: built beside the server start when missing or stale, as `npm start` does, so
  // a fresh clone's `npm ci && npm run demo` shows the board, not a "being built" page.
  void buildBoardIfStale(say);
  // The server: same entry point and environment as `npm start`. The demo drives it with an
  // admin token of its own (random per run, never printed) unless one is set already.
  const adminToken = process.env['FLOORWATCH_ADMIN_TOKEN'] || randomBytes(24).toString('base64url');
  const server = spawn(
    process.execPath,
    [...SERVER_NODE_ARGS, '--import', 'tsx', path.join(root, 'ingest/src/main.ts')],
    {
      cwd: root,
      env: serverEnv({ ...process.env, FLOORWATCH_ADMIN_TOKEN: adminToken }),
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const serverExit = new Promise<number | null>((res) => server.once('exit', (code) => res(code)));
  let serverAlive = true;
  void serverExit.then(() => (serverAlive = false));
  let stopping = false;
  const onSignal = (sig: string) => {
    if (!stopping) say(`${sig}: stopping the simulator and the server…`);
    stopping = true;
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  // The server logs JSON lines (pino); the "listening" one has the port. Warnings and
  // errors are passed through, routine lines are not (the board is the thing to watch).
  const port = await new Promise<number>((resolve, reject) => {
    let buf = '';
    server.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        try {
          const j = JSON.parse(line) as { msg?: string; port?: number; level?: number };
          if (j.msg === 'listening' && typeof j.port === 'number') resolve(j.port);
          if ((j.level ?? 0) >= 40) process.stderr.write(`server: ${line}\n`);
        } catch {
          process.stderr.write(`server: ${line}\n`);
        }
      }
    });
    void serverExit.then((code) =>
      reject(new Error(`the server exited (code ${code}) before listening`)),
    );
  });
  const http = `http://127.0.0.1:${port}`;
  let code = 0;
  try {
    await waitHealthy(http, 60_000, () => serverAlive);
    if (stopping) return 0; // Ctrl-C during start-up: the finally block stops the server
    const liveAt = Date.now();
    const cfg = demoScenario({
      liveAt,
      site: values.site ?? 'demo',
      seed: values.seed ?? 'demo',
      agents,
      hours: 24 * 7,
    });
    const clock = new SiteClock(cfg.timezone);
    await putSiteConfig(
      http,
      cfg,
      (m) => process.stderr.write(`demo: ${m}\n`),
      DEMO_SITE_SETTINGS,
      adminToken,
    );
    const access = await setUpDemoAccess(http, adminToken, cfg.site);
    const roster = demoRosterOf(cfg, clock);
    try {
      // Up to three tries: on a fresh clone the board build shares the CPU with the server's
      // start, and uWS drops a request whose body is slow to arrive (its idle timeout).
      for (let attempt = 1; ; attempt++) {
        try {
          await putRoster(http, cfg.site, roster, adminToken);
          break;
        } catch (e) {
          if (attempt >= 3 || stopping) throw e;
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    } catch (e) {
      // The board lives without it; only conformance, adherence and attendance need it.
      process.stderr.write(
        `demo: roster upload failed, continuing without it: ${(e as Error).message}\n`,
      );
    }
    say(
      `Floorwatch is running: open http://localhost:${port}/ (site "${cfg.site}", ${agents} agents, ${cfg.queues.length} queues, ${cfg.timezone})`,
    );
    say(`sign in as ${access.user} with password ${access.password} (shift lead of "${cfg.site}")`);
    say(
      `kiosk link for a TV (read-only, never times out): http://localhost:${port}${access.kioskPath}`,
    );
    say(
      `roster of ${roster.length} segments; streaming live events from ${clock.iso(liveAt).slice(0, 19)} site time (after a ${Math.round((liveAt - cfg.from) / 60_000)}-min pre-roll). Ctrl-C to stop.`,
    );
    const client = await IngestClient.connect(
      `ws://127.0.0.1:${port}/ws/ingest`,
      4,
      (r) => {
        for (const x of r.rejected.slice(0, 3))
          process.stderr.write(`demo: rejected line ${x.line}: ${x.error}\n`);
      },
      access.ingestToken,
    );
    let lastStatus = 0;
    try {
      await runToServer(cfg, client, {
        check: 'wall-clock',
        progress: false,
        speed,
        liveFrom: liveAt,
        batch: 500,
        stopped: () => stopping || !serverAlive,
        onSlice: (engine) => {
          if (engine.now - lastStatus < 30_000 * speed) return;
          lastStatus = engine.now;
          const c = engine.liveCounts();
          say(
            `${clock.iso(engine.now).slice(11, 19)}  ${c.signedIn} signed in, ${c.ready} ready, ${c.onCalls} on calls, ${c.waiting} waiting; ${engine.stats.offered} calls so far`,
          );
        },
      });
    } catch (e) {
      // A Ctrl-C in a terminal reaches the server too; its socket closing then is expected.
      if (!stopping) throw e;
    } finally {
      client.close();
    }
    if (!serverAlive && !stopping) throw new Error('the server stopped');
  } catch (e) {
    process.stderr.write(`demo: ${(e as Error).message}\n`);
    code = 1;
  } finally {
    if (serverAlive) server.kill('SIGTERM');
    const exit = await serverExit;
    say(`server stopped (exit code ${exit})`);
  }
  return code;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`demo: ${(e as Error).message}\n`);
    process.exit(1);
  },
);
