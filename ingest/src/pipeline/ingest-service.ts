// The ingest pipeline: decode → validate → dedupe → persist → apply. One NDJSON batch in,
// one reply out, sent only after the accepted rows (and the dead letters) are committed.
// Live engines see events only once they are stored, so a restart shows the same numbers.
import type { Logger } from 'pino';
import { existingIds, floorsBefore, recentIds } from '../../../queries/ingest.js';
import { BatchWriter, WriterClosedError, type FlushRecord } from './batch-writer.js';
import type { Store } from '../../../queries/store.js';
import type { AppConfig } from '../config.js';
import { validateLine, type ContractOptions, type FwEvent } from '../core/contract.js';
import { Dedupe } from '../core/dedupe.js';
import { decodeNdjson } from '../core/ndjson.js';
import { NativeEventBody, insertEventBlock, type EventRow } from './native-rows.js';
import { toDeadLetterRow } from './rows.js';

export interface IngestReply {
  accepted: number;
  duplicates: number;
  rejected: { line: number; error: string }[];
  /** Accepted events older than the lateness window: stored and counted in history, flagged. */
  late: number;
}

export class OverloadedError extends Error {
  readonly code = 'overloaded';
  constructor(readonly retryAfterMs: number) {
    super(
      `the server is behind on writes; retry this batch in ${retryAfterMs} ms (nothing in it was stored)`,
    );
  }
}

/** A batch refused as a whole for a passing reason, with the reply's error text and when to retry; else null. */
export function refusal(e: unknown): { error: string; retryAfterMs: number } | null {
  if (e instanceof OverloadedError) return { error: e.message, retryAfterMs: e.retryAfterMs };
  if (e instanceof WriterClosedError)
    return {
      error: 'the server is shutting down; resend this batch shortly (nothing in it was stored)',
      retryAfterMs: 1000,
    };
  return null;
}

export interface IngestStats {
  onFlush(rec: FlushRecord): void;
  /** Ids asked of the store in one look-up (events at or below the dedupe floor). */
  onLookup?(ids: number): void;
  onReply(reply: IngestReply): void;
}

/**
 * How long a committed id stays in memory for dedupe (within FLOORWATCH_DEDUPE_MAX_IDS). 20
 * minutes covers live traffic and a producer's resend after an outage of that length; older
 * events are looked up in the store (see core/dedupe.ts).
 */
const DEDUPE_WINDOW_MS = 20 * 60_000;

export class IngestService {
  private dedupe: Dedupe;
  private readonly newest = new Map<string, number>();
  private readonly events: BatchWriter<FwEvent, EventRow>;
  private readonly dead: BatchWriter<null>;
  private readonly contract: ContractOptions;
  private evictTimer: NodeJS.Timeout | null = null;
  /**
   * Arrival stamps never go back (a clock step back included), and after quiescentArrival()
   * the next one is later than what it returned: a checkpoint that holds every event received
   * up to R is followed only by events received after R.
   */
  private lastReceived = 0;
  private nextReceivedFloor = 0;
  /** Batches stamped and waiting on the store's dedupe look-up, not yet handed to the writer. */
  private asking = 0;

  constructor(
    private readonly cfg: Readonly<AppConfig>,
    private readonly store: Store,
    private readonly log: Logger,
    private readonly applyCommitted: (events: FwEvent[], now: number) => void,
    private readonly stats?: IngestStats,
    private readonly now: () => number = Date.now,
  ) {
    this.contract = { maxFutureSkewMs: cfg.maxFutureSkewMs, maxPastMs: cfg.maxPastMs };
    this.dedupe = this.newDedupe(-Infinity);
    const common = {
      flushRows: cfg.flushRows,
      flushMs: cfg.flushMs,
      maxInsertRows: cfg.maxInsertRows,
      maxInsertBytes: cfg.maxInsertBytes,
      concurrency: cfg.insertConcurrency,
      onFlush: (rec: FlushRecord) => {
        this.stats?.onFlush(rec);
        if (rec.outcome === 'failed') this.log.error({ flush: rec }, 'insert failed');
        else this.log.debug({ flush: rec }, 'insert committed');
      },
    };
    this.events = new BatchWriter<FwEvent, EventRow>(
      {
        ...common,
        table: 'events',
        newBody: (size) => new NativeEventBody(size),
        insert: (body, token) => insertEventBlock(store, body, token, true),
        // The report facts' freshness count, advanced before the ack (core/event-days.ts);
        // the claims settle by the insert's own outcome (a failed dead-letter write fails the
        // reply, not the events' claims).
        committedBeforeAck: (items) => {
          store.eventDays.committed(items);
          this.dedupe.commit(items, this.now());
        },
        failed: (items) => {
          for (const ev of items) this.dedupe.release(ev.site, ev.id);
        },
      },
      (items) => this.committed(items),
    );
    this.dead = new BatchWriter<null>({
      ...common,
      table: 'dead_letters',
      insert: (body, token) => store.insertNdjson('dead_letters', body, token),
    });
  }

  private newDedupe(initialFloorTs: number): Dedupe {
    return new Dedupe({
      windowMs: DEDUPE_WINDOW_MS,
      maxIds: this.cfg.dedupeMaxIds,
      initialFloorTs,
    });
  }

  /**
   * Loads the ids received within the dedupe window (newest first, up to the budget) and the
   * newest event times, so dedupe and lateness hold across restarts. An event received before
   * the window had ts <= its receive time + the allowed future skew: that bounds the floor.
   */
  async start(): Promise<void> {
    const now = this.now();
    const since = now - DEDUPE_WINDOW_MS;
    const { rows, cut, newest } = await recentIds(this.store, since, this.cfg.dedupeMaxIds);
    const floor = cut === null ? since + this.cfg.maxFutureSkewMs : -Infinity;
    this.dedupe = this.newDedupe(floor);
    if (cut !== null)
      for (const f of await floorsBefore(this.store, cut)) this.dedupe.raiseFloor(f.site, f.ts);
    // Rows come newest first; with none, everything stored arrived before `since`.
    this.lastReceived = Math.max(this.lastReceived, newest ?? since);
    for (const r of rows) {
      this.dedupe.load(r.site, r.id, r.ts, now);
      if (r.ts > (this.newest.get(r.site) ?? 0)) this.newest.set(r.site, r.ts);
    }
    // Drop old buckets once a minute even when idle.
    this.evictTimer = setInterval(() => this.dedupe.maintain(this.now()), 60_000);
    this.evictTimer.unref();
  }

  private stamp(): number {
    const t = Math.max(this.now(), this.lastReceived, this.nextReceivedFloor);
    this.lastReceived = t;
    return t;
  }

  /**
   * When every batch stamped so far is stored and applied to the live engines (or failed),
   * the newest arrival stamp R, and later batches are stamped after R; otherwise null. Valid
   * for the current turn only: a checkpoint serialised in it holds every stored event with
   * received_at <= R.
   */
  quiescentArrival(): number | null {
    if (this.asking > 0 || !this.events.idle) return null;
    this.nextReceivedFloor = this.lastReceived + 1;
    return this.lastReceived;
  }

  get backlogRows(): number {
    return this.events.backlogRows;
  }

  /** The dedupe state (for /metrics): ids held, ids pending, and how far back memory covers. */
  dedupeStats(): { ids: number; pending: number; coversMs: number } {
    const { ids, pending, floorTs } = this.dedupe.stats();
    const now = this.now();
    return { ids, pending, coversMs: Math.max(0, Math.min(DEDUPE_WINDOW_MS, now - floorTs)) };
  }

  /**
   * One NDJSON batch: decoded, validated, deduped and written; resolves after its accepted
   * rows and dead letters are committed. All or nothing: if the write fails, nothing of the
   * batch is stored and the call rejects. `onlySite` (a per-site ingest token's site)
   * refuses lines for any other site, each with its own reason.
   *
   * Not an async function: everything up to the write runs at once, and only a small
   * continuation waits for the commit. With one event per message thousands of batches wait
   * at once, and whatever each one holds outlives several young-generation collections.
   */
  submit(body: Uint8Array, producer: string, onlySite: string | null = null): Promise<IngestReply> {
    try {
      if (this.events.backlogRows > this.cfg.maxBacklogRows) throw new OverloadedError(1000);
      const receivedAt = this.stamp();
      this.dedupe.maintain(receivedAt);
      const reply: IngestReply = { accepted: 0, duplicates: 0, rejected: [], late: 0 };
      const deadLines: string[] = [];
      const valid: Checked[] = [];
      for (const d of decodeNdjson(body, this.cfg)) {
        if ('error' in d) {
          reply.rejected.push({ line: d.line, error: d.error });
          deadLines.push(
            toDeadLetterRow(receivedAt, producer, onlySite ?? '', d.line, d.error, d.raw),
          );
          continue;
        }
        const r = validateLine(d.text, receivedAt, this.contract);
        if (r.ok && onlySite !== null && r.event.site !== onlySite) {
          const error = `field "site": this ingest token may only send events for site "${onlySite}", not "${r.event.site}"`;
          reply.rejected.push({ line: d.line, error });
          // Kept under the token's own site: a producer must not write into another site's dead letters.
          deadLines.push(toDeadLetterRow(receivedAt, producer, onlySite, d.line, error, d.text));
        } else if (r.ok) valid.push({ text: d.text, event: r.event });
        else {
          reply.rejected.push({ line: d.line, error: r.error });
          deadLines.push(
            toDeadLetterRow(
              receivedAt,
              producer,
              onlySite ?? siteOf(d.text),
              d.line,
              r.error,
              d.text,
            ),
          );
        }
      }

      // Claimed synchronously, before any await: a concurrent batch sees these ids as pending.
      const claimed: Checked[] = [];
      const ask: FwEvent[] = [];
      for (const v of valid) {
        const c = this.dedupe.claim(v.event.site, v.event.id, v.event.ts);
        if (c === 'duplicate') reply.duplicates++;
        else {
          claimed.push(v);
          if (c === 'ask') ask.push(v.event);
        }
      }
      if (ask.length) {
        this.asking++;
        return this.withoutStored(claimed, ask, reply).then(
          (keep) => {
            this.asking--;
            return this.write(keep, reply, deadLines, receivedAt, producer);
          },
          (e: unknown) => {
            this.asking--;
            throw e;
          },
        );
      }
      return this.write(claimed, reply, deadLines, receivedAt, producer);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** The claimed events the store does not hold yet; the others count as duplicates. */
  private async withoutStored(
    claimed: Checked[],
    ask: FwEvent[],
    reply: IngestReply,
  ): Promise<Checked[]> {
    let stored: Set<string>;
    try {
      stored = await this.storedIds(ask);
    } catch (e) {
      for (const v of claimed) this.dedupe.release(v.event.site, v.event.id);
      throw e;
    }
    if (!stored.size) return claimed;
    const keep: Checked[] = [];
    for (const v of claimed) {
      if (stored.has(key(v.event))) {
        this.dedupe.release(v.event.site, v.event.id);
        reply.duplicates++;
      } else keep.push(v);
    }
    return keep;
  }

  /** Writes the kept events and the dead letters; resolves with the reply once both committed. */
  private write(
    keep: Checked[],
    reply: IngestReply,
    deadLines: string[],
    receivedAt: number,
    producer: string,
  ): Promise<IngestReply> {
    const rows: EventRow[] = [];
    const items: FwEvent[] = [];
    for (const { text, event: ev } of keep) {
      const newest = this.newest.get(ev.site) ?? 0;
      const late = ev.ts < newest - this.cfg.latenessMs;
      if (late) reply.late++;
      if (ev.ts > newest) this.newest.set(ev.site, ev.ts);
      rows.push({ event: ev, raw: text, receivedAt, producer, late });
      items.push(ev);
    }
    reply.accepted = items.length;
    const stored = this.events.write(rows, items);
    if (!deadLines.length) return stored.then(() => this.replied(reply));
    const dead = this.dead.write(
      deadLines,
      deadLines.map(() => null),
    );
    return Promise.all([stored, dead]).then(() => {
      reply.rejected.sort((a, b) => a.line - b.line);
      return this.replied(reply);
    });
  }

  private replied(reply: IngestReply): IngestReply {
    this.stats?.onReply(reply);
    return reply;
  }

  private committed(items: FwEvent[]): void {
    const now = this.now();
    try {
      this.applyCommitted(items, now);
    } catch (e) {
      // A live-engine bug must never lose or un-acknowledge stored events.
      this.log.error({ err: e }, 'applying committed events to the live state failed');
    }
  }

  /** Asks the store which of these events' ids it already has, whatever their ts (`site \0 id` keys). */
  private async storedIds(events: readonly FwEvent[]): Promise<Set<string>> {
    this.stats?.onLookup?.(events.length);
    const bySite = new Map<string, string[]>();
    for (const ev of events) {
      let ids = bySite.get(ev.site);
      if (!ids) bySite.set(ev.site, (ids = []));
      ids.push(ev.id);
    }
    const out = new Set<string>();
    for (const [site, ids] of bySite)
      for (const id of await existingIds(this.store, site, ids)) out.add(`${site}\u0000${id}`);
    return out;
  }

  /**
   * Resolves once every batch committed so far has been applied to the live engines. An
   * ack means "committed"; the engines take the batch on the next turn of the event loop
   * (before any later request is read), so only an in-process caller needs to wait.
   */
  /**
   * Keeps records an adapter could not turn into events as dead letters (with the reason in
   * plain words), resolved once committed: an adapter endpoint rejects them like any bad line.
   */
  async deadLetter(
    producer: string,
    site: string,
    items: readonly { line: number; reason: string; raw: string }[],
  ): Promise<void> {
    if (!items.length) return;
    const now = this.now();
    const rows = items.map((d) => toDeadLetterRow(now, producer, site, d.line, d.reason, d.raw));
    await this.dead.write(
      rows,
      rows.map(() => null),
    );
  }

  applied(): Promise<void> {
    return this.events.settled();
  }

  /** Flushes what is queued and stops accepting. */
  async close(): Promise<void> {
    if (this.evictTimer) clearInterval(this.evictTimer);
    await Promise.all([this.events.close(), this.dead.close()]);
  }
}

/** An event that passed the contract, with its line's text (stored as `raw`). */
type Checked = { text: string; event: FwEvent };

const key = (ev: FwEvent): string => `${ev.site}\u0000${ev.id}`;

/** Best-effort site of a rejected line, so dead letters can be listed per site. */
function siteOf(text: string): string {
  const m = /"site"\s*:\s*"([^"\\]{1,64})"/.exec(text);
  return m?.[1] ?? '';
}
