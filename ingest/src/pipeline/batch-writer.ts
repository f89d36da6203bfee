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

/**
 * One insert's rows, encoded as they are written, so the row values die young instead of
 * living until the insert (long enough to be promoted to the old generation). A body is reused for later inserts once its own is done.
 */
export interface InsertBody<R> {
  /** Bytes encoded so far. */
  readonly bytes: number;
  /** Bytes of buffer held, used or not. */
  readonly capacity: number;
  /** Buffers it has allocated or grown, in all. */
  readonly allocations: number;
  add(rows: readonly R[]): void;
  /** Where the body stands now, to take the next write back out with `rollback`. */
  mark(): unknown;
  rollback(mark: unknown): void;
  /** The insert's body, in pieces to be sent or written in order (valid until `reset`). */
  finish(): readonly Buffer[];
  /** Empties it for the next insert, keeping its buffers. */
  reset(): void;
}

export interface BatchWriterOptions<R = string, T = unknown> {
  table: string;
  flushRows: number;
  flushMs: number;
  maxInsertRows: number;
  maxInsertBytes: number;
  /** Inserts one body (its pieces in order); `token` is stable across retries of the same insert. */
  insert(body: readonly Buffer[], token: string): Promise<void>;
  /** A new empty body of about `size` bytes (default: rows are text lines, see LineBody). */
  newBody?(size: number): InsertBody<R>;
  onFlush?(rec: FlushRecord): void;
  /** Inserts running at once (default 1). Two overlap one insert's fixed cost with the
   * next one's parsing in the engine's threads (see config.ts for the measurement). */
  concurrency?: number;
  /** Retries of one insert on failure; with the dedup token a retry never stores twice. */
  retries?: number;
  /**
   * Called synchronously once an insert returned, before any of its rows is acknowledged,
   * with its items: what must know of a commit before a producer can (the stored events per
   * day behind the report facts' freshness, core/event-days.ts).
   */
  committedBeforeAck?(items: T[]): void;
  /** Called with the items of a write that will never be stored (the insert failed, or the
   * writer was closed), before the write's promise rejects. */
  failed?(items: readonly T[]): void;
}

interface Pending<T, R> {
  body: InsertBody<R>;
  rows: number;
  /** Items committed by this insert, handed to onCommit in order. */
  items: T[];
  /**
   * Settles when this insert (and every insert taken before it) has committed; every write
   * in the insert gets this one promise, as with one event per write a promise, a waiter
   * and two closures per write were a large part of the server's garbage.
   */
  done: Promise<void>;
  resolve(): void;
  reject(e: unknown): void;
}

/** The largest insert body kept for reuse, and how many are kept (at most 32 MiB resident after a burst). */
const SPARE_MAX = 16 * 1024 * 1024;
const SPARES = 2;

const MIB = 1024 * 1024;
/** A new body's size: a power of two up to 1 MiB, then whole MiB, so sizes repeat and the spares fit the next batches. */
const bodySize = (want: number): number =>
  want <= MIB ? 2 ** Math.ceil(Math.log2(Math.max(1, want))) : Math.ceil(want / MIB) * MIB;

/**
 * Rows that are already text (one line each, e.g. JSONEachRow), written as UTF-8 bytes
 * straight into one buffer (no joined string to encode again), which grows by doubling when
 * a row may not fit. Room is checked row by row against the row's worst case (3 bytes per
 * UTF-16 unit), not the whole write's, so a body stays close to its bytes.
 */
export class LineBody implements InsertBody<string> {
  bytes = 0;
  allocations = 1;
  private buf: Buffer;
  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }
  get capacity(): number {
    return this.buf.length;
  }
  add(lines: readonly string[]): void {
    let buf = this.buf;
    let off = this.bytes;
    for (const l of lines) {
      const worst = 3 * l.length + 1;
      if (buf.length - off < worst) {
        const grown = Buffer.allocUnsafe(bodySize(Math.max(off + worst, 2 * buf.length)));
        buf.copy(grown, 0, 0, off);
        this.buf = buf = grown;
        this.allocations++;
      }
      off += buf.write(l, off);
      buf[off++] = 10;
    }
    this.bytes = off;
  }
  mark(): number {
    return this.bytes;
  }
  rollback(mark: unknown): void {
    this.bytes = mark as number;
  }
  finish(): readonly Buffer[] {
    return [this.buf.subarray(0, this.bytes)];
  }
  reset(): void {
    this.bytes = 0;
  }
}

export class WriterClosedError extends Error {
  readonly code = 'writer_closed';
}

export class BatchWriter<T, R = string> {
  private queue: Pending<T, R>[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** Batches taken and not yet settled: being inserted, or committed and being acknowledged. */
  private readonly inFlight = new Set<Promise<void>>();
  /** Inserts the engine is running now (at most `concurrency`). */
  private inserting = 0;
  private lastDrain: Promise<void> = Promise.resolve();
  private closed = false;
  private backlog = 0;

  constructor(
    private readonly opts: BatchWriterOptions<R, T>,
    /** Called after each committed insert with the items it held, in commit order. */
    private readonly onCommit: (items: T[]) => void = () => {},
  ) {}

  /** Insert body buffers allocated so far (new or grown): reused ones are not counted. */
  get bodiesAllocated(): number {
    return this.allocated;
  }
  private allocated = 0;

  /** Encodes rows into a batch's body, counting what that allocates. */
  private add(b: Pending<T, R>, rows: readonly R[]): void {
    const before = b.body.allocations;
    b.body.add(rows);
    this.allocated += b.body.allocations - before;
  }

  /** Rows accepted but not yet committed. */
  get backlogRows(): number {
    return this.backlog;
  }

  /**
   * Queues rows (with the matching items) and resolves when they are committed. An empty
   * call resolves after everything queued before it has committed. A write is never split:
   * it lands in one insert (all or nothing), and one that would pass the current insert's
   * caps starts the next one.
   */
  write(rows: readonly R[], items: T[]): Promise<void> {
    if (this.closed) {
      this.opts.failed?.(items);
      return Promise.reject(new WriterClosedError('the writer is shutting down'));
    }
    // flushRows only starts a flush; while inserts run the newest batch keeps growing up
    // to the caps, because one large insert costs far less than many small ones (each has
    // a fixed cost, and so does each materialized view).
    let cur = this.queue[this.queue.length - 1];
    if (!cur || (cur.rows + rows.length > this.opts.maxInsertRows && cur.rows > 0))
      cur = this.open();
    if (rows.length) {
      // Encoded now, straight into the batch's body, while the values are young.
      const start = cur.body.bytes;
      const mark = cur.body.mark();
      this.add(cur, rows);
      if (cur.body.bytes > this.opts.maxInsertBytes && start > 0) {
        // Past the byte cap: this write starts the next insert (a write is never split).
        cur.body.rollback(mark);
        cur = this.open();
        this.add(cur, rows);
      }
      cur.rows += rows.length;
      for (const it of items) cur.items.push(it);
    }
    this.backlog += rows.length;
    if (this.headReady()) this.kick();
    else this.arm();
    return cur.done;
  }

  /**
   * Bodies of settled inserts, reused by the next batches (at most SPARES). V8 counts a
   * Buffer's bytes as external memory, and their growth starts a full GC of the whole heap
   * (docs/benchmarks.md, kept optimisations). Reused bodies allocate nothing.
   */
  private readonly spares: InsertBody<R>[] = [];
  /** Bytes of the last insert: a new batch's body starts a quarter larger. */
  private lastBytes = 0;

  /** A new, empty batch at the end of the queue. */
  private open(): Pending<T, R> {
    const want = Math.max(64 * 1024, Math.ceil(this.lastBytes * 1.25));
    let body: InsertBody<R> | undefined;
    const i = this.spares.findIndex((s) => s.capacity >= want);
    if (i >= 0) body = this.spares.splice(i, 1)[0];
    if (!body) {
      const size = bodySize(want);
      body = this.opts.newBody
        ? this.opts.newBody(size)
        : (new LineBody(size) as unknown as InsertBody<R>);
      this.allocated += body.allocations;
    }
    let resolve!: () => void;
    let reject!: (e: unknown) => void;
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const b: Pending<T, R> = { body, rows: 0, items: [], done, resolve, reject };
    this.queue.push(b);
    return b;
  }

  private arm(): void {
    if (this.timer || this.inserting) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.kick();
    }, this.opts.flushMs);
  }

  /** A batch is worth an insert of its own: a later one exists, it reached flushRows, or we close. */
  private headReady(): boolean {
    const head = this.queue[0];
    // An empty batch only carries waiters (an all-duplicates reply): nothing to wait for.
    return (
      !!head &&
      (this.queue.length > 1 || head.rows >= this.opts.flushRows || head.rows === 0 || this.closed)
    );
  }

  private kick(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const slots = this.opts.concurrency ?? 1;
    // The first slot takes the head whatever its size (the timer or a caller asked for it);
    // further slots only take a batch that is ready, so they never spend an insert on a trickle.
    while (
      this.queue.length &&
      this.inserting < slots &&
      (this.inserting === 0 || this.headReady())
    ) {
      const prev = this.lastDrain;
      this.inserting++;
      const p: Promise<void> = this.drain(prev).finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
      this.lastDrain = p;
    }
  }

  /**
   * The engine is done with an insert: the next one starts now, before the done batch's
   * bookkeeping and acks, so the engine does not wait on the main thread between inserts.
   */
  private released(): void {
    this.inserting--;
    if (!this.queue.length) return;
    if (this.headReady()) this.kick();
    else this.arm();
  }

  private async drain(prev: Promise<void>): Promise<void> {
    // Take the oldest batch; anything arriving meanwhile coalesces into the next one.
    const batch = this.queue.shift();
    if (!batch || batch.rows === 0) {
      // Released after an await, never within kick's own loop (which sets lastDrain after).
      await prev;
      this.released();
      batch?.resolve();
      return;
    }
    const body = batch.body.finish();
    let bytes = 0;
    for (const b of body) bytes += b.length;
    this.lastBytes = bytes;
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
          this.released();
          this.backlog -= batch.rows;
          this.opts.onFlush?.({
            table: this.opts.table,
            rows: batch.rows,
            bytes,
            ms: performance.now() - t0,
            attempts: attempt,
            outcome: 'failed',
            error: (e as Error).message,
          });
          this.opts.failed?.(batch.items);
          batch.reject(e);
          return;
        }
        // 50, 100, 200 ms: long enough for a busy engine to finish merging, short enough for the ack budget.
        await new Promise((r) => setTimeout(r, 50 * 2 ** (attempt - 1)));
      }
    }
    // The engine is done with the body: the next batch may write into it (a body past
    // SPARE_MAX is let go, so a burst's large body does not stay resident).
    if (batch.body.capacity <= SPARE_MAX) {
      batch.body.reset();
      this.spares.push(batch.body);
      // Past SPARES, the smallest is let go.
      if (this.spares.length > SPARES) this.spares.sort((x, y) => y.capacity - x.capacity).pop();
    }
    this.released();
    this.backlog -= batch.rows;
    this.opts.committedBeforeAck?.(batch.items);
    this.opts.onFlush?.({
      table: this.opts.table,
      rows: batch.rows,
      bytes,
      ms: performance.now() - t0,
      attempts: attempt,
      outcome: 'ok',
    });
    // With concurrent inserts a later one can finish first: acks and commit callbacks still
    // go out in the order the batches were taken, so nothing is acknowledged before an
    // earlier batch that a duplicate in it may refer to.
    await prev;
    // Acks first, then the next insert (started when drain returns), then the commit
    // callback on the next turn of the loop: the live engines' work on a large batch overlaps
    // the next insert instead of delaying it and every producer's ack (docs/benchmarks.md,
    // kept optimisations). Callbacks keep commit order.
    batch.resolve();
    this.commits.push(batch.items);
    if (this.commits.length === 1) setImmediate(this.runCommits);
  }

  private readonly commits: T[][] = [];
  private readonly runCommits = (): void => {
    const items = this.commits.shift();
    if (this.commits.length) setImmediate(this.runCommits);
    if (items) this.onCommit(items);
  };

  /**
   * Nothing queued, nothing being inserted, and every committed batch handed to the commit
   * callback: in this turn, what the table holds is exactly what the callback has seen.
   */
  get idle(): boolean {
    return this.queue.length === 0 && this.inFlight.size === 0 && this.commits.length === 0;
  }

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
      if (!this.inserting) this.kick();
      await Promise.all([...this.inFlight]);
    }
    await this.settled();
  }
}

/**
 * ClickHouse error codes (errorCodeToName) that an insert would meet again the same way: bad
 * data or a bad statement. Any other failure (network, a busy or restarting engine, memory)
 * is retried with the same dedup token.
 */
const PERMANENT = new Set([
  6, // CANNOT_PARSE_TEXT
  16, // NO_SUCH_COLUMN_IN_TABLE
  26, // CANNOT_PARSE_QUOTED_STRING
  27, // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  32, // ATTEMPT_TO_READ_AFTER_EOF
  33, // CANNOT_READ_ALL_DATA
  38, // CANNOT_PARSE_DATE
  41, // CANNOT_PARSE_DATETIME
  53, // TYPE_MISMATCH
  60, // UNKNOWN_TABLE
  62, // SYNTAX_ERROR
  69, // ARGUMENT_OUT_OF_BOUND
  70, // CANNOT_CONVERT_TYPE
  72, // CANNOT_PARSE_NUMBER
  81, // UNKNOWN_DATABASE
  117, // INCORRECT_DATA
  349, // CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN
]);

/**
 * The ClickHouse error code of a failure, or null if it is none: @clickhouse/client's
 * ClickHouseError carries it as `code`; chdb's raw calls reject with the engine's own
 * "Code: N. DB::Exception" text, whose number is the same code.
 */
export function clickhouseCode(e: unknown): number | null {
  const code = (e as { code?: unknown })?.code;
  if (typeof code === 'string' && /^\d+$/.test(code)) return Number(code);
  if (typeof code === 'number') return code;
  const m = /^Code: (\d+)\./.exec(String((e as Error)?.message ?? ''));
  return m ? Number(m[1]) : null;
}

/** Errors worth retrying: anything but a permanent ClickHouse error. */
export function isRetryable(e: unknown): boolean {
  const code = clickhouseCode(e);
  return code === null || !PERMANENT.has(code);
}
