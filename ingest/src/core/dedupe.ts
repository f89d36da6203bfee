// Dedupe of event ids per site, in three parts:
// - pending: the exact ids of accepted events whose insert has not settled. A resend of one
//   is certainly a duplicate. They are kept as each batch's list (its claim ticket), not in
//   a set: only an id the filters may know is ever asked about (a resend, a repeat within a
//   batch, an old event), so the set of all pending ids is built when one is and kept until a
//   batch settles. Adding every id to a set and deleting it at commit was ~4% of the
//   server's CPU at 100k events/s.
// - seen: Bloom filters over the ids of recent stored events (event time within `horizonMs`
//   of now, and not below the floor). An id they do not know was never stored recently: the
//   common case costs one hash and a few bit reads, all in one 64-byte block of the filter
//   (one cache miss instead of one per probe: the filters of a busy site are megabytes). An
//   id they may know ("maybe": a resend, or a false positive: ~3e-7 per full generation,
//   2.2e-6 measured over a busy site's generations holding 1.5M ids) is looked up in the
//   store by the caller.
// - events older than memory covers are always looked up in the store.
// So no id string is kept once its insert commits: ~8-13 B per id instead of ~60 B of heap that
// every full GC had to walk, and a resend of any age is still caught exactly.
//
// The filters live in generations: one per site takes new ids for up to `genMs` or until
// it holds its capacity, then the next. A generation's filter is sized for its capacity,
// which starts at 4,096 ids (32 KB) and grows eightfold while generations fill up, to a
// third of the budget: a quiet site keeps a few small filters, a busy one three or four
// large ones (a fresh id is probed in every generation, one cache miss each: doubling made
// nine for a busy site, and maybeSeen was ~5% of the main thread at 100k events/s).
// Generations past the horizon and a margin are dropped, and
// past `maxIds` the oldest settled one goes and the floor rises above its newest event
// time, so those events are looked up in the store from then on. A generation is never
// dropped while a batch that claimed into it is still being inserted.

interface Gen {
  /**
   * Blocked Bloom filter over the ids claimed into this generation (bits are only ever set):
   * an id's probes all fall in one block of BLOCK_WORDS words.
   */
  readonly bloom: Uint32Array;
  /** Block index mask of the filter (its number of blocks is a power of two). */
  readonly mask: number;
  /** Ids it takes before the next generation opens (its filter is sized for them). */
  readonly cap: number;
  count: number;
  /** Newest event time of an id in this generation. */
  maxTs: number;
  /** Wall time it started taking ids. */
  readonly opened: number;
  /** Claims whose insert has not settled yet (committed or failed): not droppable before. */
  pending: number;
}

/** A batch's claims: its ids (pending until settle) and the generations they went to. */
export interface ClaimTicket {
  gens: Gen[];
  sites: string[];
  ids: string[];
}

export function newClaimTicket(): ClaimTicket {
  return { gens: [], sites: [], ids: [] };
}

/** Ids a batch is asking the store about; commits of them meanwhile are noted in `raced`. */
export interface Watch {
  readonly site: Map<string, Set<string>>;
  /** `site \0 id` of watched ids committed by another batch while the store was asked. */
  readonly raced: Set<string>;
}

export interface DedupeOptions {
  /** Budget of ids covered in memory (default 2,000,000: at most ~16-24 MB of filters). */
  maxIds?: number;
  /** A generation takes new ids for at most this long (default 5 min). */
  genMs?: number;
  /** Generations are dropped this long after they leave the horizon (default 10 min). */
  marginMs?: number;
}

/**
 * Bits per id of a generation's capacity, probes, and the block (16 words, 512 bits, one
 * cache line) they fall in: ~3e-7 false positives when full (a plain filter of the same
 * size: ~1e-7), summed over the Poisson spread of ids per block. Measured at 100k events/s:
 * the plain filter's seven scattered probes per claim were ~2% of the server's CPU.
 */
const BITS_PER_ID = 64;
const PROBES = 7;
const BLOCK_WORDS = 16;
/** The smallest generation's capacity (a 32 KB filter). */
const MIN_CAP = 4096;

export class DedupeIndex {
  /** site -> generations, oldest first; the last takes new ids. */
  private readonly gens = new Map<string, Gen[]>();
  /** Tickets of batches with claims whose insert has not settled. */
  private readonly live = new Set<ClaimTicket>();
  /** site -> the ids of the live tickets, built when asked; dropped when a ticket settles. */
  private index: Map<string, Set<string>> | null = null;
  private readonly watches = new Set<Watch>();
  private total = 0;
  /** Events older than this are looked up in the store (raised when the budget drops ids). */
  private floor = -Infinity;
  readonly maxIds: number;
  private readonly genMs: number;
  private readonly marginMs: number;
  /** The largest generation's capacity. */
  private readonly maxCap: number;
  /** Hashes of the id last hashed, so claim() right after maybeSeen() does not hash again. */
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
    this.maxCap = Math.max(1, Math.ceil(this.maxIds / 3));
  }

  /** Whether memory covers events at `ts` (else the store must be asked about them). */
  isRecent(ts: number, now: number): boolean {
    return ts >= now - this.horizonMs && ts >= this.floor;
  }

  /** Claimed and not yet settled: certainly a duplicate. */
  pending(site: string, id: string): boolean {
    if (!this.index) {
      this.index = new Map();
      for (const t of this.live) for (let i = 0; i < t.ids.length; i++) this.indexAdd(t.sites[i] as string, t.ids[i] as string);
    }
    return this.index.get(site)?.has(id) ?? false;
  }

  private indexAdd(site: string, id: string): void {
    const idx = this.index as Map<string, Set<string>>;
    let p = idx.get(site);
    if (!p) idx.set(site, (p = new Set()));
    p.add(id);
  }

  /** A generation's filter may know the id: the store must say whether it was stored. */
  maybeSeen(site: string, id: string): boolean {
    const gs = this.gens.get(site);
    if (!gs) return false;
    this.hash(id);
    for (let i = gs.length - 1; i >= 0; i--) if (this.maybeIn(gs[i] as Gen)) return true;
    return false;
  }

  /** Claims an accepted id before its insert: pending until its ticket settles, and remembered if recent. */
  claim(site: string, id: string, ts: number, now: number, ticket: ClaimTicket): void {
    if (ticket.ids.length === 0) this.live.add(ticket);
    ticket.sites.push(site);
    ticket.ids.push(id);
    // A built index stays exact: claims add to it, only a settle drops it.
    if (this.index) this.indexAdd(site, id);
    if (!this.isRecent(ts, now)) return;
    const g = this.add(site, id, ts, now);
    if (ticket.gens[ticket.gens.length - 1] !== g && !ticket.gens.includes(g)) {
      ticket.gens.push(g);
      g.pending++;
    }
  }

  /**
   * Claims a recent id the filters did not know at the caller's last check (maybeSeen false,
   * nothing awaited since), unless this batch claimed it already: returns false for such a
   * repeat. Only the batch's own claims can have made it known since, and they marked the
   * generations in its ticket, so the exact pending set is read only when those filters
   * know the id (a repeat, or a rare false positive): it was ~2% of the server's CPU at
   * 100k events/s when read for every id.
   */
  claimFresh(site: string, id: string, ts: number, now: number, ticket: ClaimTicket): boolean {
    if (ticket.gens.length) {
      this.hash(id);
      for (const g of ticket.gens) if (this.maybeIn(g) && this.pending(site, id)) return false;
    }
    this.claim(site, id, ts, now, ticket);
    return true;
  }

  /**
   * The batch's insert settled: its ids are no longer pending and its generations may be
   * dropped. Committed: the ids are stored (the filters or the store look-up find them), and
   * a batch asking the store about one of them meanwhile is told (its watch). Failed: they
   * were never stored, so a resend must be accepted.
   */
  settle(ticket: ClaimTicket, committed: boolean): void {
    for (const g of ticket.gens) g.pending--;
    ticket.gens.length = 0;
    if (!this.live.delete(ticket)) return;
    this.index = null;
    if (committed && this.watches.size) {
      for (let i = 0; i < ticket.ids.length; i++) {
        const site = ticket.sites[i] as string;
        const id = ticket.ids[i] as string;
        for (const w of this.watches) if (w.site.get(site)?.has(id)) w.raced.add(`${site}\u0000${id}`);
      }
    }
    ticket.sites.length = 0;
    ticket.ids.length = 0;
  }

  /** Starts noting commits of these ids while the caller asks the store about them. */
  watch(w: Watch | null, events: readonly { site: string; id: string }[]): Watch {
    const out = w ?? { site: new Map<string, Set<string>>(), raced: new Set<string>() };
    for (const ev of events) {
      let s = out.site.get(ev.site);
      if (!s) out.site.set(ev.site, (s = new Set()));
      s.add(ev.id);
    }
    this.watches.add(out);
    return out;
  }

  unwatch(w: Watch): void {
    this.watches.delete(w);
  }

  /** Adds a stored id (start-up), outside any batch. */
  remember(site: string, id: string, ts: number, now: number): void {
    this.add(site, id, ts, now);
  }

  private add(site: string, id: string, ts: number, now: number): Gen {
    let gs = this.gens.get(site);
    if (!gs) this.gens.set(site, (gs = []));
    let g = gs[gs.length - 1];
    if (!g || g.count >= g.cap || now - g.opened >= this.genMs) {
      // Eight times the last generation's capacity when it filled up, else twice what it
      // took (a quiet site's generations close on time, part full), within the bounds.
      const next = !g ? 0 : g.count >= g.cap ? 8 * g.cap : 2 * g.count;
      const cap = Math.min(this.maxCap, Math.max(MIN_CAP, next));
      const blocks = 2 ** Math.max(1, Math.ceil(Math.log2((cap * BITS_PER_ID) / (32 * BLOCK_WORDS))));
      g = { bloom: new Uint32Array(blocks * BLOCK_WORDS), mask: blocks - 1, cap, count: 0, maxTs: -Infinity, opened: now, pending: 0 };
      gs.push(g);
    }
    this.hash(id);
    this.mark(g);
    g.count++;
    this.total++;
    if (ts > g.maxTs) g.maxTs = ts;
    return g;
  }

  /**
   * Two independent 32-bit hashes of the id, computed in one pass: FNV-1a (h1, picks the
   * block) and MurmurHash3's per-character mixing (h2, picks the bits), each through
   * MurmurHash3's finaliser.
   * Both used to come from one FNV-1a value, so two ids with the same 32-bit hash matched
   * everywhere: with n ids held a fresh id was a false positive with odds n / 2^32, 3.4e-4
   * at 1.5M ids, which sent ~30% of 1,000-event batches to the store.
   */
  private hash(id: string): void {
    if (id === this.hId) return;
    let h = 0x811c9dc5;
    let m = 0x9747b28c;
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      h = Math.imul(h ^ c, 0x01000193);
      let k = Math.imul(c, 0xcc9e2d51);
      k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
      m ^= k;
      m = (Math.imul((m << 13) | (m >>> 19), 5) + 0xe6546b64) | 0;
    }
    m ^= id.length;
    m = Math.imul(m ^ (m >>> 16), 0x85ebca6b);
    m = Math.imul(m ^ (m >>> 13), 0xc2b2ae35);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    this.hId = id;
    this.h1 = (h ^ (h >>> 16)) >>> 0;
    this.h2 = (m ^ (m >>> 16)) | 1;
  }

  private maybeIn(g: Gen): boolean {
    return this.probe(g, false);
  }

  private mark(g: Gen): void {
    this.probe(g, true);
  }

  /**
   * The id's PROBES bits in its block of `g` (hashed last): each is the top 9 bits of the
   * next step of a multiplicative sequence seeded by h2, one of the block's 512 bits drawn
   * from all 32 bits of h2. Sets them (`set`), or says whether all are set.
   */
  private probe(g: Gen, set: boolean): boolean {
    const b = g.bloom;
    const base = (this.h1 & g.mask) * BLOCK_WORDS;
    let x = this.h2;
    for (let k = 0; k < PROBES; k++) {
      x = Math.imul(x, 0x9e3779b1);
      const bit = x >>> 23;
      const w = base + (bit >>> 5);
      const m = 1 << (bit & 31);
      if (set) b[w] = (b[w] as number) | m;
      else if (((b[w] as number) & m) === 0) return false;
    }
    return true;
  }

  /**
   * Drops generations past the horizon and the margin, then the oldest settled ones while
   * more than the budget is covered, raising the floor above what they held. Called between
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
    this.total -= g.count;
    if (raiseFloor && g.maxTs + 1 > this.floor) this.floor = g.maxTs + 1;
  }

  /** Ids covered by the filters. */
  size(): number {
    return this.total;
  }

  /** Bytes of the generations' filters. */
  filterBytes(): number {
    let n = 0;
    for (const gs of this.gens.values()) for (const g of gs) n += g.bloom.byteLength;
    return n;
  }

  /** Ids claimed whose insert has not settled. */
  pendingCount(): number {
    let n = 0;
    for (const t of this.live) n += t.ids.length;
    return n;
  }

  /** Event time below which events are looked up in the store rather than in memory. */
  storeBelow(now: number): number {
    return Math.max(now - this.horizonMs, this.floor);
  }
}
