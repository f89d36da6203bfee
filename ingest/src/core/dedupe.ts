// Dedupe of event ids per site. An id is stored at most once per site, whatever its ts.
//
// Memory holds, per site, one map of the ids it knows:
// - pending: claimed by batches whose insert has not settled. A claim is synchronous (before
//   any store look-up), so two batches can never both take one id;
// - committed: with the bucket they were committed in. Buckets group ids by commit time; those
//   older than `windowMs`, and the oldest past the `maxIds` budget, are dropped with their ids;
// - floorTs: the newest event time of any stored id that memory no longer holds (or never
//   loaded). So a stored id that memory does not know has ts <= floorTs, and an event at or
//   below it must be looked up in the store (by id alone, any ts).
// A resend with the same ts is therefore always caught; one with a changed ts is caught while
// memory holds the first copy, or when its new ts is at or below the floor (only the new copy's
// ts is known when it arrives).
// One map, not a pending set beside a set per bucket: a new id costs a fixed handful of
// look-ups in one table instead of one more per bucket (bench/kept.md).

export type Claim = 'duplicate' | 'claimed' | 'ask';

/** The map's value of a claimed id whose insert has not settled. */
const PENDING = -1;

interface Bucket {
  /** Its number in the map's values. */
  readonly n: number;
  readonly opened: number;
  readonly ids: string[];
  /** Newest event time of the ids in it. */
  maxTs: number;
}

interface SiteIds {
  /** Every id memory holds: PENDING, or the number of the bucket it was committed in. */
  readonly ids: Map<string, number>;
  /** Oldest first; the last takes new ids. */
  readonly buckets: Bucket[];
  floorTs: number;
}

export interface DedupeOptions {
  /** How long a committed id stays in memory (wall time). */
  windowMs: number;
  /** Ids held in memory, all sites together. */
  maxIds: number;
  /** floorTs of a site memory has not seen yet (what a restart could not load). */
  initialFloorTs: number;
}

/** Buckets per window: ids are dropped a quarter of the window at a time. */
const BUCKETS = 4;

export class Dedupe {
  private readonly sites = new Map<string, SiteIds>();
  private held = 0;
  private pending = 0;
  private nextBucket = 0;

  constructor(private readonly o: DedupeOptions) {}

  private site(site: string): SiteIds {
    let s = this.sites.get(site);
    if (!s)
      this.sites.set(site, (s = { ids: new Map(), buckets: [], floorTs: this.o.initialFloorTs }));
    return s;
  }

  /**
   * Claims an id for a batch: a duplicate if memory knows it (pending or committed); else it
   * is pending from now on, and 'ask' says the store must confirm it was never stored.
   */
  claim(site: string, id: string, ts: number): Claim {
    const s = this.site(site);
    if (s.ids.get(id) !== undefined) return 'duplicate';
    s.ids.set(id, PENDING);
    this.pending++;
    return ts <= s.floorTs ? 'ask' : 'claimed';
  }

  /** Takes back a claim: the store already had the id, or the insert failed. */
  release(site: string, id: string): void {
    const ids = this.sites.get(site)?.ids;
    if (ids?.get(id) !== PENDING) return;
    ids.delete(id);
    this.pending--;
  }

  /** The claimed events were stored: their ids move from pending to the newest bucket. */
  commit(events: readonly { site: string; id: string; ts: number }[], now: number): void {
    for (const ev of events) {
      const s = this.site(ev.site);
      const v = s.ids.get(ev.id);
      // Already committed: it stays in its bucket (an id is in one bucket's list only).
      if (v !== undefined && v !== PENDING) continue;
      if (v === PENDING) this.pending--;
      this.remember(s, ev.id, ev.ts, now);
    }
  }

  /** Adds a stored id outside any batch (start-up). */
  load(site: string, id: string, ts: number, now: number): void {
    const s = this.site(site);
    if (s.ids.get(id) === undefined) this.remember(s, id, ts, now);
  }

  /** Sets a site's floor (start-up, when what it could load was cut short). */
  raiseFloor(site: string, ts: number): void {
    const s = this.site(site);
    if (ts > s.floorTs) s.floorTs = ts;
  }

  /** Records a committed id in the newest bucket (its map entry says which). */
  private remember(s: SiteIds, id: string, ts: number, now: number): void {
    let b = s.buckets[s.buckets.length - 1];
    if (
      !b ||
      now - b.opened >= this.o.windowMs / BUCKETS ||
      b.ids.length >= this.o.maxIds / BUCKETS
    ) {
      b = { n: this.nextBucket++, opened: now, ids: [], maxTs: -Infinity };
      s.buckets.push(b);
    }
    s.ids.set(id, b.n);
    b.ids.push(id);
    this.held++;
    if (ts > b.maxTs) b.maxTs = ts;
  }

  /** Drops buckets past the window, then the oldest while over the budget. */
  maintain(now: number): void {
    for (const s of this.sites.values()) {
      while (s.buckets.length && now - (s.buckets[0] as Bucket).opened > this.o.windowMs)
        this.dropOldest(s);
    }
    while (this.held > this.o.maxIds) {
      let oldest: SiteIds | null = null;
      for (const s of this.sites.values()) {
        const b = s.buckets[0];
        if (b && (!oldest || b.opened < (oldest.buckets[0] as Bucket).opened)) oldest = s;
      }
      if (!oldest) return;
      this.dropOldest(oldest);
    }
  }

  private dropOldest(s: SiteIds): void {
    const b = s.buckets.shift() as Bucket;
    // Each committed id is in one bucket's list only, and its entry says that bucket.
    for (const id of b.ids) s.ids.delete(id);
    this.held -= b.ids.length;
    if (b.maxTs > s.floorTs) s.floorTs = b.maxTs;
  }

  /** For /metrics: ids held, ids pending, and the event time below which the store is asked. */
  stats(): { ids: number; pending: number; floorTs: number } {
    let floorTs = this.o.initialFloorTs;
    for (const s of this.sites.values()) if (s.floorTs > floorTs) floorTs = s.floorTs;
    return { ids: this.held, pending: this.pending, floorTs };
  }
}
