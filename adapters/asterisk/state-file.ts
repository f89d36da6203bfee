// The --follow state file: the place in the log (inode, offset) and the mapping's state after
// the last acknowledged batch. Written to a temporary file, synced and renamed over the old
// one, so a crash leaves either the old state or the new, never half of one.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import type { FilePlace } from './file-follower.js';
import { isState, type AsteriskState } from './state.js';

export interface FollowState {
  version: 1;
  file: string;
  place: FilePlace;
  mapper: AsteriskState;
}

export class StateFileError extends Error {
  readonly code = 'state_file';
}

export function loadState(file: string): FollowState | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new StateFileError(
      `${file} is not a state file (${(e as Error).message}); move it away to start over (re-sent lines are recognised as duplicates)`,
    );
  }
  const s = v as Partial<FollowState>;
  if (
    s.version !== 1 ||
    typeof s.place?.inode !== 'number' ||
    typeof s.place?.offset !== 'number' ||
    !isState(s.mapper)
  ) {
    throw new StateFileError(
      `${file} is not a queue_log follow state file; move it away to start over`,
    );
  }
  return s as FollowState;
}

export function saveState(file: string, s: FollowState): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(s));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
