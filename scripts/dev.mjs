// `npm run dev`: the server and Vite's dev server together. Vite proxies /api, /ws and
// /healthz to the server (vite.config.ts), so the board hot-reloads against live data.
// PORT (default 8080) is the server's; Vite uses 5173. Ctrl-C stops both.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const port = process.env.PORT ?? '8080';
const env = {
  ...process.env,
  PORT: port,
  FLOORWATCH_API: process.env.FLOORWATCH_API ?? `http://127.0.0.1:${port}`,
};

const children = [
  spawn(process.execPath, ['--watch', '--import', 'tsx', path.join(root, 'ingest/src/main.ts')], {
    cwd: root,
    env,
    stdio: 'inherit',
  }),
  spawn(
    process.execPath,
    [path.join(root, 'node_modules/vite/bin/vite.js'), '--host', ...process.argv.slice(2)],
    { cwd: root, env, stdio: 'inherit' },
  ),
];

let stopping = false;
function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 5000).unref();
  Promise.all(
    children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.on('exit', r)))),
  ).then(() => process.exit(code));
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => stopAll(0));
// If either dies, stop the other: half a dev setup only confuses.
for (const c of children) c.on('exit', (code) => stopAll(code ?? 1));
