// Dedupe of event ids per site. Ids of recent events (event time within `horizonMs` of
// now) and of rows still being inserted are kept in memory; an older event is checked
// against the stored events by the caller (one ranged query per batch), so memory stays
// bounded while a resend of any age is still caught.
export class DedupeIndex {
  /** site -> hour bucket -> ids. Buckets let old ids be dropped in O(1). */
  private readonly recent = new Map<string, Map<number, Set<string>>>();
  /** site -> ids in batches not yet committed (any event time). */
  private readonly pending = new Map<string, Set<string>>();

  constructor(readonly horizonMs: number) {}

  isRecent(ts: number, now: number): boolean {
    return ts >= now - this.horizonMs;
  }

  has(site: string, id: string, ts: number): boolean {
    if (this.pending.get(site)?.has(id)) return true;
    return this.recent.get(site)?.get(bucket(ts))?.has(id) ?? false;
  }

  /** True when the id is already known anywhere in memory (pending or any recent bucket). */
  hasAnyTime(site: string, id: string): boolean {
    if (this.pending.get(site)?.has(id)) return true;
    const buckets = this.recent.get(site);
    if (!buckets) return false;
    for (const ids of buckets.values()) if (ids.has(id)) return true;
    return false;
  }

  markPending(site: string, id: string): void {
    let s = this.pending.get(site);
    if (!s) this.pending.set(site, (s = new Set()));
    s.add(id);
  }

  /** The insert committed: recent ids move to their buckets, old ones are forgotten (they are stored). */
  commit(site: string, id: string, ts: number, now: number): void {
    this.pending.get(site)?.delete(id);
    if (this.isRecent(ts, now)) this.remember(site, id, ts);
  }

  /** The insert failed: the ids were never stored, so a resend must be accepted. */
  abort(site: string, id: string): void {
    this.pending.get(site)?.delete(id);
  }

  remember(site: string, id: string, ts: number): void {
    let buckets = this.recent.get(site);
    if (!buckets) this.recent.set(site, (buckets = new Map()));
    const b = bucket(ts);
    let ids = buckets.get(b);
    if (!ids) buckets.set(b, (ids = new Set()));
    ids.add(id);
  }

  /** Drops buckets wholly older than the horizon. */
  evict(now: number): void {
    const oldest = bucket(now - this.horizonMs);
    for (const buckets of this.recent.values()) {
      for (const b of buckets.keys()) if (b < oldest) buckets.delete(b);
    }
  }

  size(): number {
    let n = 0;
    for (const buckets of this.recent.values()) for (const ids of buckets.values()) n += ids.size;
    return n;
  }
}

const HOUR = 3_600_000;
function bucket(ts: number): number {
  return Math.floor(ts / HOUR);
}
