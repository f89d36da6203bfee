// `npm start` (and `npm run serve`): runs the server in this terminal, forwarding signals and its exit code, so a
// process manager sees the server itself; when wallboard/dist is missing or older than its
// sources it builds the board with Vite at the same time (the server picks the build up as
// soon as it lands), so the API and /healthz are up within seconds on a fresh clone.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { buildBoardIfStale, ROOT } from './board-build.mjs';
import { SERVER_NODE_ARGS, serverEnv } from './server-node-args.mjs';

void buildBoardIfStale((msg) => console.error(`[start] ${msg}`));

const server = spawn(
  process.execPath,
  [
    ...SERVER_NODE_ARGS,
    '--import',
    'tsx',
    path.join(ROOT, 'ingest/src/main.ts'),
    ...process.argv.slice(2),
  ],
  { cwd: ROOT, stdio: 'inherit', env: serverEnv(process.env) },
);
const forward = (sig) => server.kill(sig);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, forward);
server.on('exit', (code, signal) => {
  // Re-raise the child's signal so our parent sees the same ending; else pass its code on.
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else process.exit(code ?? 0);
});
