// `npm start`: builds the wallboard with Vite when wallboard/dist is missing or older than
// its sources (or package.json), then runs the server in this terminal, forwarding signals
// and its exit code, so a process manager sees the server itself.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { buildBoard, needsBuild, ROOT } from './board-build.mjs';

if (needsBuild()) {
  console.log('[start] building the wallboard (wallboard/dist is missing or older than its sources)');
  const code = await buildBoard();
  if (code !== 0) {
    console.error(`[start] wallboard build failed (exit ${code}); not starting the server`);
    process.exit(code);
  }
}

const server = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'ingest/src/main.ts'), ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' });
const forward = (sig) => server.kill(sig);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, forward);
server.on('exit', (code, signal) => {
  // Re-raise the child's signal so our parent sees the same ending; else pass its code on.
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else process.exit(code ?? 0);
});
