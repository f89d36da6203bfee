// The seams between the live engines of one site. The queue engine (calls and agent
// states), the workforce engine (rosters, conformance, adherence, attendance) and the
// alert engine are separate pure modules; the site runtime composes them through these
// interfaces so each can be built and tested alone.
import type { FwEvent } from './contract.js';
import type { SiteConfig } from './site-config.js';
import type { AdherenceStatus, AgentLive, AlertView, Explain, QueueLive, TeamLive } from './snapshot.js';

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
  setRoster(segments: readonly RosterSegment[], replacedAgentDays: readonly { agent: string; day: string }[]): void;
  addExcused(spans: readonly ExcusedSpan[]): void;
  agentAdherence(agent: string, now: number): AgentAdherence;
  /** Agents on the roster today who have no session yet (so the board can list them). */
  rosteredAgents(now: number): { agent: string; team: string }[];
  teams(now: number): TeamLive[];
  /** Drops state older than the operating day containing `now` (called on day roll). */
  roll(now: number): void;
}

/** What the alert engine sees of a site at one instant. */
export interface SiteView {
  site: string;
  now: number;
  config: SiteConfig;
  queues: readonly QueueLive[];
  agents: readonly AgentLive[];
  teams: readonly TeamLive[];
  /** Epoch ms of the newest event, or null. */
  lastEventAt: number | null;
  /** Rolling service level of a queue over the last `windowMs` (by event time), with its counts. */
  rollingServiceLevel(queue: string, windowMs: number): { value: number | null; explain: Explain };
}

export interface AlertChange {
  kind: 'raised' | 'escalated' | 'acked' | 'cleared' | 'updated';
  alert: AlertView;
}

export interface AlertsModule {
  configure(cfg: SiteConfig): void;
  /** Pure evaluation at `view.now`; returns lifecycle changes since the previous call. */
  evaluate(view: SiteView): AlertChange[];
  active(): AlertView[];
}

export type { AgentLive, QueueLive, TeamLive };
