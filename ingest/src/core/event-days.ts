// How many events of each site and UTC day are stored, as this process knows it: the
// freshness mark of the stored report facts (queries/index.ts, queries/workforce-facts.ts).
// A stored day records the count of the days it read, taken before its build; it is fresh
// exactly while that count is unchanged. Events are never deleted and a resent event is
// never stored twice, so the count only grows, and any insert touching those days changes it.
//
// Why a count kept here and not a timestamp or a table fed by the inserts: the writer adds
// an insert's events only after the insert returned, that is after the events and every
// row the materialized views derived from them are visible, and before it acknowledges them.
// So a build that read the count before it started sees every event counted, and an insert
// it did not see raises the count afterwards. A timestamp taken during an insert can be older
// than a build that misses it, and a table fed through a Buffer or a view can show an insert
// before its derived rows: both let a day be marked newer than what it was built from.
//
// The count starts from the stored events (seed), once per site, before anything is counted
// for it. Seeding while inserts run could count an insert twice (in the seed and again when
// it returns): the server seeds every site at start-up, before it takes events.

const DAY_MS = 86_400_000;

/** A UTC day as days since 1970-01-01. */
export const utcDayNumber = (ms: number): number => Math.floor(ms / DAY_MS);

type SeedRows = Iterable<{ site: string; day: number; n: number }>;

interface SiteDays {
  counts: Map<number, number>;
  seeded: boolean;
}

export class EventDayLedger {
  private readonly sites = new Map<string, SiteDays>();
  private seedAll = false;
  private readonly seeding = new Map<string, Promise<void>>();
  /** Bumped by forget(): a seed started before it is not used. */
  private epochValue = 0;

  /** Events of an insert that returned (events and derived rows visible), before they are acknowledged. */
  committed(events: Iterable<{ site: string; ts: number }>): void {
    for (const e of events) {
      const s = this.site(e.site);
      const d = utcDayNumber(e.ts);
      s.counts.set(d, (s.counts.get(d) ?? 0) + 1);
    }
  }

  /**
   * Events went in by a path that did not count them (a test's or a back-fill's direct
   * insert): every site is counted again from the stored events before its next use.
   */
  forget(): void {
    this.sites.clear();
    this.seeding.clear();
    this.seedAll = false;
    this.epochValue++;
  }

  /**
   * Counts the stored events of `site` (null: of every site) once, with `load` (rows per
   * site and UTC day number). Counts added before are dropped: those events are stored.
   */
  async seed(site: string | null, load: (site: string | null) => Promise<SeedRows>): Promise<void> {
    if (site === null ? this.seedAll : this.seedAll || this.sites.get(site)?.seeded) return;
    const key = site ?? '\u0000all';
    let p = this.seeding.get(key);
    if (!p) {
      const epoch = this.epochValue;
      if (site === null) this.sites.clear();
      else this.sites.set(site, { counts: new Map(), seeded: false });
      p = load(site)
        .then((rows) => {
          if (epoch !== this.epochValue) return;
          for (const r of rows) {
            const s = this.site(r.site);
            s.counts.set(r.day, (s.counts.get(r.day) ?? 0) + r.n);
          }
          if (site === null) {
            this.seedAll = true;
            for (const s of this.sites.values()) s.seeded = true;
          } else this.site(site).seeded = true;
        })
        .finally(() => this.seeding.delete(key));
      this.seeding.set(key, p);
    }
    await p;
    // forget() ran meanwhile: count again.
    if (site === null ? !this.seedAll : !(this.seedAll || this.sites.get(site)?.seeded))
      await this.seed(site, load);
  }

  /** Events stored for `site` on UTC days [fromDay, toDay] (day numbers). */
  count(site: string, fromDay: number, toDay: number): number {
    const s = this.sites.get(site);
    if (!s) return 0;
    let n = 0;
    if (toDay - fromDay + 1 <= s.counts.size) {
      for (let d = fromDay; d <= toDay; d++) n += s.counts.get(d) ?? 0;
    } else {
      for (const [d, c] of s.counts) if (d >= fromDay && d <= toDay) n += c;
    }
    return n;
  }

  private site(site: string): SiteDays {
    let s = this.sites.get(site);
    if (!s) {
      s = { counts: new Map(), seeded: this.seedAll };
      this.sites.set(site, s);
    }
    return s;
  }
}
