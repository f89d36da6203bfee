// What the board shows of service quality: open work orders by state and time left, the
// counts near their limit, today's figures against their targets (each with formula and
// counts for explain-on-hover), and the active incidents for the banner.
import type { AlertLevelName } from '../site-config.js';
import type { Explain } from '../snapshot.js';
import type { TicketState, TicketWarningKind } from './tickets.js';

export interface QualityFigure {
  value: number | null;
  target: number;
  /** "min": the figure should be at or above its target; "max": at or below. */
  goal: 'min' | 'max';
  explain: Explain;
}

export interface OrderLive {
  ticket: string;
  category: string;
  class: string;
  state: Exclude<TicketState, 'closed'>;
  department: string;
  /** The due time (ISO-8601 with milliseconds): the board counts time left down from it (ordersAt). */
  due: string;
  /**
   * Seconds to the due time at the message's `at`, whole minutes (negative when overdue).
   * Kept for other readers; a delta does not resend the block when only this moved.
   */
  time_left_s: number;
  warning: TicketWarningKind | null;
}

export interface IncidentLive {
  id: string;
  title: string;
  users_affected: number;
  services: string[];
  kind: 'sudden' | 'planned';
  level: AlertLevelName;
  start: string;
  bulletin: string | null;
  bulletin_due: string;
  bulletin_on_time: boolean | null;
}

export interface QualityLive {
  open: Record<Exclude<TicketState, 'closed'>, number>;
  open_total: number;
  /** Open orders not yet overdue with a timer run out (sign, reply, extension) or within near_limit_s of their due time. */
  near_limit: number;
  overdue: number;
  /** The open orders nearest their limit first (at most 12): by due time, then id. */
  orders: OrderLive[];
  today: {
    on_time: QualityFigure;
    follow_up: QualityFigure;
    repeat: QualityFigure;
    satisfaction: QualityFigure;
    mean_score: number | null;
    fcr: QualityFigure;
  };
  incidents: IncidentLive[];
  /** The FCR and repeat windows the figures use (days), for their explanations. */
  fcr_days: number;
  repeat_days: number;
}

/** The block's counts: they move as orders pass their limits, so a delta may carry them alone. */
export type QualityCounts = Pick<QualityLive, 'open' | 'open_total' | 'near_limit' | 'overdue'>;

/** Seconds from `now` (ms) to `due` in whole minutes, rounded down (negative when overdue). */
export function timeLeftS(due: number, now: number): number {
  return Math.floor((due - now) / 60_000) * 60;
}

/**
 * The orders with their time left at instant `now` (ms), counted from each due time. Their
 * order (due time, then id) does not move with the clock. The same array when nothing moved.
 */
export function ordersAt(orders: readonly OrderLive[], now: number): readonly OrderLive[] {
  let moved = false;
  const out = orders.map((o) => {
    const left = timeLeftS(Date.parse(o.due), now);
    if (left === o.time_left_s) return o;
    moved = true;
    return { ...o, time_left_s: left };
  });
  return moved ? out : orders;
}
