// The ingest pipeline: decode → validate → dedupe → persist → apply. One NDJSON batch in,
// one reply out, sent only after the accepted rows (and the dead letters) are committed.
// Live engines see events only once they are stored, so a restart shows the same numbers.
import type { Logger } from 'pino';
import { existingIds, recentIds } from '../../../queries/ingest.js';
import { BatchWriter, type FlushRecord } from '../adapters/clickhouse/batch-writer.js';
import type { Store } from '../adapters/clickhouse/store.js';
import type { AppConfig } from '../config.js';
import { validateLine, type ContractOptions, type FwEvent } from '../core/contract.js';
import { DedupeIndex, newClaimTicket, type Watch } from '../core/dedupe.js';
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
    super(`the server is behind on writes; retry this batch in ${retryAfterMs} ms (nothing in it was stored)`);
  }
}

export interface IngestStats {
  onFlush(rec: FlushRecord): void;
  /** Ids asked of the store in one dedupe round (see submitMany). */
  onLookup?(ids: number): void;
  onReply(reply: IngestReply): void;
}

/**
 * Ids of events newer than this (by event time) are covered by the in-memory dedupe filters;
 * older ones are checked against the store, one ranged query per batch. 20 minutes covers
 * live traffic and a producer's resend after an outage of that length. The filters also
 * cover at most `dedupeMaxIds` ids (see core/dedupe.ts): past that, older events go to the
 * store too.
 */
const DEDUPE_HORIZON_MS = 20 * 60_000;

export class IngestService {
  private readonly dedupe: DedupeIndex;
  private readonly newest = new Map<string, number>();
  private readonly events: BatchWriter<FwEvent, EventRow>;
  private readonly dead: BatchWriter<null>;
  private readonly contract: ContractOptions;
  private evictTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly cfg: Readonly<AppConfig>,
    private readonly store: Store,
    private readonly log: Logger,
    private readonly applyCommitted: (events: FwEvent[], now: number) => void,
    private readonly stats?: IngestStats,
    private readonly now: () => number = Date.now,
  ) {
    this.contract = { maxFutureSkewMs: cfg.maxFutureSkewMs, maxPastMs: cfg.maxPastMs };
    this.dedupe = new DedupeIndex(DEDUPE_HORIZON_MS, { maxIds: cfg.dedupeMaxIds });
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
      { ...common, table: 'events', newBody: (size) => new NativeEventBody(size), insert: (body, token) => insertEventBlock(store, body, token) },
      (items) => this.committed(items),
    );
    this.dead = new BatchWriter<null>({ ...common, table: 'dead_letters', insert: (body, token) => store.insertNdjson('dead_letters', body, token) });
  }

  /** Loads the recent ids and newest event times, so dedupe and lateness hold across restarts. */
  async start(): Promise<void> {
    const now = this.now();
    for (const r of await recentIds(this.store, now - DEDUPE_HORIZON_MS)) {
      this.dedupe.remember(r.site, r.id, r.ts, now);
      if (r.ts > (this.newest.get(r.site) ?? 0)) this.newest.set(r.site, r.ts);
    }
    this.dedupe.maintain(now);
    // Drop ids older than the horizon once a minute even when idle; the look-up query covers them.
    this.evictTimer = setInterval(() => this.dedupe.maintain(this.now()), 60_000);
    this.evictTimer.unref();
  }

  get backlogRows(): number {
    return this.events.backlogRows;
  }

  /** The dedupe index's state (for /metrics): ids its filters cover, ids pending, and how far back it covers. */
  dedupeStats(): { ids: number; pending: number; coversMs: number; filterBytes: number } {
    const now = this.now();
    return { ids: this.dedupe.size(), pending: this.dedupe.pendingCount(), coversMs: now - this.dedupe.storeBelow(now), filterBytes: this.dedupe.filterBytes() };
  }

  async submit(body: Uint8Array, producer: string): Promise<IngestReply> {
    return (await this.submitMany([body], producer))[0] as IngestReply;
  }

  /**
   * Several batches from one producer, each with its own reply (line numbers are per batch),
   * their rows written together: a producer sending one event per message costs one write
   * per loop turn instead of one per message. All or nothing: if the write fails, no batch
   * is stored and the call rejects.
   */
  async submitMany(bodies: readonly Uint8Array[], producer: string): Promise<IngestReply[]> {
    if (this.events.backlogRows > this.cfg.maxBacklogRows) throw new OverloadedError(1000);
    const receivedAt = this.now();
    // Between batches, so the floor never rises while this batch is being claimed.
    this.dedupe.maintain(receivedAt);
    const replies: IngestReply[] = [];
    const deadLines: string[] = [];
    const valid: { reply: IngestReply; text: string; event: FwEvent; ask: boolean }[] = [];
    // No closures per batch here: one body per event is the common case at high rates.
    for (const body of bodies) {
      const reply: IngestReply = { accepted: 0, duplicates: 0, rejected: [], late: 0 };
      replies.push(reply);
      for (const d of decodeNdjson(body, this.cfg)) {
        if ('error' in d) {
          reply.rejected.push({ line: d.line, error: d.error });
          deadLines.push(toDeadLetterRow(receivedAt, producer, '', d.line, d.error, d.raw));
          continue;
        }
        const r = validateLine(d.text, receivedAt, this.contract);
        if (r.ok) valid.push({ reply, text: d.text, event: r.event, ask: false });
        else {
          reply.rejected.push({ line: d.line, error: r.error });
          deadLines.push(toDeadLetterRow(receivedAt, producer, siteOf(d.text), d.line, r.error, d.text));
        }
      }
    }

    // Dedupe. An id is certainly a duplicate while its batch is being inserted (pending). It
    // may be one when the in-memory filters know it (a resend, or a rare false positive) or
    // when its event is older than memory covers: the store is asked about those, one query
    // per site and round. While awaiting, other batches may claim ids (seen as pending in
    // the next round) or commit them (noted through the watch), and the floor may rise; so
    // the check runs again until a round needs nothing new from the store. From that round
    // to write() nothing awaits, so two batches cannot both claim one id.
    // Made only when something is asked (rare): the common batch allocates nothing here.
    let asked: Set<string> | null = null;
    let stored: Set<string> | null = null;
    let watch: Watch | null = null;
    try {
      for (;;) {
        const ask: FwEvent[] = [];
        for (const v of valid) {
          const ev = v.event;
          // A pending id (its batch is being inserted) may ask too; the claim loop finds it pending.
          v.ask = !this.dedupe.isRecent(ev.ts, receivedAt) || this.dedupe.maybeSeen(ev.site, ev.id);
          if (!v.ask) continue;
          const key = `${ev.site}\u0000${ev.id}`;
          if (asked?.has(key)) continue;
          (asked ??= new Set()).add(key);
          ask.push(ev);
        }
        if (ask.length === 0) break;
        watch = this.dedupe.watch(watch, ask);
        this.stats?.onLookup?.(ask.length);
        for (const k of await this.storedIds(ask)) (stored ??= new Set()).add(k);
      }
    } finally {
      if (watch) this.dedupe.unwatch(watch);
    }
    if (watch) for (const k of watch.raced) (stored ??= new Set()).add(k);
    const ticket = newClaimTicket();
    const rows: EventRow[] = [];
    const items: FwEvent[] = [];
    let askedClaimed = false;
    for (const v of valid) {
      const ev = v.event;
      // An id the filters did not know at the last check (v.ask false) can only be a repeat
      // of an earlier one in this batch: claimFresh finds those through the filters. Once an
      // asked id is claimed here (it may be old, so in no filter), every later one is checked
      // against the exact pending set.
      let dup: boolean;
      if (v.ask || askedClaimed) {
        dup = this.dedupe.pending(ev.site, ev.id) || (v.ask && stored !== null && stored.has(`${ev.site}\u0000${ev.id}`));
        if (!dup) {
          this.dedupe.claim(ev.site, ev.id, ev.ts, receivedAt, ticket);
          askedClaimed ||= v.ask;
        }
      } else dup = !this.dedupe.claimFresh(ev.site, ev.id, ev.ts, receivedAt, ticket);
      if (dup) {
        v.reply.duplicates++;
        continue;
      }
      const newest = this.newest.get(ev.site) ?? 0;
      const late = ev.ts < newest - this.cfg.latenessMs;
      if (late) v.reply.late++;
      if (ev.ts > newest) this.newest.set(ev.site, ev.ts);
      rows.push({ event: ev, raw: v.text, receivedAt, producer, late });
      items.push(ev);
      v.reply.accepted++;
    }

    // The claims settle with the events' insert, by its own outcome (a failed dead-letter
    // write fails the reply, not the events' claims).
    const writes: Promise<void>[] = [
      this.events.write(rows, items).then(
        () => this.dedupe.settle(ticket, true),
        (e: unknown) => {
          this.dedupe.settle(ticket, false);
          throw e;
        },
      ),
    ];
    if (deadLines.length) writes.push(this.dead.write(deadLines, deadLines.map(() => null)));
    // Both writers have encoded their rows: let go of the batch's text before waiting for
    // the commit. An async function keeps every local across an await, and these held each
    // message's whole decoded text (the lines are slices of it) until the insert was done,
    // so a message outlived two scavenges and was copied into the old generation.
    valid.length = 0;
    rows.length = 0;
    deadLines.length = 0;
    await Promise.all(writes);
    for (const reply of replies) {
      reply.rejected.sort((a, b) => a.line - b.line);
      this.stats?.onReply(reply);
    }
    return replies;
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

  /** Asks the store which of these events' ids it already has (`site \0 id` keys). */
  private async storedIds(events: readonly FwEvent[]): Promise<Set<string>> {
    const bySite = new Map<string, { ids: string[]; lo: number; hi: number }>();
    for (const ev of events) {
      let g = bySite.get(ev.site);
      if (!g) bySite.set(ev.site, (g = { ids: [], lo: ev.ts, hi: ev.ts }));
      g.ids.push(ev.id);
      if (ev.ts < g.lo) g.lo = ev.ts;
      if (ev.ts > g.hi) g.hi = ev.ts;
    }
    const out = new Set<string>();
    for (const [site, g] of bySite) {
      for (const id of await existingIds(this.store, site, g.lo, g.hi, g.ids)) out.add(`${site}\u0000${id}`);
    }
    return out;
  }

  /**
   * Resolves once every batch committed so far has been applied to the live engines. An
   * ack means "committed"; the engines take the batch on the next turn of the event loop
   * (before any later request is read), so only an in-process caller needs to wait.
   */
  applied(): Promise<void> {
    return this.events.settled();
  }

  /** Flushes what is queued and stops accepting. */
  async close(): Promise<void> {
    if (this.evictTimer) clearInterval(this.evictTimer);
    await Promise.all([this.events.close(), this.dead.close()]);
  }
}

/** Best-effort site of a rejected line, so dead letters can be listed per site. */
function siteOf(text: string): string {
  const m = /"site"\s*:\s*"([^"\\]{1,64})"/.exec(text);
  return m?.[1] ?? '';
}
