// The event-time windows a restart replay reads, one page at a time. A page is a window's
// events after a cursor: the primary key (site, ts) limits each read to its window's
// granules, where one cursor over the rest of the day made every page read and sort all the
// day after it. The window adapts to the density of the day: halved when it took more than
// one page (a burst), doubled when a page came back mostly empty (a quiet night), so a page
// stays near the page size without knowing the day's shape beforehand.
import type { ReplayCursor, ReplayRow } from '../../../queries/runtime.js';

export const FIRST_SPAN_MS = 60_000;
export const MIN_SPAN_MS = 1_000;
export const MAX_SPAN_MS = 6 * 3_600_000;

export interface ReplayWindow {
  lo: number;
  hi: number;
  /** The last row of this window's previous page; null for its first page. */
  after: ReplayCursor | null;
}

export class ReplayWindows {
  private span = FIRST_SPAN_MS;

  constructor(
    private readonly from: number,
    private readonly to: number,
    private readonly pageRows: number,
  ) {}

  /** The first window, or null when the range is empty. */
  first(): ReplayWindow | null {
    return this.from < this.to ? this.window(this.from) : null;
  }

  /** What to read after `w` returned `rows`: more of the same window, the next one, or null. */
  after(w: ReplayWindow, rows: readonly ReplayRow[]): ReplayWindow | null {
    if (rows.length >= this.pageRows) {
      // A full page: the window holds more. Read on after its last row, and make the
      // windows after it smaller.
      this.span = Math.max(MIN_SPAN_MS, this.span / 2);
      const last = rows[rows.length - 1] as ReplayRow;
      return { ...w, after: { ts: last.ts, received: last.received, id: last.id } };
    }
    if (w.after === null && rows.length < this.pageRows / 4)
      this.span = Math.min(MAX_SPAN_MS, this.span * 2);
    return w.hi < this.to ? this.window(w.hi) : null;
  }

  private window(lo: number): ReplayWindow {
    return { lo, hi: Math.min(this.to, lo + this.span), after: null };
  }
}
