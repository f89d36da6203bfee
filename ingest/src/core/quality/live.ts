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
  due: string;
  /** Seconds to the due time, whole minutes (negative when overdue): the board re-renders once a minute, not every second. */
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
  /** The open orders nearest their limit first (at most 12). */
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
