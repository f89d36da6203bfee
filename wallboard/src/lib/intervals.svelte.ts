// Today's per-interval figures for the charts: GET /api/reports/intervals (SQL over stored
// events), falling back to /api/live/intervals (the live engine, same shape and the same
// numbers by design) when the report route is unavailable. Refreshed every minute.
import { DateTime } from 'luxon';
import { getIntervals, type IntervalRow } from './api.js';

export class TodayIntervals {
  rows = $state.raw<IntervalRow[]>([]);
  error = $state('');

  constructor(readonly site: string) {}

  async load(day: string, zone: string, intervalMinutes: number): Promise<void> {
    if (!day) return;
    const to = DateTime.fromISO(day, { zone }).plus({ days: 1 }).toISODate() ?? day;
    try {
      this.rows = await getIntervals(this.site, day, to, intervalMinutes);
      this.error = '';
    } catch (e) {
      try {
        const res = await fetch(`/api/live/intervals?site=${encodeURIComponent(this.site)}`);
        if (!res.ok) throw new Error(`${res.status}`, { cause: e });
        this.rows = ((await res.json()) as { rows: IntervalRow[] }).rows;
        this.error = '';
      } catch {
        this.error = e instanceof Error ? e.message : String(e);
      }
    }
  }
}
