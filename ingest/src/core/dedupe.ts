// Dedupe of event ids per site. Ids of recent events (event time within `horizonMs` of
// now, and not below the floor) are kept in memory from the moment they are accepted; ids
// of older events are kept only until their insert commits, after which the caller's
// ranged query over the stored events finds them (one query per batch). So a resend of any
// age is caught, while memory stays bounded.
//
// Memory is bounded twice: by time (ids older than the horizon plus a margin are dropped)
// and by count (at most `maxIds`). Ids live in generations: one Set per site that takes
// new ids for up to `genMs` or a third of the budget, then the next. When more than
// `maxIds` are held, the oldest generation whose inserts have all settled is dropped and
// the floor rises above its newest event time, so those events are looked up in the store
// from then on. At a sustained 80,000 events/s the 20-minute horizon alone would hold
// ~96M ids (~6 GB); a single Set also cannot hold more than 2^24 entries.
//
// Hot path: a new id is looked for in each generation (2-4 per site). A miss in a Set of
// ~700k ids costs ~150-200 ns (cache misses), so each generation also keeps a Bloom filter
// (16 bits per id of its capacity, 3 probes, ~0.5% false positives) and its Set is asked
// only when the filter says "maybe": a new id costs one hash and a few bit reads.

interface Gen {
  readonly ids: Set<string>;
  /** Bloom filter over `ids` (bits only ever set: an aborted id stays a false positive). */
  readonly bloom: Uint32Array;
  /** Newest event time of an id in this generation. */
  maxTs: number;
  /** Wall time it started taking ids. */
  readonly opened: number;
  /** Claims whose insert has not settled yet (committed or failed): not droppable before. */
  pending: number;
}

/** The generations a batch's claims went to; released once its insert settles. */
export interface ClaimTicket {
  gens: Gen[];
}

export interface DedupeOptions {
  /** Budget of ids held in memory (default 2,000,000: ~120 MB). */
  maxIds?: number;
  /** A generation takes new ids for at most this long (default 5 min). */
  genMs?: number;
  /** Generations are dropped this long after they leave the horizon (default 10 min). */
  marginMs?: number;
}

export class DedupeIndex {
  /** site -> generations, oldest first; the last takes new ids. */
  private readonly gens = new Map<string, Gen[]>();
  /** site -> ids of old events accepted but not yet committed. */
  private readonly pendingOld = new Map<string, Set<string>>();
  private pendingOldCount = 0;
  private total = 0;
  /** Events older than this are looked up in the store (raised when the budget drops ids). */
  private floor = -Infinity;
  /** Changes whenever the floor rises: a caller that awaited re-checks what is recent. */
  epoch = 0;
  readonly maxIds: number;
  private readonly genMs: number;
  private readonly marginMs: number;
  /** Bloom filter size in bits (a power of two), sized for a full generation. */
  private readonly bloomBits: number;
  /** Hash of the id last looked up, so claim() after has() does not hash it again. */
  private hId = '';
  private h1 = 0;
  private h2 = 0;

  constructor(
    readonly horizonMs: number,
    opts: DedupeOptions = {},
  ) {
    this.maxIds = opts.maxIds ?? 2_000_000;
    this.genMs = opts.genMs ?? 5 * 60_000;
    this.marginMs = opts.marginMs ?? 10 * 60_000;
    this.bloomBits = 2 ** Math.max(10, Math.ceil(Math.log2((this.maxIds / 3) * 16)));
  }

  /** Two 32-bit hashes of the id (FNV-1a, then a murmur finaliser) for double hashing. */
  private hash(id: string): void {
    if (id === this.hId) return;
    let h = 0x811c9dc5;
    for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
    let g = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    g = Math.imul(g ^ (g >>> 13), 0xc2b2ae35);
    this.hId = id;
    this.h1 = h >>> 0;
    this.h2 = ((g ^ (g >>> 16)) | 1) >>> 0;
  }

  private maybeIn(g: Gen): boolean {
    const mask = this.bloomBits - 1;
    const b = g.bloom;
    for (let k = 0; k < 3; k++) {
      const bit = (this.h1 + k * this.h2) & mask;
      if (((b[bit >>> 5] as number) & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }

  private mark(g: Gen): void {
    const mask = this.bloomBits - 1;
    const b = g.bloom;
    for (let k = 0; k < 3; k++) {
      const bit = (this.h1 + k * this.h2) & mask;
      b[bit >>> 5] = (b[bit >>> 5] as number) | (1 << (bit & 31));
    }
  }

  isRecent(ts: number, now: number): boolean {
    return ts >= now - this.horizonMs && ts >= this.floor;
  }

  /** True when the id is known: claimed recently (under any event time) or pending. */
  has(site: string, id: string): boolean {
    const gs = this.gens.get(site);
    if (gs) {
      this.hash(id);
      for (let i = gs.length - 1; i >= 0; i--) {
        const g = gs[i] as Gen;
        if (this.maybeIn(g) && g.ids.has(id)) return true;
      }
    }
    return this.pendingOldCount > 0 && (this.pendingOld.get(site)?.has(id) ?? false);
  }

  /**
   * Claims an accepted id before its insert: kept in memory when recent (the ticket then
   * holds its generation until `release`), else kept until `commit`.
   */
  claim(site: string, id: string, ts: number, now: number, ticket: ClaimTicket): void {
    if (this.isRecent(ts, now)) {
      const g = this.add(site, id, ts, now);
      if (ticket.gens[ticket.gens.length - 1] !== g && !ticket.gens.includes(g)) {
        ticket.gens.push(g);
        g.pending++;
      }
      return;
    }
    let s = this.pendingOld.get(site);
    if (!s) this.pendingOld.set(site, (s = new Set()));
    if (!s.has(id)) {
      s.add(id);
      this.pendingOldCount++;
    }
  }

  /** The batch's insert settled (committed or failed): its generations may be dropped. */
  release(ticket: ClaimTicket): void {
    for (const g of ticket.gens) g.pending--;
    ticket.gens.length = 0;
  }

  /** Whether any old id is waiting for its commit (lets the caller skip the commit loop). */
  get hasPendingOld(): boolean {
    return this.pendingOldCount > 0;
  }

  /** The insert committed: an old id is stored now, so the ranged query covers it. */
  commit(site: string, id: string): void {
    if (this.pendingOld.get(site)?.delete(id)) this.pendingOldCount--;
  }

  /** The insert failed: the id was never stored, so a resend must be accepted. */
  abort(site: string, id: string): void {
    this.commit(site, id);
    const gs = this.gens.get(site);
    if (gs) for (const g of gs) if (g.ids.delete(id)) this.total--;
  }

  /** Adds a stored id (start-up), outside any batch. */
  remember(site: string, id: string, ts: number, now: number): void {
    this.add(site, id, ts, now);
  }

  private add(site: string, id: string, ts: number, now: number): Gen {
    let gs = this.gens.get(site);
    if (!gs) this.gens.set(site, (gs = []));
    let g = gs[gs.length - 1];
    if (!g || g.ids.size >= this.maxIds / 3 || now - g.opened >= this.genMs) {
      g = { ids: new Set(), bloom: new Uint32Array(this.bloomBits >>> 5), maxTs: -Infinity, opened: now, pending: 0 };
      gs.push(g);
    }
    const before = g.ids.size;
    g.ids.add(id);
    if (g.ids.size !== before) {
      this.total++;
      this.hash(id);
      this.mark(g);
    }
    if (ts > g.maxTs) g.maxTs = ts;
    return g;
  }

  /**
   * Drops generations past the horizon and the margin, then the oldest settled ones while
   * more than the budget is held, raising the floor above what they held. Called between
   * batches (never while one is being claimed).
   */
  maintain(now: number): void {
    const expired = now - this.horizonMs - this.marginMs;
    for (const gs of this.gens.values()) {
      for (let i = 0; i < gs.length - 1; i++) {
        const g = gs[i] as Gen;
        if (g.maxTs < expired && g.pending === 0) this.drop(gs, i--, false);
      }
    }
    while (this.total > this.maxIds) {
      let oldest: { gs: Gen[]; i: number } | null = null;
      for (const gs of this.gens.values()) {
        for (let i = 0; i < gs.length; i++) {
          const g = gs[i] as Gen;
          if (g.pending > 0) continue;
          if (!oldest || g.opened < (oldest.gs[oldest.i] as Gen).opened) oldest = { gs, i };
          break;
        }
      }
      if (!oldest) return;
      this.drop(oldest.gs, oldest.i, true);
    }
  }

  private drop(gs: Gen[], i: number, raiseFloor: boolean): void {
    const g = gs[i] as Gen;
    gs.splice(i, 1);
    this.total -= g.ids.size;
    if (raiseFloor && g.maxTs + 1 > this.floor) {
      this.floor = g.maxTs + 1;
      this.epoch++;
    }
  }

  size(): number {
    return this.total;
  }

  /** Event time below which events are looked up in the store rather than in memory. */
  storeBelow(now: number): number {
    return Math.max(now - this.horizonMs, this.floor);
  }
}
