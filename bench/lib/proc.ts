// Processes of a bench run: the Floorwatch server (a child with its own data folder, as
// chdb locks a folder per process), forked workers that generate load or stand in for
// boards, and what /proc says about a process's CPU time and memory.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_NODE_ARGS, serverEnv } from '../../scripts/server-node-args.mjs';
import { BENCH_ADMIN_TOKEN, benchAuth } from './token.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TMP = path.join(ROOT, '.tmp');

export function tempDir(tag: string): string {
  mkdirSync(TMP, { recursive: true });
  return mkdtempSync(path.join(os.tmpdir(), `fw-bench-${tag}-`));
}

export interface Server {
  url: string;
  wsUrl: string;
  port: number;
  pid: number;
  dataDir: string;
  proc: ChildProcess;
  logs: string[];
  stop(): Promise<void>;
}

export interface ServerOptions {
  env?: Record<string, string>;
  dataDir?: string;
  /** Extra node flags for the server, e.g. --cpu-prof. */
  nodeArgs?: string[];
  keepData?: boolean;
}

export async function startServer(opts: ServerOptions = {}): Promise<Server> {
  const dataDir = opts.dataDir ?? tempDir('server');
  const proc = spawn(
    process.execPath,
    [
      ...SERVER_NODE_ARGS,
      ...(opts.nodeArgs ?? []),
      '--import',
      'tsx',
      path.join(ROOT, 'ingest/src/main.ts'),
    ],
    {
      cwd: ROOT,
      env: serverEnv({
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        FLOORWATCH_DATA: dataDir,
        LOG_LEVEL: 'info',
        FLOORWATCH_ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
        ...opts.env,
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const logs: string[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start in 600 s:\n${logs.slice(-20).join('\n')}`)),
      600_000,
    );
    let buf = '';
    proc.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (logs.length < 5000) logs.push(line);
        if (line.includes('"listening"')) {
          try {
            const j = JSON.parse(line) as { port?: number };
            if (typeof j.port === 'number') {
              clearTimeout(timer);
              resolve(j.port);
            }
          } catch {
            /* not JSON */
          }
        }
      }
    });
    proc.stderr?.on('data', (d: Buffer) => {
      if (logs.length < 5000) logs.push(d.toString());
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${logs.slice(-20).join('\n')}`));
    });
  });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    port,
    pid: proc.pid as number,
    dataDir,
    proc,
    logs,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(t);
      }
      if (!opts.keepData && !opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A forked bench worker: sends `ready`, waits for `go`, replies `result`. */
export interface Worker<R> {
  proc: ChildProcess;
  /** The worker's ready message (it may carry e.g. the port it listens on). */
  ready: Promise<Record<string, unknown>>;
  result: Promise<R>;
  go(extra?: object): void;
  send(msg: object): void;
  kill(): void;
}

export function forkWorker<R>(name: string, config: object, nodeArgs: string[] = []): Worker<R> {
  const proc = fork(path.join(ROOT, 'bench/workers', `${name}.ts`), [JSON.stringify(config)], {
    cwd: ROOT,
    execArgv: [...nodeArgs, '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let onReady!: (m: Record<string, unknown>) => void;
  const ready = new Promise<Record<string, unknown>>((r) => (onReady = r));
  const result = new Promise<R>((resolve, reject) => {
    proc.on('message', (m: { type: string; data?: R; error?: string }) => {
      if (m.type === 'ready') onReady(m as unknown as Record<string, unknown>);
      else if (m.type === 'result') resolve(m.data as R);
      else if (m.type === 'error') reject(new Error(`${name}: ${m.error}`));
    });
    proc.once('exit', (code) =>
      reject(new Error(`worker ${name} exited (${code}) without a result`)),
    );
  });
  ready.catch(() => {});
  result.catch(() => {});
  return {
    proc,
    ready: Promise.race([ready, result.then(() => ({}))]),
    result,
    go: (extra = {}) => proc.send({ type: 'go', ...extra }),
    send: (msg) => proc.send(msg),
    kill: () => {
      if (proc.exitCode === null) proc.kill('SIGKILL');
    },
  };
}

const CLK_TCK = 100;

/** CPU seconds (user + system) the process has used, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the ")" of the command name; utime and stime are fields 14 and 15.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;
}

/** CPU seconds of the main thread only (the JS event loop and uWS, not chdb's threads). */
export function mainThreadCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;
}

/** Resident set size in bytes, from /proc/<pid>/status. */
export function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** POSTs NDJSON to /api/events in chunks and checks every line was accepted. */
export async function postLines(url: string, lines: string[], chunk = 20_000): Promise<void> {
  for (let i = 0; i < lines.length; i += chunk) {
    const res = await fetch(`${url}/api/events`, {
      method: 'POST',
      headers: benchAuth({ 'content-type': 'application/x-ndjson' }),
      body: lines.slice(i, i + chunk).join('\n'),
    });
    const j = (await res.json()) as {
      accepted?: number;
      duplicates?: number;
      rejected?: unknown[];
      error?: string;
    };
    if (!res.ok || (j.rejected?.length ?? 0) > 0)
      throw new Error(
        `POST /api/events failed (${res.status}): ${JSON.stringify(j).slice(0, 300)}`,
      );
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Waits until the process's CPU use settles (< 5% of a core over 500 ms), at most `maxMs`:
 * the previous run's backlog must be committed before the next run starts. */
export async function settle(pid: number, maxMs = 10_000): Promise<void> {
  const end = performance.now() + maxMs;
  while (performance.now() < end) {
    const c0 = cpuSeconds(pid);
    await sleep(500);
    if (cpuSeconds(pid) - c0 < 0.025) return;
  }
}

/** Resident memory split as /proc/<pid>/status reports it: anonymous, file-backed (code
 * and mapped files) and shared, in bytes. */
export function rssParts(pid: number): { rss: number; anon: number; file: number; shmem: number } {
  const t = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(t)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile'), shmem: kb('RssShmem') };
}

/**
 * Node flags for a server whose V8 heap a bench can read after a full GC: `--expose-gc`
 * and a preloaded module that, on SIGUSR2, collects garbage twice and writes one
 * `FW_GC_MEMORY {json}` line to stderr (V8 heap used and physical, young generation
 * physical, external and array buffers). Nothing else in the server changes.
 */
export const GC_PROBE_ARGS: string[] = [
  '--expose-gc',
  '--import',
  'data:text/javascript,' +
    encodeURIComponent(
      "import v8 from 'node:v8';" +
        "process.on('SIGUSR2',()=>{globalThis.gc();globalThis.gc();" +
        'const m=process.memoryUsage(),h=v8.getHeapStatistics();' +
        "const young=v8.getHeapSpaceStatistics().filter((s)=>s.space_name.startsWith('new_')).reduce((a,s)=>a+s.physical_space_size,0);" +
        "process.stderr.write('FW_GC_MEMORY '+JSON.stringify({heapUsed:m.heapUsed,physical:h.total_physical_size,young,external:m.external,arrayBuffers:m.arrayBuffers})+'\\n')});",
    ),
];

export interface GcMemory {
  heapUsed: number;
  /** V8 heap pages resident (committed), young generation included. */
  physical: number;
  young: number;
  external: number;
  arrayBuffers: number;
  rss: number;
  anon: number;
  file: number;
}

/** Forces a full GC in a server started with GC_PROBE_ARGS and reads its memory right after. */
export async function gcMemory(s: Server, timeoutMs = 30_000): Promise<GcMemory> {
  const err = s.proc.stderr;
  if (!err) throw new Error('server stderr is not piped');
  const line = new Promise<string>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => {
      err.off('data', on);
      reject(new Error('no FW_GC_MEMORY line: was the server started with GC_PROBE_ARGS?'));
    }, timeoutMs);
    const on = (d: Buffer) => {
      buf += d.toString();
      const m = /FW_GC_MEMORY (\{.*\})\n/.exec(buf);
      if (!m) return;
      clearTimeout(timer);
      err.off('data', on);
      resolve(m[1] as string);
    };
    err.on('data', on);
  });
  process.kill(s.pid, 'SIGUSR2');
  const v = JSON.parse(await line) as Omit<GcMemory, 'rss' | 'anon' | 'file'>;
  const p = rssParts(s.pid);
  return { ...v, rss: p.rss, anon: p.anon, file: p.file };
}

/**
 * CPU seconds of a process by thread group: the main thread ("main"), Node's other threads
 * (V8's GC and compiler workers, libuv; "node workers"), and chdb's named pools.
 */
export function threadCpuSeconds(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of readdirSync(`/proc/${pid}/task`)) {
    try {
      const st = readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8');
      const raw = st.slice(st.indexOf('(') + 1, st.lastIndexOf(')')).replace(/[0-9]+$/, '');
      const name = t === String(pid) ? 'main' : raw === 'node' ? 'node workers' : raw;
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      out.set(name, (out.get(name) ?? 0) + (Number(f[11]) + Number(f[12])) / CLK_TCK);
    } catch {
      // The thread ended while we read.
    }
  }
  return out;
}
