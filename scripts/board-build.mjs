// Whether wallboard/dist is missing or older than its sources, and a Vite build of it.
// Shared by every entry point that serves the board (scripts/start.mjs for `npm start` and
// `npm run serve`, simulator/demo.ts for `npm run demo`) and by the end-to-end tests.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST_INDEX = path.join(ROOT, 'wallboard/dist/index.html');

/** Newest modification time (ms) of any file under `p`. */
function newest(p) {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const e of readdirSync(p)) max = Math.max(max, newest(path.join(p, e)));
  return max;
}

export function needsBuild() {
  if (!existsSync(DIST_INDEX)) return true;
  const built = statSync(DIST_INDEX).mtimeMs;
  const sources = [
    'wallboard/src',
    'wallboard/index.html',
    'wallboard/public',
    'package.json',
    'vite.config.ts',
    'ingest/src/core/snapshot.ts',
  ].map((s) => path.join(ROOT, s));
  return sources.some((s) => existsSync(s) && newest(s) > built);
}

/** Runs `vite build`; resolves with its exit code. */
export function buildBoard(stdio = 'inherit') {
  return new Promise((resolve) => {
    const vite = path.join(ROOT, 'node_modules/vite/bin/vite.js');
    const child = spawn(process.execPath, [vite, 'build', '--logLevel', 'error'], {
      cwd: ROOT,
      stdio,
    });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

/**
 * Starts a build in the background when wallboard/dist is missing or stale, so the server
 * and its API come up at once and the board page appears as soon as the build lands (the
 * server reloads dist when index.html changes; the "being built" page reloads itself).
 * `say` reports progress; resolves with the build's exit code, or 0 when none was needed.
 */
export function buildBoardIfStale(say) {
  if (!needsBuild()) return Promise.resolve(0);
  say(
    'building the wallboard in the background (wallboard/dist is missing or older than its sources)',
  );
  return buildBoard(['ignore', 'ignore', 'inherit']).then((code) => {
    if (code !== 0)
      say(
        `wallboard build failed (exit ${code}); the API runs, the board page says it is not built`,
      );
    else say('wallboard built');
    return code;
  });
}
