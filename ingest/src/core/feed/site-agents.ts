// The agents of one site as the board shows them: the queue engine's per-agent state merged
// with the workforce engine's adherence, plus rostered agents who have not signed in yet.
// Also finds the agents whose clock-driven fields moved, for the board's 1 s check.
import type { AgentAdherence, AgentCore, QueueEngineModule, WorkforceModule } from '../modules.js';
import { isoZ, operatingDay } from '../queue/time-buckets.js';
import type { SiteConfig } from '../site-config.js';
import type { AgentLive } from '../snapshot.js';
import { agentTimeKey, type DeltaBuilder } from './delta-builder.js';

/** Fields of an agent nobody has a schedule for. */
const UNSCHEDULED: AgentAdherence = Object.freeze({ adherence: 'unscheduled', out_of_adherence_s: 0, scheduled_activity: null });

/**
 * The board's agent: the engine's fields then adherence, in that key order (the feed compares
 * JSON text). Written out rather than spread: at 20k agents the spread was ~20% of a snapshot.
 */
function live(c: AgentCore, adh: AgentAdherence): AgentLive {
  return {
    agent: c.agent,
    name: c.name,
    team: c.team,
    state: c.state,
    reason: c.reason,
    since: c.since,
    stale: c.stale,
    current_call: c.current_call,
    calls_today: c.calls_today,
    adherence: adh.adherence,
    out_of_adherence_s: adh.out_of_adherence_s,
    scheduled_activity: adh.scheduled_activity,
  };
}

export class SiteAgents {
  /** Rostered-and-absent agents by id at `rosterAt`: one roster build per `now`, not one scan per look-up. */
  private roster: Map<string, string> | null = null;
  private rosterAt = NaN;

  constructor(
    private readonly queue: QueueEngineModule,
    private readonly workforce: WorkforceModule | undefined,
    private readonly config: () => SiteConfig,
  ) {}

  private merge(core: AgentCore, now: number): AgentLive {
    return live(core, this.workforce?.agentAdherence(core.agent, now) ?? UNSCHEDULED);
  }

  /** A rostered agent with no session yet, shown as logged out since the start of the day. */
  private absent(agent: string, team: string, now: number): AgentLive {
    const cfg = this.config();
    const start = operatingDay(now, cfg.timezone, cfg.day_start).start;
    return this.merge({ agent, name: '', team, state: 'logged_out', reason: null, since: isoZ(start, cfg.timezone), stale: false, current_call: null, calls_today: 0 }, now);
  }

  /** Every agent with a session, plus rostered agents who have not signed in yet. */
  all(now: number): AgentLive[] {
    const out = this.queue.agents(now).map((a) => this.merge(a, now));
    if (this.workforce) {
      const seen = new Set(out.map((a) => a.agent));
      for (const r of this.workforce.rosteredAgents(now)) if (!seen.has(r.agent)) out.push(this.absent(r.agent, r.team, now));
    }
    return out;
  }

  /** Forgets the roster index (call after a roster upload or configuration change). */
  forget(): void {
    this.roster = null;
  }

  private rosterIndex(now: number): Map<string, string> {
    if (this.roster && this.rosterAt === now) return this.roster;
    const m = new Map<string, string>();
    for (const r of this.workforce?.rosteredAgents(now) ?? []) m.set(r.agent, r.team);
    this.roster = m;
    this.rosterAt = now;
    return m;
  }

  /** One agent (live, or rostered and absent), or undefined when the site no longer knows it. */
  one(id: string, now: number): AgentLive | undefined {
    const core = this.queue.agent(id, now);
    if (core) return this.merge(core, now);
    if (!this.workforce) return undefined;
    const team = this.rosterIndex(now).get(id);
    return team === undefined ? undefined : this.absent(id, team, now);
  }

  /**
   * Adds to `agents` those whose clock-driven fields (ghost flag, adherence) moved since the
   * board got them, and rostered agents it does not show yet; adds to `gone` those the site
   * no longer knows. Per agent: one engine and one adherence look-up, no serialisation, so a
   * 20,000-agent site can be checked every second. Agents in `skip` are handled by the caller.
   */
  moved(now: number, feed: DeltaBuilder, skip: ReadonlySet<string>, agents: AgentLive[], gone: string[]): void {
    const rostered = this.rosterIndex(now);
    const shown = new Set<string>();
    for (const id of feed.agentIds()) {
      shown.add(id);
      if (skip.has(id)) continue;
      // The ghost flag alone when the engine offers it: most agents' timers did not move, and
      // building their full view (ISO times, objects) was most of this check's cost.
      const fast = this.queue.agentStale?.(id, now);
      let core = fast === undefined ? this.queue.agent(id, now) : null;
      if (fast === undefined && !core) {
        const team = rostered.get(id);
        if (team === undefined) gone.push(id);
        else {
          const a = this.absent(id, team, now);
          if (feed.publishedTimeKey(id) !== agentTimeKey(a)) agents.push(a);
        }
        continue;
      }
      const adh = this.workforce?.agentAdherence(id, now) ?? UNSCHEDULED;
      if (feed.publishedTimeKey(id) === agentTimeKey({ stale: fast ?? core?.stale ?? false, ...adh })) continue;
      core ??= this.queue.agent(id, now);
      if (!core) continue;
      agents.push(live(core, adh));
    }
    for (const [id, team] of rostered) if (!shown.has(id) && !skip.has(id) && !this.queue.agent(id, now)) agents.push(this.absent(id, team, now));
  }
}
