// persist: coalesces rows from every producer into large inserts. A batch is flushed at
// `flushRows` rows or `flushMs` after its first row, whichever comes first, capped in
// rows and bytes; up to `concurrency` inserts run at once, and each caller's promise
// settles only when the insert holding its rows (and every insert taken before it) has
// committed.
import { randomUUID } from 'node:crypto';

export interface FlushRecord {
  table: string;
  rows: number;
  bytes: number;
  ms: number;
  attempts: number;
  outcome: 'ok' | 'failed';
  error?: string;
}

export interface BatchWriterOptions {
  table: string;
  flushRows: number;
  flushMs: number;
  maxInsertRows: number;
  maxInsertBytes: number;
  /** Inserts one body of rows, one per line; `token` is stable across retries of the same insert. */
  insert(body: Buffer, token: string): Promise<void>;
  onFlush?(rec: FlushRecord): void;
  /** Inserts running at once (default 1). Two overlap one insert's fixed cost with the
   * next one's parsing in the engine's threads (see config.ts for the measurement). */
  concurrency?: number;
  /** Retries of one insert on failure; with the dedup token a retry never stores twice. */
  retries?: number;
}

interface Pending<T> {
  /**
   * The insert body so far: each write's rows are encoded into it as they arrive (the row
   * strings die young, only bytes wait here), so an insert needs no concatenation. Grows by
   * doubling; `bytes` of it are used.
   */
  body: Buffer | null;
  rows: number;
  /** Items committed by this insert, handed to onCommit in order. */
  items: T[];
  bytes: number;
  waiters: { resolve(): void; reject(e: unknown): void }[];
}

/** The largest insert body kept for reuse, and how many are kept (at most 32 MiB resident after a burst). */
const SPARE_MAX = 16 * 1024 * 1024;
const SPARES = 2;

const MIB = 1024 * 1024;
/** A new body's size: a power of two up to 1 MiB, then whole MiB, so sizes repeat and the spares fit the next batches. */
const bodySize = (want: number): number => (want <= MIB ? 2 ** Math.ceil(Math.log2(Math.max(1, want))) : Math.ceil(want / MIB) * MIB);

/** Makes room for `more` bytes after the used part of the batch's body, doubling it if needed. */
function reserve(batch: { body: Buffer | null; bytes: number }, more: number): void {
  const need = batch.bytes + more;
  if (batch.body && batch.body.length >= need) return;
  const grown = Buffer.allocUnsafe(bodySize(Math.max(need, 2 * (batch.body?.length ?? 0), 64 * 1024)));
  if (batch.body) batch.body.copy(grown, 0, 0, batch.bytes);
  batch.body = grown;
}

/** Copies bytes to the end of the batch's body. */
function append(batch: { body: Buffer | null; bytes: number }, chunk: Buffer): void {
  reserve(batch, chunk.length);
  chunk.copy(batch.body as Buffer, batch.bytes);
  batch.bytes += chunk.length;
}

export class WriterClosedError extends Error {
  readonly code = 'writer_closed';
}

export class BatchWriter<T> {
  private queue: Pending<T>[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private lastDrain: Promise<void> = Promise.resolve();
  private closed = false;
  private backlog = 0;

  constructor(
    private readonly opts: BatchWriterOptions,
    /** Called after each committed insert with the items it held, in commit order. */
    private readonly onCommit: (items: T[]) => void = () => {},
  ) {}

  /** Insert bodies allocated so far (new or grown): reused ones are not counted. */
  get bodiesAllocated(): number {
    return this.allocated;
  }
  private allocated = 0;

  /** Rows accepted but not yet committed. */
  get backlogRows(): number {
    return this.backlog;
  }

  /**
   * Queues rows (one JSON line each, with the matching item) and resolves when they are
   * committed. An empty call resolves after everything queued before it has committed.
   * A write is never split: it lands in one insert (all or nothing), and one that would
   * pass the current insert's caps starts the next one.
   */
  write(lines: string[], items: T[]): Promise<void> {
    if (this.closed) return Promise.reject(new WriterClosedError('the writer is shutting down'));
    return new Promise<void>((resolve, reject) => {
      // flushRows only starts a flush; while inserts run the newest batch keeps growing up
      // to the caps, because one large insert costs far less than many small ones (~15-20 ms
      // fixed per insert and per materialized view).
      let cur = this.queue[this.queue.length - 1];
      if (!cur || (cur.rows + lines.length > this.opts.maxInsertRows && cur.rows > 0)) cur = this.open();
      if (lines.length) {
        // Encoded now, straight into the batch's body, while the strings are young: under
        // load a batch waits ~100-300 ms for its insert, and held strings were promoted to
        // the old generation and collected there.
        const start = cur.bytes;
        this.encodeInto(cur, lines);
        if (cur.bytes > this.opts.maxInsertBytes && start > 0) {
          // Past the byte cap: this write starts the next insert (a write is never split).
          const next = this.open();
          append(next, (cur.body as Buffer).subarray(start, cur.bytes));
          cur.bytes = start;
          cur = next;
        }
        cur.rows += lines.length;
        for (const it of items) cur.items.push(it);
      }
      cur.waiters.push({ resolve, reject });
      this.backlog += lines.length;
      if (this.headReady()) this.kick();
      else this.arm();
    });
  }

  /**
   * Bodies of settled inserts, reused by the next batches (at most SPARES). V8 counts a
   * Buffer's bytes as external memory, and their growth starts a full GC of the whole heap
   * (~300 MB of live state under load): a fresh multi-MB body per insert did that about
   * once a second. Reused bodies allocate nothing.
   */
  private readonly spares: Buffer[] = [];
  /** Bytes of the last insert: a new batch's body starts a quarter larger. */
  private lastBytes = 0;

  /** A new, empty batch at the end of the queue. */
  private open(): Pending<T> {
    const want = Math.max(64 * 1024, Math.ceil(this.lastBytes * 1.25));
    let body: Buffer | null = null;
    const i = this.spares.findIndex((s) => s.length >= want);
    if (i >= 0) body = this.spares.splice(i, 1)[0] as Buffer;
    const b: Pending<T> = { body, rows: 0, items: [], bytes: 0, waiters: [] };
    if (!body) {
      b.body = Buffer.allocUnsafe(bodySize(want));
      this.allocated++;
    }
    this.queue.push(b);
    return b;
  }

  /**
   * Appends the rows as UTF-8 bytes, one line each, written straight into the body
   * (~4x faster than joining the rows and encoding the joined string: ~105 vs ~430 ns per
   * 340-byte row, and no copy from a scratch buffer), which grows by doubling when a row
   * may not fit. Room is checked row by row against the row's worst case (3 bytes per UTF-16
   * unit), not the whole write's: reserving 3x a write up front made a body ~3x its bytes
   * (16 MiB bodies for 6 MB inserts, too large to keep for reuse).
   */
  private encodeInto(batch: Pending<T>, lines: readonly string[]): void {
    let buf = batch.body as Buffer;
    let off = batch.bytes;
    for (const l of lines) {
      const worst = 3 * l.length + 1;
      if (buf.length - off < worst) {
        batch.bytes = off;
        reserve(batch, worst);
        buf = batch.body as Buffer;
        this.allocated++;
      }
      off += buf.write(l, off);
      buf[off++] = 10;
    }
    batch.bytes = off;
  }

  private arm(): void {
    if (this.timer || this.inFlight.size) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.kick();
    }, this.opts.flushMs);
  }

  /** A batch is worth an insert of its own: a later one exists, it reached flushRows, or we close. */
  private headReady(): boolean {
    const head = this.queue[0];
    // An empty batch only carries waiters (an all-duplicates reply): nothing to wait for.
    return !!head && (this.queue.length > 1 || head.rows >= this.opts.flushRows || head.rows === 0 || this.closed);
  }

  private kick(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const slots = this.opts.concurrency ?? 1;
    // The first slot takes the head whatever its size (the timer or a caller asked for it);
    // further slots only take a batch that is ready, so they never spend an insert on a trickle.
    while (this.queue.length && this.inFlight.size < slots && (this.inFlight.size === 0 || this.headReady())) {
      const prev = this.lastDrain;
      const p: Promise<void> = this.drain(prev).finally(() => {
        this.inFlight.delete(p);
        if (!this.queue.length) return;
        if (this.headReady()) this.kick();
        else this.arm();
      });
      this.inFlight.add(p);
      this.lastDrain = p;
    }
  }

  private async drain(prev: Promise<void>): Promise<void> {
    // Take the oldest batch; anything arriving meanwhile coalesces into the next one.
    const batch = this.queue.shift();
    if (!batch) return;
    if (batch.rows === 0) {
      await prev;
      for (const w of batch.waiters) w.resolve();
      return;
    }
    const full = batch.body as Buffer;
    const body = full.subarray(0, batch.bytes);
    batch.body = null;
    this.lastBytes = batch.bytes;
    const token = randomUUID();
    const retries = this.opts.retries ?? 3;
    const t0 = performance.now();
    let attempt = 0;
    for (;;) {
      attempt++;
      try {
        await this.opts.insert(body, token);
        break;
      } catch (e) {
        if (attempt > retries || !isRetryable(e)) {
          this.backlog -= batch.rows;
          this.opts.onFlush?.({ table: this.opts.table, rows: batch.rows, bytes: body.length, ms: performance.now() - t0, attempts: attempt, outcome: 'failed', error: (e as Error).message });
          for (const w of batch.waiters) w.reject(e);
          return;
        }
        // 50, 100, 200 ms: long enough for a busy engine to finish merging, short enough for the ack budget.
        await new Promise((r) => setTimeout(r, 50 * 2 ** (attempt - 1)));
      }
    }
    this.backlog -= batch.rows;
    // The engine is done with the body: the next batch may write into it (a body past
    // SPARE_MAX is let go, so a burst's large body does not stay resident).
    if (full.length <= SPARE_MAX) {
      this.spares.push(full);
      // Past SPARES, the smallest is let go.
      if (this.spares.length > SPARES) this.spares.sort((x, y) => y.length - x.length).pop();
    }
    this.opts.onFlush?.({ table: this.opts.table, rows: batch.rows, bytes: body.length, ms: performance.now() - t0, attempts: attempt, outcome: 'ok' });
    // With concurrent inserts a later one can finish first: acks and commit callbacks still
    // go out in the order the batches were taken, so nothing is acknowledged before an
    // earlier batch that a duplicate in it may refer to.
    await prev;
    // Acks first, then the next insert (started when drain returns), then the commit
    // callback on the next turn of the loop: the live engines' work on a large batch overlaps
    // the next insert instead of delaying it and every producer's ack (measured: +40%
    // acknowledged events/s with closed-loop producers). Callbacks keep commit order.
    for (const w of batch.waiters) w.resolve();
    this.commits.push(batch.items);
    if (this.commits.length === 1) setImmediate(this.runCommits);
  }

  private readonly commits: T[][] = [];
  private readonly runCommits = (): void => {
    const items = this.commits.shift();
    if (this.commits.length) setImmediate(this.runCommits);
    if (items) this.onCommit(items);
  };

  /** Resolves once every committed batch has been handed to the commit callback. */
  settled(): Promise<void> {
    return new Promise((resolve) => {
      const check = () => (this.commits.length ? setImmediate(check) : resolve());
      check();
    });
  }

  /** Flushes everything queued and refuses new rows. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.queue.length || this.inFlight.size) {
      if (!this.inFlight.size) this.kick();
      await Promise.all([...this.inFlight]);
    }
    await this.settled();
  }
}

/** Errors worth retrying: transient engine or network trouble, never bad data. */
function isRetryable(e: unknown): boolean {
  const msg = String((e as Error)?.message ?? e);
  // Parse/type errors (e.g. CANNOT_PARSE_*, TYPE_MISMATCH) would fail again the same way.
  if (/CANNOT_PARSE|TYPE_MISMATCH|INCORRECT_DATA|UNKNOWN_TABLE|Syntax error/i.test(msg)) return false;
  return true;
}
