// Dedupe of event ids per site. Ids of recent events (event time within `horizonMs` of
// now) are kept in memory from the moment they are accepted; ids of older events are kept
// only until their insert commits, after which the caller's ranged query over the stored
// events finds them (one query per batch), so memory stays bounded while a resend of any
// age is still caught.
//
// Hot path: one Set look-up per 10-minute bucket (3-4 per site) for a new id and one add — claiming at accept
// time (not at commit) spares a pending set's add and delete per event.
export class DedupeIndex {
  /** site -> 10-minute bucket -> ids. Buckets let old ids be dropped in O(1). */
  private readonly recent = new Map<string, Map<number, Set<string>>>();
  /** site -> the same sets as an array, for the hot look-up. */
  private readonly sets = new Map<string, Set<string>[]>();
  /** site -> ids of old events accepted but not yet committed. */
  private readonly pendingOld = new Map<string, Set<string>>();
  private pendingOldCount = 0;

  /**
   * @param horizonMs ids of events newer than this stay in memory
   * @param marginMs buckets are dropped this long after they leave the horizon, so an id
   *   claimed at the horizon's edge is still known while its insert runs
   */
  constructor(readonly horizonMs: number, readonly marginMs = 10 * 60_000) {}

  isRecent(ts: number, now: number): boolean {
    return ts >= now - this.horizonMs;
  }

  /** True when the id is known: claimed recently (under any event time) or pending. */
  has(site: string, id: string): boolean {
    const buckets = this.recent.get(site);
    if (buckets) {
      // An array of the site's sets (kept beside the map): no iterator per look-up.
      const sets = this.sets.get(site) as Set<string>[];
      for (let i = 0; i < sets.length; i++) if ((sets[i] as Set<string>).has(id)) return true;
    }
    return this.pendingOldCount > 0 && (this.pendingOld.get(site)?.has(id) ?? false);
  }

  /** Claims an accepted id before its insert: kept by time when recent, else until commit. */
  claim(site: string, id: string, ts: number, now: number): void {
    if (this.isRecent(ts, now)) {
      this.remember(site, id, ts);
      return;
    }
    let s = this.pendingOld.get(site);
    if (!s) this.pendingOld.set(site, (s = new Set()));
    if (!s.has(id)) {
      s.add(id);
      this.pendingOldCount++;
    }
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
  abort(site: string, id: string, ts: number): void {
    this.commit(site, id);
    this.recent.get(site)?.get(bucket(ts))?.delete(id);
  }

  remember(site: string, id: string, ts: number): void {
    let buckets = this.recent.get(site);
    if (!buckets) this.recent.set(site, (buckets = new Map()));
    const b = bucket(ts);
    let ids = buckets.get(b);
    if (!ids) {
      buckets.set(b, (ids = new Set()));
      this.sets.set(site, [...buckets.values()]);
    }
    ids.add(id);
  }

  /** Drops buckets wholly older than the horizon (plus the margin). */
  evict(now: number): void {
    const oldest = bucket(now - this.horizonMs - this.marginMs);
    for (const [site, buckets] of this.recent) {
      for (const b of buckets.keys()) if (b < oldest) buckets.delete(b);
      this.sets.set(site, [...buckets.values()]);
    }
  }

  size(): number {
    let n = 0;
    for (const buckets of this.recent.values()) for (const ids of buckets.values()) n += ids.size;
    return n;
  }
}

const BUCKET_MS = 10 * 60_000;
function bucket(ts: number): number {
  return Math.floor(ts / BUCKET_MS);
}
