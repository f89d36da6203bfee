// The tree as a fresh clone has it, copied into a folder: tracked and new files, nothing
// ignored (no wallboard/dist, no data). Shared by the first-run test and the first-run bench,
// which both start `npm run demo` from such a copy.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';

/**
 * Copies the files git would clone from `root` (tracked and untracked, not ignored) into
 * `dest`, and links `root`'s node_modules: `npm ci` is the one step not repeated (minutes
 * of download), so its result is reused.
 */
export function freshCopy(root, dest) {
  const files = execFileSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    { cwd: root },
  )
    .toString()
    .split('\0')
    // A worktree's node_modules is a symlink, which `node_modules/` in .gitignore misses.
    .filter((f) => f && f !== 'node_modules');
  for (const f of files) {
    const from = path.join(root, f);
    if (!existsSync(from)) continue; // deleted in the working tree
    mkdirSync(path.dirname(path.join(dest, f)), { recursive: true });
    copyFileSync(from, path.join(dest, f));
  }
  symlinkSync(path.join(root, 'node_modules'), path.join(dest, 'node_modules'), 'dir');
}
