// `npm start`: builds the wallboard with Vite when wallboard/dist is missing or older than
// its sources (or package.json), then runs the server in this terminal, forwarding signals
// and its exit code, so a process manager sees the server itself.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'wallboard/dist/index.html');

/** Newest modification time (ms) of any file under `p`. */
function newest(p) {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const e of readdirSync(p)) max = Math.max(max, newest(path.join(p, e)));
  return max;
}

export function needsBuild() {
  if (!existsSync(dist)) return true;
  const built = statSync(dist).mtimeMs;
  const sources = [path.join(root, 'wallboard/src'), path.join(root, 'wallboard/index.html'), path.join(root, 'package.json'), path.join(root, 'vite.config.ts')];
  return sources.some((s) => existsSync(s) && newest(s) > built);
}

function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
}

if (needsBuild()) {
  console.log('[start] building the wallboard (wallboard/dist is missing or older than its sources)');
  const vite = path.join(root, 'node_modules/vite/bin/vite.js');
  const { code } = await run(process.execPath, [vite, 'build', '--logLevel', 'warn']);
  if (code !== 0) {
    console.error(`[start] wallboard build failed (exit ${code}); not starting the server`);
    process.exit(code ?? 1);
  }
}

const server = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'ingest/src/main.ts'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => server.kill(sig));
server.on('exit', (code, signal) => {
  // Re-raise the child's signal so our parent sees the same ending; else pass its code on.
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else process.exit(code ?? 0);
});
