// A site's live-state checkpoint as bytes and as a file: a header that says what it is for
// (database, site, operating day, the newest arrival it holds, the site configuration), then
// the engines' state through v8.serialize, which keeps Maps, Sets and shared references.
// A restart that finds a matching file imports it and replays only what arrived after it.
//   [ "FWCKPT1\n" | u32 header length | header JSON | body ]
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { crc32 } from 'node:zlib';
import type { SiteConfig } from '../core/site-config.js';
import type { SiteState } from '../core/site-runtime.js';

const MAGIC = Buffer.from('FWCKPT1\n');
/** Bumped whenever an engine's exported state changes shape: an older file is then ignored. */
export const CHECKPOINT_FORMAT = 4;

export interface CheckpointHeader {
  format: number;
  /** Which store the events are in (a file copied next to another database is not trusted). */
  database: string;
  site: string;
  /** Operating day (site zone, day_start) the state belongs to. */
  day: string;
  /** Newest received_at (ms) of the events the state holds: every stored event up to it. */
  received: number;
  /** sha256 of the site configuration the state was built under. */
  config: string;
  /** Body length and CRC-32: a torn or altered file is refused, never half-read. */
  bytes: number;
  crc: number;
  /** Wall clock when taken (for logs). */
  taken_at: number;
}

export class CheckpointError extends Error {
  readonly code = 'CHECKPOINT_INVALID';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CheckpointError';
  }
}

export function configHash(cfg: SiteConfig): string {
  return createHash('sha256').update(JSON.stringify(cfg)).digest('hex');
}

/** Header fields the caller fills; length and checksum are the body's. */
export type CheckpointMeta = Omit<CheckpointHeader, 'format' | 'bytes' | 'crc'>;

/** Serialises synchronously: call it in the turn the state is consistent in. */
export function encodeCheckpoint(meta: CheckpointMeta, state: SiteState): Buffer {
  return Buffer.concat(encodeCheckpointParts(meta, state));
}

/** The file as [head, body], so a large body is written as it is rather than copied once more. */
export function encodeCheckpointParts(meta: CheckpointMeta, state: SiteState): [Buffer, Buffer] {
  const body = serialize(state);
  const header: CheckpointHeader = {
    ...meta,
    format: CHECKPOINT_FORMAT,
    bytes: body.length,
    crc: crc32(body),
  };
  const h = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(h.length);
  return [Buffer.concat([MAGIC, len, h]), body];
}

/** The header alone (throws CheckpointError when the bytes are not a checkpoint). */
export function readHeader(buf: Buffer): { header: CheckpointHeader; bodyAt: number } {
  if (buf.length < MAGIC.length + 4 || !buf.subarray(0, MAGIC.length).equals(MAGIC))
    throw new CheckpointError('not a checkpoint file');
  const n = buf.readUInt32LE(MAGIC.length);
  const at = MAGIC.length + 4;
  if (at + n > buf.length) throw new CheckpointError('the header is cut off');
  let header: CheckpointHeader;
  try {
    header = JSON.parse(buf.subarray(at, at + n).toString('utf8')) as CheckpointHeader;
  } catch (e) {
    throw new CheckpointError('the header is not JSON', { cause: e });
  }
  if (header.format !== CHECKPOINT_FORMAT)
    throw new CheckpointError(
      `format ${String(header.format)}, this build reads ${CHECKPOINT_FORMAT}`,
    );
  if (buf.length - (at + n) !== header.bytes)
    throw new CheckpointError(
      `the body holds ${buf.length - (at + n)} bytes, the header says ${header.bytes}`,
    );
  return { header, bodyAt: at + n };
}

export function decodeCheckpoint(buf: Buffer): { header: CheckpointHeader; state: SiteState } {
  const { header, bodyAt } = readHeader(buf);
  const body = buf.subarray(bodyAt);
  if (crc32(body) !== header.crc) throw new CheckpointError('the body does not match its checksum');
  try {
    return { header, state: deserialize(body) as SiteState };
  } catch (e) {
    throw new CheckpointError('the body cannot be read', { cause: e });
  }
}

/** Checkpoint files under one folder, one per site. */
export class CheckpointFiles {
  constructor(readonly dir: string) {}

  file(site: string): string {
    // Site names are [A-Za-z0-9][A-Za-z0-9_.-]{0,63} (the contract): safe as a file name.
    return path.join(this.dir, `${site}.ckpt`);
  }

  /**
   * Writes through a temporary file, fsync and rename: a crash mid-write leaves the previous
   * checkpoint whole.
   */
  async write(site: string, parts: readonly Buffer[]): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const target = this.file(site);
    const tmp = `${target}.${process.pid}.tmp`;
    const fh = await open(tmp, 'w');
    try {
      await fh.writev([...parts]);
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await rename(tmp, target);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
    // The rename itself is durable once the folder is synced.
    const dh = await open(this.dir, 'r');
    try {
      await dh.sync();
    } finally {
      await dh.close();
    }
  }

  /** The file's bytes, or null when there is none. */
  async read(site: string): Promise<Buffer | null> {
    try {
      return await readFile(this.file(site));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }
}
