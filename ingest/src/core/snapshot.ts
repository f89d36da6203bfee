// The board feed's shapes: what GET /api/live returns and what /ws/board sends. Field
// names follow API v1 in design.md; everything beyond it is additive. The wallboard
// imports these types, so they are the one contract between server and board.

/** How a figure was computed, so the board can show the formula and the counts behind it. */
import type { QualityCounts, QualityLive } from './quality/live.js';
export interface Explain {
  /** Formula name, e.g. "sl_default", and its human text. */
  formula: string;
  text: string;
  numerator: number;
  denominator: number;
}

/** Interval or today figures; field names are the interval report's. */
export interface QueueFigures {
  offered: number;
  answered: number;
  answered_within_threshold: number;
  abandoned: number;
  short_abandoned: number;
  service_level: number | null;
  asa_s: number | null;
  aht_s: number | null;
  answer_rate: number | null;
  occupancy: number | null;
  /** Live variant only: calls still waiting past T, counted in the live SL denominator. */
  waiting_past_threshold?: number;
  /**
   * Calls expired in the period: no answer or abandon within the site's call_expiry_s of
   * their offer (docs/definitions.md). Not part of offered; a data-quality count.
   */
  expired?: number;
  explain: Record<string, Explain>;
}

export interface QueueLive {
  queue: string;
  /** Calls in the queue phase now: queued + ringing (expired calls left out). */
  waiting: number;
  /** Of those, calls not yet offered to an agent (docs/definitions.md, "Live queue figures"). */
  queued?: number;
  /** Of those, calls ringing at an agent: min(waiting, agents of the queue in state ringing). */
  ringing?: number;
  longest_wait_s: number;
  /**
   * When the longest-waiting call was offered, null when none waits: the board ticks the
   * longest wait from it, so a delta does not carry the queue only because a second passed.
   */
  longest_wait_since?: string | null;
  ready_agents: number;
  agents_by_state: Record<string, number>;
  threshold_s: number;
  target: number;
  sl_variant: string;
  interval: QueueFigures;
  today: QueueFigures;
}

export type AdherenceStatus = 'in' | 'out' | 'neutral' | 'unscheduled';

export interface AgentLive {
  agent: string;
  name: string;
  team: string;
  /** ready, not_ready, … or "logged_out"; "stale" is a flag, not a state. */
  state: string;
  reason: string | null;
  since: string;
  stale: boolean;
  current_call: string | null;
  calls_today: number;
  /** Queue calls that rang this agent today without an answer (Asterisk RINGNOANSWER with a ring time); absent when 0. */
  ring_no_answer_today?: number;
  /** Times today the agent could not be rung at all (RINGNOANSWER with ring time 0), counted apart; absent when 0. */
  unreachable_today?: number;
  adherence: AdherenceStatus;
  /** Seconds continuously out of adherence, 0 when in (at the message's `at`; it ticks). */
  out_of_adherence_s: number;
  /**
   * When the agent's continuous time out of adherence began, null when not out. The instant the
   * board ticks from: a delta no longer carries an agent only because its seconds moved.
   */
  out_of_adherence_since?: string | null;
  scheduled_activity: string | null;
  /**
   * A rostered agent with no session today (no agent event since the day's start): the board
   * says "not signed in" with no time in state (`since` is then only the day's start, kept
   * for sorting). Absent for everyone else.
   */
  not_signed_in?: true;
}

export interface TeamLive {
  team: string;
  conformance: number | null;
  conformance_explain: Explain;
  attendance: number | null;
  attendance_explain: Explain;
  /** Agents scheduled now (or earlier today) who have not signed in. */
  missing: string[];
  /** What the board needs to compute conformance itself at its own clock (conformance-clock.ts). */
  conformance_clock?: ConformanceClock;
}

/**
 * A team's conformance sums as of instant `at` and how many agents accrue each now: at t,
 * logged-in = logged_in_ms + logged_in_now × (t − at), and so on. Exact until a work segment
 * or excused span starts or ends, or an event arrives; the server then sends the team again.
 */
export interface ConformanceClock {
  /** ISO-8601 with the site's offset and milliseconds. */
  at: string;
  logged_in_ms: number;
  scheduled_ms: number;
  excused_ms: number;
  logged_in_now: number;
  scheduled_now: number;
  excused_now: number;
  late_sign_ins: number;
  early_sign_outs: number;
}

export type AlertLevel = 'info' | 'yellow' | 'orange' | 'red';

export interface AlertView {
  id: string;
  site: string;
  kind: string;
  level: AlertLevel;
  queue: string | null;
  agent: string | null;
  team: string | null;
  raised_at: string;
  acked_at: string | null;
  acked_by: string | null;
  ack_note: string | null;
  cleared_at: string | null;
  clear_reason: string | null;
  message: string;
  /** Recommended action for the shift lead, e.g. overflow to X or merge groups. */
  action: string | null;
  /** The same message and action in Chinese (the board shows both languages). */
  message_zh?: string;
  action_zh?: string | null;
  /** The action as data the board or a routing system can act on. */
  action_detail?: AlertAction | null;
  /** Overflow rule id, for alerts raised by a rule. */
  rule?: string | null;
  /** When an unacknowledged alert was raised to its escalation level. */
  escalated_at?: string | null;
  /**
   * Set on a grouped alert (board feed only): this many active per-agent alerts of the kind,
   * how many are not acknowledged, and where to list them (core/alerts/group.ts).
   */
  group?: { count: number; unacked: number; members: string };
}

/** A recommended action: overflow a queue to another queue/group, or merge groups (合大组). */
export type AlertAction =
  | { kind: 'overflow'; queue: string; to: string }
  | { kind: 'merge'; queue: string; groups: string[]; into: string | null }
  | { kind: 'note'; text: string };

/** One point per board sample, for the "last hours" charts. */
export interface SeriesPoint {
  at: string;
  queue: string;
  service_level: number | null;
  waiting: number;
}

export interface LiveSnapshot {
  site: string;
  at: string;
  timezone: string;
  interval_minutes: number;
  interval_start: string;
  operating_day: string;
  /** Time of the newest event seen for this site, or null when none yet. */
  last_event_at: string | null;
  feed_stale: boolean;
  queues: QueueLive[];
  agents: AgentLive[];
  teams: TeamLive[];
  alerts: AlertView[];
  /** Service quality (#21): open work orders, today's figures, active incidents. */
  quality?: QualityLive;
}

export interface SnapshotMessage extends LiveSnapshot {
  type: 'snapshot';
  seq: number;
}

/** A delta carries only what changed since the previous message on the topic. */
export interface DeltaMessage {
  type: 'delta';
  seq: number;
  site: string;
  at: string;
  last_event_at: string | null;
  feed_stale: boolean;
  /** Present only when they moved (interval or day roll); otherwise the snapshot's still hold. */
  interval_start?: string;
  operating_day?: string;
  queues?: QueueLive[];
  agents?: AgentLive[];
  removed_agents?: string[];
  teams?: TeamLive[];
  alerts?: AlertView[];
  /** The whole service-quality block, when more than its counts changed. */
  quality?: QualityLive;
  /** The quality block's counts alone, when only they changed (orders passing their limits). */
  quality_counts?: QualityCounts;
}

export type BoardMessage = SnapshotMessage | DeltaMessage;
