// Remembers what the board topic of one site last carried and builds the next delta: only
// the queues, agents and teams whose published form changed (figures that only tick with the
// clock are sent as instants, or compared coarsely, so a quiet site sends next to nothing), the alerts that changed (a
// cleared alert is sent once with cleared_at set, so boards drop it), and the feed fields.
// Pure: the caller hands in the current figures; nothing here reads a clock.
import type {
  AgentLive,
  AlertView,
  DeltaMessage,
  LiveSnapshot,
  QueueLive,
  TeamLive,
} from '../snapshot.js';
import type { QualityCounts, QualityLive } from '../quality/live.js';
import { clockKey } from '../workforce/conformance-clock.js';

/** A delta before the publisher gives it its seq. */
export type DeltaBody = Omit<DeltaMessage, 'seq'>;

/** Site-level fields every delta carries. */
export interface FeedHead {
  site: string;
  at: string;
  last_event_at: string | null;
  feed_stale: boolean;
  interval_start: string;
  operating_day: string;
}

/** What changed candidates the caller computed for this delta (undefined = not checked this time). */
export interface DeltaInput {
  head: FeedHead;
  /** Queues to compare (all of them, or only the dirty ones). */
  queues?: readonly QueueLive[];
  /** Agents to compare; with `agentsComplete` the list is all agents and missing ones are removed. */
  agents?: readonly AgentLive[];
  agentsComplete?: boolean;
  /** Agent ids the engine reported changed that no longer exist. */
  goneAgents?: readonly string[];
  teams?: readonly TeamLive[];
  /** The complete list of active alerts. */
  alerts?: readonly AlertView[];
  /** The service-quality block (sent whole when its JSON changed). */
  quality?: QualityLive;
  /** Emit even when nothing changed (heartbeat: boards grey their figures after 5 s of silence). */
  heartbeat?: boolean;
}

/**
 * The fields of an agent that move with the clock alone (ghost flag, adherence status and
 * when it began). The seconds out of adherence are not among them: they tick every second for
 * thousands of agents of a large site, and the board counts them from out_of_adherence_since.
 */
export function timeKey(
  stale: boolean,
  adherence: string,
  outSinceMs: number,
  activity: string | null,
): string {
  return `${stale ? 1 : 0}|${adherence}|${outSinceMs}|${activity ?? ''}`;
}

export function agentTimeKey(
  a: Pick<AgentLive, 'stale' | 'adherence' | 'out_of_adherence_since' | 'scheduled_activity'>,
): string {
  const since =
    a.adherence === 'out' && a.out_of_adherence_since ? Date.parse(a.out_of_adherence_since) : 0;
  return timeKey(a.stale, a.adherence, since, a.scheduled_activity);
}

/**
 * Ratios that move with the clock alone (occupancy, conformance) are compared at a tenth of
 * the board's shown precision (0.1%): a 20,000-agent site has ~1,300 teams, and sending each
 * one every second for a change nobody can see would break the goal that a quiet site costs
 * each board a few KB/s.
 */
const tick = (v: number | null): number | null => (v === null ? null : Math.round(v * 1e4));

/** A queue's published form for comparison: longest wait as the instant the board ticks from, occupancy coarse, no explain seconds. */
function queueText(q: QueueLive): string {
  const f = (x: QueueLive['interval']) => ({
    ...x,
    occupancy: tick(x.occupancy),
    explain: { ...x.explain, occupancy: null },
  });
  return JSON.stringify({
    ...q,
    longest_wait_s: q.longest_wait_since ?? q.longest_wait_s,
    interval: f(q.interval),
    today: f(q.today),
  });
}

/**
 * A team's published form for comparison. With a conformance clock, its sums taken back to
 * `anchor`: the board carries conformance forward itself, so a team is sent again only when
 * an event or a shift boundary changes the clock. Without one, conformance coarse.
 */
function teamText(t: TeamLive, anchor: number): string {
  const c = t.conformance_clock;
  return JSON.stringify({
    ...t,
    conformance: c ? null : tick(t.conformance),
    conformance_explain: null,
    conformance_clock: c ? clockKey(c, anchor) : null,
  });
}

/**
 * The quality block's published form for comparison, without its counts (compared apart) and
 * the orders without their minutes left, since the board counts them down from each order's
 * due time (ordersAt): the clock alone does not resend the block.
 */
function qualityText(q: QualityLive): string {
  return JSON.stringify({
    ...q,
    open: null,
    open_total: null,
    near_limit: null,
    overdue: null,
    orders: q.orders.map((o) => ({ ...o, time_left_s: 0 })),
  });
}

/**
 * The counts move whenever any open order passes its limit: on a whole day of tens of
 * thousands of open orders that is about every second, so they travel alone (~100 bytes),
 * not in a resent block (~3.6 KB).
 */
function qualityCounts(q: QualityLive): QualityCounts {
  return { open: q.open, open_total: q.open_total, near_limit: q.near_limit, overdue: q.overdue };
}

/** An agent's published form for comparison: its JSON without the ticking seconds. */
function agentJson(a: AgentLive): string {
  if (a.out_of_adherence_s === 0) return JSON.stringify(a);
  return JSON.stringify({ ...a, out_of_adherence_s: 0 });
}

export class DeltaBuilder {
  private readonly queues = new Map<string, string>();
  private readonly agents = new Map<string, string>();
  /** agentTimeKey of each published agent, so the clock check skips agents whose timers did not move. */
  private readonly agentTime = new Map<string, string>();
  private readonly teams = new Map<string, string>();
  private readonly alerts = new Map<string, AlertView>();
  private readonly alertJson = new Map<string, string>();
  /** Last cleared form of alerts seen in lifecycle changes, so a clear carries its real time and reason. */
  private readonly cleared = new Map<string, AlertView>();
  private head: FeedHead | null = null;
  private qualityJson: string | null = null;
  private countsJson: string | null = null;
  /** A fixed instant that team clocks are compared at (the first one seen: keeps the sums exact integers). */
  private anchor: number | null = null;
  private readonly teamText = (t: TeamLive): string => {
    if (this.anchor === null && t.conformance_clock)
      this.anchor = Date.parse(t.conformance_clock.at);
    return teamText(t, this.anchor ?? 0);
  };

  /** Records what a full snapshot showed, so the next delta is relative to it. */
  prime(s: LiveSnapshot): void {
    this.queues.clear();
    this.agents.clear();
    this.agentTime.clear();
    this.teams.clear();
    this.alerts.clear();
    this.alertJson.clear();
    this.cleared.clear();
    for (const q of s.queues) this.queues.set(q.queue, queueText(q));
    for (const a of s.agents) {
      this.agents.set(a.agent, agentJson(a));
      this.agentTime.set(a.agent, agentTimeKey(a));
    }
    for (const t of s.teams) this.teams.set(t.team, this.teamText(t));
    for (const a of s.alerts) {
      this.alerts.set(a.id, a);
      this.alertJson.set(a.id, JSON.stringify(a));
    }
    this.qualityJson = s.quality ? qualityText(s.quality) : null;
    this.countsJson = s.quality ? JSON.stringify(qualityCounts(s.quality)) : null;
    this.head = {
      site: s.site,
      at: s.at,
      last_event_at: s.last_event_at,
      feed_stale: s.feed_stale,
      interval_start: s.interval_start,
      operating_day: s.operating_day,
    };
  }

  /** Ids of the agents the board currently shows. */
  agentIds(): IterableIterator<string> {
    return this.agents.keys();
  }

  /** The time key last published for an agent (undefined if the board does not show it). */
  publishedTimeKey(agent: string): string | undefined {
    return this.agentTime.get(agent);
  }

  /** Keeps the cleared form of alerts from the alert engine's lifecycle changes. */
  noteCleared(alert: AlertView): void {
    if (alert.cleared_at !== null) this.cleared.set(alert.id, alert);
  }

  build(input: DeltaInput): DeltaBody | null {
    const { head } = input;
    const prev = this.head;
    let changed =
      prev === null ||
      prev.feed_stale !== head.feed_stale ||
      prev.last_event_at !== head.last_event_at ||
      prev.interval_start !== head.interval_start ||
      prev.operating_day !== head.operating_day;
    const out: DeltaBody = {
      type: 'delta',
      site: head.site,
      at: head.at,
      last_event_at: head.last_event_at,
      feed_stale: head.feed_stale,
    };
    // interval_start / operating_day ride along only when they moved (interval or day roll).
    if (
      prev === null ||
      prev.interval_start !== head.interval_start ||
      prev.operating_day !== head.operating_day
    ) {
      out.interval_start = head.interval_start;
      out.operating_day = head.operating_day;
    }

    const queues = diffByKey(input.queues, this.queues, (q) => q.queue, queueText);
    if (queues.length) out.queues = queues;

    const agents = diffByKey(input.agents, this.agents, (a) => a.agent, agentJson);
    for (const a of agents) this.agentTime.set(a.agent, agentTimeKey(a));
    if (agents.length) out.agents = agents;
    const removed = new Set<string>();
    for (const id of input.goneAgents ?? []) if (this.agents.has(id)) removed.add(id);
    if (input.agents && input.agentsComplete) {
      const present = new Set(input.agents.map((a) => a.agent));
      for (const id of this.agents.keys()) if (!present.has(id)) removed.add(id);
    }
    for (const id of removed) {
      this.agents.delete(id);
      this.agentTime.delete(id);
    }
    if (removed.size) out.removed_agents = [...removed];

    const teams = diffByKey(input.teams, this.teams, (t) => t.team, this.teamText);
    if (teams.length) out.teams = teams;

    if (input.alerts) {
      const alerts = this.diffAlerts(input.alerts, head.at);
      if (alerts.length) out.alerts = alerts;
    }

    if (input.quality) {
      const json = qualityText(input.quality);
      const counts = qualityCounts(input.quality);
      const countsJson = JSON.stringify(counts);
      if (json !== this.qualityJson) out.quality = input.quality;
      else if (countsJson !== this.countsJson) out.quality_counts = counts;
      this.qualityJson = json;
      this.countsJson = countsJson;
    }

    changed ||=
      out.quality !== undefined ||
      out.quality_counts !== undefined ||
      queues.length > 0 ||
      agents.length > 0 ||
      removed.size > 0 ||
      teams.length > 0 ||
      out.alerts !== undefined;
    this.head = head;
    return changed || input.heartbeat ? out : null;
  }

  private diffAlerts(active: readonly AlertView[], at: string): AlertView[] {
    const out: AlertView[] = [];
    const present = new Set<string>();
    for (const a of active) {
      present.add(a.id);
      // The alert engine makes a new view object whenever an alert changes.
      if (this.alerts.get(a.id) === a) continue;
      const json = JSON.stringify(a);
      if (this.alertJson.get(a.id) === json) continue;
      this.alertJson.set(a.id, json);
      this.alerts.set(a.id, a);
      out.push(a);
    }
    for (const [id, old] of this.alerts) {
      if (present.has(id)) continue;
      // Gone from the active list: send it once as cleared so boards drop it.
      const cleared = this.cleared.get(id) ?? {
        ...old,
        cleared_at: at,
        clear_reason: old.clear_reason ?? 'cleared',
      };
      out.push(cleared.cleared_at === null ? { ...cleared, cleared_at: at } : cleared);
      this.alerts.delete(id);
      this.alertJson.delete(id);
    }
    this.cleared.clear();
    return out;
  }
}

/** Items whose JSON differs from what was last published (and records the new form). */
function diffByKey<T>(
  items: readonly T[] | undefined,
  published: Map<string, string>,
  key: (v: T) => string,
  text: (v: T) => string = JSON.stringify,
): T[] {
  const out: T[] = [];
  if (!items) return out;
  for (const item of items) {
    const k = key(item);
    const json = text(item);
    if (published.get(k) === json) continue;
    published.set(k, json);
    out.push(item);
  }
  return out;
}
