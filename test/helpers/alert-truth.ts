// Whether an active alert of the demo site states something that holds in a live snapshot:
// the first-run test (a real `npm run demo`) and the in-process demo test judge alerts alike.
import type { AlertView, LiveSnapshot } from '../../ingest/src/core/snapshot.js';

/** An alert whose condition just ended stays until its clear-down (60 s; 120 s for the demo's overflow rule) ends. */
export const CLEAR_SLACK_MS = 130_000;

/**
 * Whether the condition `a` states holds in `s`. A grouped alert (the board feed's "N agents
 * out of adherence", core/alerts/group.ts) holds when at least N agents or teams each meet
 * its kind's condition.
 */
export function holds(a: AlertView, s: LiveSnapshot): boolean {
  if (a.group) {
    const met =
      a.kind === 'conformance' || a.kind === 'attendance'
        ? s.teams.filter((t) => holds({ ...a, group: undefined, agent: null, team: t.team }, s))
        : s.agents.filter((x) => holds({ ...a, group: undefined, agent: x.agent }, s));
    return met.length >= a.group.count;
  }
  switch (a.kind) {
    case 'adherence':
      // The demo tolerates 5 min out (DEMO_SITE_SETTINGS).
      return s.agents.some(
        (x) => x.agent === a.agent && x.adherence === 'out' && x.out_of_adherence_s >= 300,
      );
    case 'conformance':
      return s.teams.some(
        (t) => t.team === a.team && t.conformance !== null && t.conformance < 0.92,
      );
    case 'attendance': {
      if (a.team !== null)
        return s.teams.some(
          (t) => t.team === a.team && t.attendance !== null && t.attendance < 0.95,
        );
      const n = s.teams.reduce((x, t) => x + t.attendance_explain.numerator, 0);
      const d = s.teams.reduce((x, t) => x + t.attendance_explain.denominator, 0);
      return d > 0 && n / d < 0.95;
    }
    case 'sl_below_target':
      return s.queues.some(
        (q) =>
          q.queue === a.queue &&
          q.interval.service_level !== null &&
          q.interval.service_level < q.target,
      );
    case 'overflow':
      // The demo's rule: billing with 4+ waiting or a 30-s wait.
      return s.queues.some(
        (q) => q.queue === a.queue && (q.waiting >= 4 || q.longest_wait_s >= 30),
      );
    case 'ticket_unsigned':
    case 'ticket_reply_due':
    case 'ticket_late_extension':
    case 'ticket_overdue': {
      // The alert's key is the work order; the board lists the 12 open orders nearest their
      // limit, so an order past them is taken on the alert's word only when that list is full.
      const orders = s.quality?.orders ?? [];
      const ticket = a.id.split(':')[2];
      return (
        orders.some((o) => o.ticket === ticket && o.warning === a.kind) ||
        (orders.length >= 12 && !orders.some((o) => o.ticket === ticket))
      );
    }
    case 'ghost_agent':
      return s.agents.some((x) => x.agent === a.agent && x.stale && x.state !== 'logged_out');
    default:
      // A stale feed or anything else on a healthy demo is false by definition.
      return false;
  }
}
