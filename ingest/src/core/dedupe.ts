// Dedupe of event ids per site. An id is stored at most once per site, whatever its ts.
//
// Memory holds, per site:
// - pending: ids claimed by batches whose insert has not settled. A claim is synchronous
//   (before any store look-up), so two batches can never both take one id;
// - recent: ids of committed events, in sets bucketed by the time they were claimed. Buckets
//   older than `windowMs`, and the oldest past the `maxIds` budget, are dropped;
// - floorTs: the newest event time of any stored id that memory no longer holds (or never
//   loaded). So a stored id that memory does not know has ts <= floorTs, and an event at or
//   below it must be looked up in the store (by id alone, any ts).
// A resend with the same ts is therefore always caught; one with a changed ts is caught while
// memory holds the first copy, or when either ts is at or below the floor.

export type Claim = 'duplicate' | 'claimed' | 'ask';

interface Bucket {
  readonly opened: number;
  readonly ids: Set<string>;
  /** Newest event time of the ids in it. */
  maxTs: number;
}

interface SiteIds {
  readonly pending: Set<string>;
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

/** Buckets per window: few enough that a look-up is a handful of Set reads. */
const BUCKETS = 4;

export class Dedupe {
  private readonly sites = new Map<string, SiteIds>();
  private held = 0;

  constructor(private readonly o: DedupeOptions) {}

  private site(site: string): SiteIds {
    let s = this.sites.get(site);
    if (!s)
      this.sites.set(
        site,
        (s = { pending: new Set(), buckets: [], floorTs: this.o.initialFloorTs }),
      );
    return s;
  }

  /**
   * Claims an id for a batch: a duplicate if memory knows it (pending or committed); else it
   * is pending from now on, and 'ask' says the store must confirm it was never stored.
   */
  claim(site: string, id: string, ts: number): Claim {
    const s = this.site(site);
    if (s.pending.has(id)) return 'duplicate';
    for (const b of s.buckets) if (b.ids.has(id)) return 'duplicate';
    s.pending.add(id);
    return ts <= s.floorTs ? 'ask' : 'claimed';
  }

  /** Takes back a claim: the store already had the id, or the insert failed. */
  release(site: string, id: string): void {
    this.sites.get(site)?.pending.delete(id);
  }

  /** The claimed events were stored: their ids move from pending to the newest bucket. */
  commit(events: readonly { site: string; id: string; ts: number }[], now: number): void {
    for (const ev of events) {
      const s = this.site(ev.site);
      s.pending.delete(ev.id);
      this.remember(s, ev.id, ev.ts, now);
    }
  }

  /** Adds a stored id outside any batch (start-up). */
  load(site: string, id: string, ts: number, now: number): void {
    this.remember(this.site(site), id, ts, now);
  }

  /** Sets a site's floor (start-up, when what it could load was cut short). */
  raiseFloor(site: string, ts: number): void {
    const s = this.site(site);
    if (ts > s.floorTs) s.floorTs = ts;
  }

  private remember(s: SiteIds, id: string, ts: number, now: number): void {
    let b = s.buckets[s.buckets.length - 1];
    if (
      !b ||
      now - b.opened >= this.o.windowMs / BUCKETS ||
      b.ids.size >= this.o.maxIds / BUCKETS
    ) {
      b = { opened: now, ids: new Set(), maxTs: -Infinity };
      s.buckets.push(b);
    }
    if (b.ids.has(id)) return;
    b.ids.add(id);
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
    this.held -= b.ids.size;
    if (b.maxTs > s.floorTs) s.floorTs = b.maxTs;
  }

  /** For /metrics: ids held, ids pending, and the event time below which the store is asked. */
  stats(): { ids: number; pending: number; floorTs: number } {
    let pending = 0;
    let floorTs = this.o.initialFloorTs;
    for (const s of this.sites.values()) {
      pending += s.pending.size;
      if (s.floorTs > floorTs) floorTs = s.floorTs;
    }
    return { ids: this.held, pending, floorTs };
  }
}
