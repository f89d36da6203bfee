// Follows a log file as it grows and is rotated, handing out complete lines with the place
// after them: (inode, byte offset). The caller saves that place only once the lines are
// acknowledged, and passes it back on restart, so no line is lost or read twice.
// Rotation: when the path names another inode, the old file (still open) is read to its end,
// then the new file from its start. On restart, if the path no longer has the saved inode,
// the renamed file is looked for beside it (`queue_log.1`, `queue_log-20261207`, …) and
// finished first. A file shorter than the saved offset was truncated in place (copytruncate)
// and is read again from its start.
// Why not a tailing library: @logdna/tail-file (the best kept on npm) handles rename and
// truncation, but it reports its own read position, not the place after lines we have had
// acknowledged, and it resumes by offset into the current path only, so a rotation while the
// follower was down would skip the rest of the renamed file. Both are the point here.
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface FilePlace {
  inode: number;
  offset: number;
}

export interface LineBatch {
  lines: string[];
  /** Where the next read starts once these lines are done. */
  place: FilePlace;
}

export interface FollowOptions {
  pollMs: number;
  /** Largest read, bytes (a batch holds the complete lines of one read). */
  chunkBytes?: number;
  log(message: string): void;
  stopped(): boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function statOrNull(p: string) {
  try {
    return await fs.stat(p);
  } catch {
    return null;
  }
}

/** The file beside `file` whose inode is `inode` (a rotated copy), or null. */
export async function findRotated(file: string, inode: number): Promise<string | null> {
  const dir = path.dirname(file);
  const base = path.basename(file);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return null;
  }
  for (const n of names) {
    if (n === base || !n.startsWith(base)) continue;
    const st = await statOrNull(path.join(dir, n));
    if (st && st.isFile() && st.ino === inode) return path.join(dir, n);
  }
  return null;
}

export async function* followFile(
  file: string,
  start: FilePlace | null,
  o: FollowOptions,
): AsyncGenerator<LineBatch> {
  const chunk = o.chunkBytes ?? 256 * 1024;
  let fh: fs.FileHandle | null = null;
  let inode = 0;
  let offset = 0;
  /** The open file is a renamed one: read it to its end, then move to the path. */
  let draining = false;

  const openPath = async (): Promise<boolean> => {
    const st = await statOrNull(file);
    if (!st) return false;
    fh = await fs.open(file, 'r');
    inode = (await fh.stat()).ino;
    offset = 0;
    draining = false;
    return true;
  };

  if (start) {
    const st = await statOrNull(file);
    if (st && st.ino === start.inode) {
      fh = await fs.open(file, 'r');
      [inode, offset] = [start.inode, st.size < start.offset ? 0 : start.offset];
      if (st.size < start.offset)
        o.log(
          `${file} is shorter than the saved offset ${start.offset}: it was truncated; reading it from the start`,
        );
    } else {
      const old = await findRotated(file, start.inode);
      if (old) {
        o.log(
          `${file} was rotated while stopped: finishing ${old} from offset ${start.offset} first`,
        );
        fh = await fs.open(old, 'r');
        [inode, offset, draining] = [start.inode, start.offset, true];
      } else
        o.log(
          `the file with the saved inode ${start.inode} is gone; reading ${file} from its start`,
        );
    }
  }

  const buf = Buffer.alloc(chunk);
  while (!o.stopped()) {
    if (!fh) {
      if (!(await openPath())) {
        await sleep(o.pollMs);
        continue;
      }
    }
    const h = fh as unknown as fs.FileHandle;
    const { bytesRead } = await h.read(buf, 0, chunk, offset);
    const data = buf.subarray(0, bytesRead);
    const nl = data.lastIndexOf(0x0a);
    if (nl >= 0 || bytesRead === chunk) {
      // A full read with no line feed is one over-long line: handed out as it is, cut.
      const end = nl >= 0 ? nl + 1 : bytesRead;
      const text = data.subarray(0, end).toString('utf8');
      offset += end;
      const lines = text.split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      yield { lines, place: { inode, offset } };
      continue;
    }
    if (draining) {
      // The renamed file gets no more lines: a last line without a line feed is whole.
      if (bytesRead > 0) {
        offset += bytesRead;
        yield { lines: [data.toString('utf8')], place: { inode, offset } };
      }
      await h.close();
      fh = null;
      continue;
    }
    const st = await statOrNull(file);
    if (st && st.ino !== inode) {
      // Rotated: finish the old file (bytes written before the rename), then the new one.
      draining = true;
      continue;
    }
    if (st && st.size < offset) {
      o.log(`${file} was truncated; reading it again from the start`);
      offset = 0;
      continue;
    }
    await sleep(o.pollMs);
  }
  await (fh as fs.FileHandle | null)?.close();
}
