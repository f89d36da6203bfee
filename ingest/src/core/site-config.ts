// Site configuration: the shape PUT /api/sites/{site} takes, and its defaults.
// site-config-validate.ts checks a body against it and names every bad key.
import type { WorkStateConfig } from './workstate/config.js';
import type { StaffingConfig } from './staffing/config.js';
import type { QualityConfig } from './quality/config.js';
import type { BoardLayout } from './boards/layouts.js';
import type { MetricThresholds } from './display-thresholds.js';

export type SlVariant = 'default' | 'answered' | 'with_abandons' | 'live';

export interface QueueConfig {
  /** Service-level threshold T in seconds. */
  threshold_s: number;
  /** Target as a fraction, e.g. 0.8. */
  target: number;
  variant: SlVariant;
  /** Abandons with wait < this many seconds are short abandons. */
  short_abandon_s: number;
  /** Optional display name per language. */
  label?: string;
  label_zh?: string;
}

/** A team's display names (teams are keyed by the id agents log in with). */
export interface TeamLabel {
  label?: string;
  label_zh?: string;
}

export type ConditionMode = 'all' | 'any';
export type AlertLevelName = 'info' | 'yellow' | 'orange' | 'red';

export interface OverflowRule {
  id: string;
  queue: string;
  /** Each condition is optional; at least one must be set. */
  conditions: {
    waiting_gte?: number;
    longest_wait_gte_s?: number;
    rolling_sl_lt?: { window_min: number; below: number };
    waiting_no_ready?: boolean;
  };
  mode: ConditionMode;
  hold_down_s: number;
  clear_down_s: number;
  level: AlertLevelName;
  action: { kind: 'overflow'; to: string } | { kind: 'merge'; groups: string[]; into?: string };
  escalation?: { after_min: number; level: AlertLevelName };
  webhook?: { url: string; secret: string };
}

export interface AlertThresholds {
  /** Raise when the current interval's SL is below the queue target (after this many answered+abandoned calls). */
  sl_below_target: { enabled: boolean; min_calls: number; level: AlertLevelName };
  /** Continuous out-of-adherence time before an alert, seconds (design.md: 3 min). */
  adherence_out_s: number;
  /** Attendance below this at the check time raises an alert (glossary: 95%). */
  attendance: { below: number; check_time: string; level: AlertLevelName };
  /** Team login conformance so far today below this raises an alert (glossary: 92%). */
  conformance: { below: number; level: AlertLevelName; min_scheduled_s?: number };
  /** Site feed silent this many seconds is a stale feed. */
  stale_feed_s: number;
  /** Ghost agents: logged in, no event for this many seconds. */
  ghost_agent_s: number;
  /** Levels of the sources that have no level of their own (alerts engine defaults: adherence yellow, stale feed red, ghost agent info, webhook failure orange). */
  levels?: Partial<
    Record<'adherence' | 'stale_feed' | 'ghost_agent' | 'webhook_failed', AlertLevelName>
  >;
  /** Seconds a non-rule source's condition must stay false before its alert clears (default 60). */
  clear_down_s?: number;
  /** Escalation for non-rule alerts left unacknowledged (default none). */
  escalation?: { after_min: number; level: AlertLevelName };
  /**
   * Step-by-step escalation of any unacknowledged alert: after `after_min` minutes at a level
   * (since raised, or since its last escalation) it moves to the next level up, e.g.
   * {"yellow": {"after_min": 15}, "orange": {"after_min": 10}} (default none).
   */
  escalate?: Partial<Record<'info' | 'yellow' | 'orange', { after_min: number }>>;
  /**
   * Per-agent alerts of one kind are shown as one grouped alert ("12 agents out of
   * adherence") on the board once this many are active (default 5; core/alerts/group.ts).
   */
  group_at?: number;
}

export interface WorkforceConfig {
  /** Activity names allowed in rosters; extensible per site. */
  activities: string[];
  /** Activities that count as scheduled work for login conformance. */
  work_activities: string[];
  /**
   * Adherence mapping: activity -> allowed states. A state is "ready", "talking", … ,
   * "not_ready:<reason>" or "logged_out". "neutral" makes the activity count neither in nor out.
   */
  adherence: Record<string, string[] | 'neutral'>;
  /** Sign-in/out grace for the late/early flags, seconds (提前签入5分钟,错后5分钟签出). */
  sign_in_early_s: number;
  sign_out_late_s: number;
  /** Monthly absence days above which an agent is flagged (缺勤天数5天以上需报备). */
  absence_days_flag: number;
}

export interface SiteConfig {
  site: string;
  timezone: string;
  interval_minutes: 15 | 30 | 60;
  /** Operating day starts at this local time (HH:mm), default 00:00. */
  day_start: string;
  queues: Record<string, QueueConfig>;
  /** Used for queues not listed in `queues`. */
  default_queue: QueueConfig;
  overflow_rules: OverflowRule[];
  alerts: AlertThresholds;
  workforce: WorkforceConfig;
  /** Display names of teams, by team id (optional; the board shows the id otherwise). */
  teams?: Record<string, TeamLabel>;
  /** Service quality (#21): work-order limits, incidents, targets; defaults in core/quality/config.ts when absent. */
  quality?: QualityConfig;
  /** Colour thresholds for board tiles (fractions of target). */
  display: {
    sl_warn: number;
    waiting_warn: number;
    waiting_alarm: number;
    /** Colour thresholds per metric for every queue (core/display-thresholds.ts). */
    metrics?: MetricThresholds;
    /** Per queue, overriding `metrics`. */
    queues?: Record<string, MetricThresholds>;
  };
  /** Work-state rules (工作状态管理): not-ready limits, break caps, break requests (core/workstate/config.ts). */
  work_state?: WorkStateConfig;
  /** Intraday staffing: forecast weeks, patience source (core/staffing/config.ts). */
  staffing?: StaffingConfig;
  /**
   * A call with no answer or abandon within this many seconds of its offer is expired: it
   * leaves the waiting count (docs/definitions.md, "Live queue figures"). Default 3600.
   */
  call_expiry_s?: number;
  /** Named board layouts per audience (core/boards/layouts.ts), opened at /site/{site}/board/{name}. */
  boards?: Record<string, BoardLayout>;
}

/** Default of `call_expiry_s`: no real caller waits an hour, and a lost end event must not wait all day. */
export const DEFAULT_CALL_EXPIRY_S = 3600;

/** The site's call expiry in ms. */
export const callExpiryMs = (cfg: SiteConfig): number =>
  (cfg.call_expiry_s ?? DEFAULT_CALL_EXPIRY_S) * 1000;

export const DEFAULT_QUEUE: QueueConfig = Object.freeze({
  threshold_s: 20,
  target: 0.8,
  variant: 'default',
  short_abandon_s: 5,
});

export const DEFAULT_WORKFORCE: WorkforceConfig = Object.freeze({
  activities: ['work', 'break', 'lunch', 'training', 'meeting', 'off'],
  work_activities: ['work'],
  adherence: {
    work: ['ready', 'ringing', 'talking', 'hold', 'wrap_up', 'outbound'],
    break: ['not_ready:break', 'logged_out'],
    lunch: ['not_ready:lunch', 'logged_out'],
    training: ['not_ready:training'],
    meeting: ['not_ready:meeting'],
    off: ['logged_out'],
  },
  sign_in_early_s: 300,
  sign_out_late_s: 300,
  absence_days_flag: 5,
}) as WorkforceConfig;

export const DEFAULT_ALERTS: AlertThresholds = Object.freeze({
  sl_below_target: { enabled: true, min_calls: 10, level: 'yellow' },
  adherence_out_s: 180,
  attendance: { below: 0.95, check_time: '10:00', level: 'orange' },
  conformance: { below: 0.92, level: 'yellow' },
  stale_feed_s: 60,
  ghost_agent_s: 7200,
}) as AlertThresholds;

export function defaultSiteConfig(site: string): SiteConfig {
  return {
    site,
    timezone: 'UTC',
    interval_minutes: 15,
    day_start: '00:00',
    queues: {},
    default_queue: { ...DEFAULT_QUEUE },
    overflow_rules: [],
    alerts: structuredClone(DEFAULT_ALERTS),
    workforce: structuredClone(DEFAULT_WORKFORCE),
    display: { sl_warn: 0.9, waiting_warn: 5, waiting_alarm: 15 },
  };
}

export function queueConfig(cfg: SiteConfig, queue: string): QueueConfig {
  return cfg.queues[queue] ?? cfg.default_queue;
}
