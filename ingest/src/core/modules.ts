// The seams between the live engines of one site. The queue engine (calls and agent
// states), the workforce engine (rosters, conformance, adherence, attendance) and the
// alert engine are separate pure modules; the site runtime composes them through these
// interfaces so each can be built and tested alone.
import type { FwEvent } from './contract.js';
import type { SiteConfig } from './site-config.js';
import type { Candidate } from './alerts/candidate.js';
import type {
  AdherenceStatus,
  AgentLive,
  AlertView,
  Explain,
  QueueLive,
  TeamLive,
} from './snapshot.js';
import type { WorkStateModule } from './workstate/engine.js';

/** Roster segment, normalised: epoch ms, activity name, operating day (site zone, yyyy-MM-dd). */
export interface RosterSegment {
  agent: string;
  team: string;
  start: number;
  end: number;
  activity: string;
  day: string;
}

/** Excused time (问题时长) entered by a team lead. */
export interface ExcusedSpan {
  id: string;
  agent: string;
  start: number;
  end: number;
  reason: string;
  entered_by: string;
  entered_at: number;
}

export interface AgentAdherence {
  adherence: AdherenceStatus;
  out_of_adherence_s: number;
  scheduled_activity: string | null;
}

export interface WorkforceModule {
  configure(cfg: SiteConfig): void;
  /** Agent events (login, logout, state) in event-time order per agent. Other types may be ignored. */
  apply(ev: FwEvent): void;
  /** Replaces the roster segments of the given agent-days (one call per upload). */
  setRoster(
    segments: readonly RosterSegment[],
    replacedAgentDays: readonly { agent: string; day: string }[],
  ): void;
  addExcused(spans: readonly ExcusedSpan[]): void;
  agentAdherence(agent: string, now: number): AgentAdherence;
  /** Agents on the roster today, or on a shift still running from an earlier day, who have no session yet (so the board can list them). */
  rosteredAgents(now: number): { agent: string; team: string }[];
  teams(now: number): TeamLive[];
  /** Drops state older than the operating day containing `now` (called on day roll). */
  roll(now: number): void;
  /** An agent's roster segments (for work-state limits "as rostered"). */
  segments?(agent: string): readonly RosterSegment[];
  /** The agents' state timelines for a checkpoint (not rosters or excused time: those are stored). */
  exportState?(): unknown;
  /** Sets the agents' timelines from a checkpoint, keeping rosters and excused time as loaded. */
  importState?(state: unknown): void;
}

/** What the alert engine sees of a site at one instant. */
export interface SiteView {
  site: string;
  now: number;
  config: SiteConfig;
  queues: readonly QueueLive[];
  agents: readonly AgentLive[];
  /**
   * Optional fast path for the per-agent sources (adherence, ghost agents): the agents of
   * `agents`, in the same order, for which `pick` returns true. `pick` gets one reused probe
   * per agent that computes the ghost flag or the adherence only when asked, so only the
   * picked agents' AgentLive objects are built (a 20,000-agent site, none out: no object).
   * `withAbsent` false skips the rostered agents who have no session yet (default true).
   */
  pickAgents?(pick: (a: AgentProbe) => boolean, withAbsent?: boolean): AgentLive[];
  teams: readonly TeamLive[];
  /** Epoch ms of the newest event, or null. */
  lastEventAt: number | null;
  /** Service-quality warnings (work orders, incidents, complaint volume) holding at `now`, as alert candidates. */
  quality?(): Candidate[];
  /** Rolling service level of a queue over the last `windowMs` (by event time), with its counts. */
  rollingServiceLevel(queue: string, windowMs: number): { value: number | null; explain: Explain };
  /** The work-state engine (break overruns and caps), when the site runs one. */
  workState?: WorkStateModule;
}

/** One agent as SiteView.pickAgents shows it to `pick`: valid only during that call. */
export interface AgentProbe {
  readonly agent: string;
  /** The ghost flag (AgentLive.stale). */
  stale(): boolean;
  /** The adherence fields (AgentLive.adherence, out_of_adherence_s, scheduled_activity). */
  adherence(): AgentAdherence;
}

export interface AlertChange {
  kind: 'raised' | 'escalated' | 'acked' | 'cleared' | 'updated';
  alert: AlertView;
  /** Epoch ms of the change (orders the stored lifecycle rows). */
  at?: number;
}

/** An alert raised from outside the rule evaluation (e.g. a webhook delivery that failed). */
export interface ExternalAlertInput {
  kind: string;
  /** Stable key within the kind: raising the same kind+key while active is a no-op. */
  key: string;
  level: AlertView['level'];
  queue?: string | null;
  agent?: string | null;
  team?: string | null;
  rule?: string | null;
  message: string;
  message_zh?: string;
  action?: string | null;
  action_zh?: string | null;
}

export interface AlertsModule {
  configure(cfg: SiteConfig): void;
  /** Pure evaluation at `view.now`; returns lifecycle changes since the previous call. */
  evaluate(view: SiteView): AlertChange[];
  active(): AlertView[];
  /** Acknowledges an active, unacknowledged alert; null when unknown, cleared or already acked. */
  ack(id: string, by: string, note: string | null, now: number): AlertChange | null;
  /** An active or recently cleared alert by id. */
  get(id: string): AlertView | undefined;
  raise(input: ExternalAlertInput, now: number): AlertChange | null;
  /** Clears the active alert of kind+key (external alerts), with a reason. */
  resolve(kind: string, key: string, reason: string, now: number): AlertChange | null;
  /** Re-creates active alerts loaded from storage at start-up (no changes are emitted). */
  restore(alerts: readonly AlertView[]): void;
  /**
   * Earliest time a pending hold-down, clear-down or escalation falls due (epoch ms), or
   * null. A runtime that evaluates at this time (not only on its 1 s clock) raises an
   * overflow alert at its hold-down's end instead of up to one tick later.
   */
  nextDue?(): number | null;
}

export type { AgentLive, QueueLive, TeamLive };

/** Per-agent fields the queue engine owns; the runtime adds the adherence fields from workforce. */
export type AgentCore = Omit<AgentLive, 'adherence' | 'out_of_adherence_s' | 'scheduled_activity'>;

/** One row of the interval report (API v1 field names), as the live engine computes it. */
export interface IntervalRow {
  interval_start: string;
  queue: string;
  offered: number;
  answered: number;
  answered_within_threshold: number;
  abandoned: number;
  short_abandoned: number;
  service_level: number | null;
  asa_s: number | null;
  aht_s: number | null;
  answer_rate: number | null;
  /**
   * Calls that expired in the interval (no answer or abandon within the site's
   * call_expiry_s; docs/definitions.md): a data-quality count, in none of the figures above.
   * Added after v1's first fields (additive).
   */
  expired: number;
}

/**
 * The live queue and agent engine of one site (ingest/src/core/queue/). Pure: no timers,
 * no I/O; time comes in as `now`.
 */
export interface QueueEngineModule {
  configure(cfg: SiteConfig): void;
  /** Applies one committed event. Out-of-order events within the lateness window are handled inside. */
  apply(ev: FwEvent): void;
  queues(now: number): QueueLive[];
  agents(now: number): AgentCore[];
  agent(agentId: string, now: number): AgentCore | undefined;
  /** Optional fast path for the 1 s clock check: the ghost flag alone (undefined: unknown agent). */
  agentStale?(agentId: string, now: number): boolean | undefined;
  /** Today's per-interval figures for every queue (the operating day containing `now`). */
  intervals(now: number): IntervalRow[];
  rollingServiceLevel(
    queue: string,
    windowMs: number,
    now: number,
  ): { value: number | null; explain: Explain };
  /** Newest event time seen, epoch ms. */
  lastEventAt(): number | null;
  /** Keys changed since the last call (for board deltas), then cleared. */
  takeDirty(): { queues: Set<string>; agents: Set<string> };
  /** Drops what belongs to operating days before the one containing `now`. */
  roll(now: number): void;
  /** What the engine holds for late events (for /metrics). */
  held?(): HeldCalls;
  /** Event-derived state for a checkpoint (live objects: serialise them in the same turn). */
  exportState?(): unknown;
  /** Replaces the event-derived state with a checkpoint's (exportState of the same build). */
  importState?(state: unknown): void;
}

export interface HeldCalls {
  /** Call records kept (in progress, or finished and kept for late events). */
  calls: number;
  /** Finished calls folded before the fold horizon because the budget was full. */
  earlyFolded: number;
  /** How far behind the newest event late events still find their call (ms). */
  horizonMs: number;
}
