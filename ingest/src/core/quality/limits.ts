// A work order's time limit (工单时限): the rule that applies to its class, customer class and
// category, and the due time it gives. Working days skip Saturday and Sunday in the site's zone
// and keep the local time of day. The SQL reports compute the same (queries/reports/quality-*.sql).
import { DateTime } from 'luxon';
import type { LimitRule, QualityConfig } from './config.js';

export interface TicketKeys {
  class: string;
  customer_class: string;
  category: string;
}

const specificity = (r: LimitRule): number =>
  (r.class ? 1 : 0) + (r.customer_class ? 1 : 0) + (r.category ? 1 : 0);

function matches(r: LimitRule, t: TicketKeys): boolean {
  return (
    (!r.class || r.class === t.class) &&
    (!r.customer_class || r.customer_class === t.customer_class) &&
    (!r.category || r.category === t.category)
  );
}

/** `start` plus `n` working days (Mon-Fri), same local time of day, in `zone`. */
export function addWorkingDays(start: number, n: number, zone: string): number {
  let d = DateTime.fromMillis(start, { zone });
  let left = n;
  while (left > 0) {
    d = d.plus({ days: 1 });
    if (d.weekday <= 5) left--;
  }
  return d.toMillis();
}

/** The due time of an order created at `created`: most specific matching rule, ties take the earliest due. */
export function dueTime(created: number, t: TicketKeys, q: QualityConfig, zone: string): number {
  let best = -1;
  let due = Infinity;
  for (const r of q.limits) {
    if (!matches(r, t)) continue;
    const s = specificity(r);
    if (s < best) continue;
    const d = r.working_days
      ? addWorkingDays(created, r.working_days, zone)
      : created + Math.round((r.hours ?? q.default_limit_h) * 3_600_000);
    if (s > best) {
      best = s;
      due = d;
    } else due = Math.min(due, d);
  }
  return Number.isFinite(due) ? due : created + Math.round(q.default_limit_h * 3_600_000);
}

/** Limit rules as parallel arrays for the SQL reports ('' and 0 = not set). */
export function limitParams(q: QualityConfig): Record<string, unknown> {
  return {
    r_class: q.limits.map((r) => r.class ?? ''),
    r_cust: q.limits.map((r) => r.customer_class ?? ''),
    r_cat: q.limits.map((r) => r.category ?? ''),
    r_hours: q.limits.map((r) => (r.working_days ? 0 : (r.hours ?? q.default_limit_h))),
    r_wdays: q.limits.map((r) => r.working_days ?? 0),
    def_hours: q.default_limit_h,
  };
}
