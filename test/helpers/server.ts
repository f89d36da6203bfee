// Starts the real Floorwatch server as a child process on a free port with its own data
// folder (chdb allows one data folder per process), and stops it with a real signal.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_NODE_ARGS, serverEnv } from '../../scripts/server-node-args.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The admin bearer token every test server is started with (FLOORWATCH_ADMIN_TOKEN). Tests make
 * their HTTP calls through `api()` and open WebSockets with `authHeaders()`, so that they keep
 * working once routes require credentials (the identity issue).
 */
export const TEST_ADMIN_TOKEN = 'fw-test-admin-token-3f9c2d7a1b6e4058';

/** The first admin's password on every test server's empty data folder (FLOORWATCH_ADMIN_PASSWORD). */
export const TEST_ADMIN_PASSWORD = 'fw-test-admin-password-7c1e';

/** Headers that authenticate a test request as the admin token, plus any given. */
export function authHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { Authorization: `Bearer ${TEST_ADMIN_TOKEN}`, ...extra };
}

/** fetch() against a test server with the admin token: `api(server, '/api/live?site=s')`. */
export function api(
  server: { url: string },
  pathAndQuery: string,
  init: RequestInit = {},
): Promise<Response> {
  const headers = { ...authHeaders(), ...(init.headers as Record<string, string> | undefined) };
  return fetch(`${server.url}${pathAndQuery}`, { ...init, headers });
}

export interface TestServer {
  url: string;
  wsUrl: string;
  port: number;
  dataDir: string;
  proc: ChildProcess;
  /** Every line the server logged (JSON lines from pino). */
  logs: string[];
  /** Sends a signal and waits for exit; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Stops (SIGTERM) and starts again on the same data folder; returns the new server. */
  restart(): Promise<TestServer>;
  /** Stops and deletes the data folder. */
  dispose(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  dataDir?: string;
  /** Milliseconds to wait for "listening" (start-up runs migrations and may build nothing else). */
  timeoutMs?: number;
}

export async function startServer(opts: StartOptions = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'fw-test-'));
  // FLOORWATCH_TEST_NODE_ARGS (e.g. "--cpu-prof") lets a profiling run reuse this helper.
  const nodeArgs = (process.env['FLOORWATCH_TEST_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  const proc = spawn(
    process.execPath,
    [...SERVER_NODE_ARGS, ...nodeArgs, '--import', 'tsx', path.join(ROOT, 'ingest/src/main.ts')],
    {
      cwd: ROOT,
      env: serverEnv({
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        FLOORWATCH_DATA: dataDir,
        LOG_LEVEL: 'info',
        FLOORWATCH_NO_FACTS_WARMER: '1',
        FLOORWATCH_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
        FLOORWATCH_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
        ...opts.env,
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const logs: string[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(
            `server did not start within ${opts.timeoutMs ?? 60_000} ms:\n${logs.join('\n')}`,
          ),
        ),
      opts.timeoutMs ?? 60_000,
    );
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        logs.push(line);
        try {
          const j = JSON.parse(line) as { msg?: string; port?: number };
          if (j.msg === 'listening' && typeof j.port === 'number') {
            clearTimeout(timer);
            resolve(j.port);
          }
        } catch {
          /* not a JSON log line */
        }
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', (d: Buffer) => logs.push(d.toString()));
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with code ${code} before listening:\n${logs.join('\n')}`));
    });
  });
  const exited = new Promise<number | null>((resolve) =>
    proc.once('exit', (code) => resolve(code)),
  );
  const server: TestServer = {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    port,
    dataDir,
    proc,
    logs,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      proc.kill(signal);
      return exited;
    },
    async restart() {
      await server.stop('SIGTERM');
      return startServer({ ...opts, dataDir });
    },
    async dispose() {
      await server.stop('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}

/** POSTs NDJSON lines (objects or strings) to /api/events and returns the parsed reply. */
export async function postEvents(
  server: { url: string },
  lines: (object | string)[],
): Promise<{ status: number; body: IngestReplyBody }> {
  const body = lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n');
  const res = await api(server, '/api/events', {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'application/x-ndjson' },
  });
  return { status: res.status, body: (await res.json()) as IngestReplyBody };
}

/** The server's /metrics, read once: `gauge(name)` is the value of an unlabelled metric (NaN if absent). */
export async function readMetrics(server: { url: string }): Promise<(name: string) => number> {
  const text = await (await api(server, '/metrics')).text();
  return (name) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
}

export interface IngestReplyBody {
  accepted: number;
  duplicates: number;
  rejected: { line: number; error: string }[];
  late?: number;
  seq?: number;
  error?: string;
}

/** Polls `fn` until it returns a truthy value or the deadline passes. */
export async function waitFor<T>(
  fn: () => Promise<T> | T,
  timeoutMs = 10_000,
  everyMs = 25,
): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end)
      throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
