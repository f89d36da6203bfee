// The agents of one site as the board shows them: the queue engine's per-agent state merged
// with the workforce engine's adherence, plus rostered agents who have not signed in yet.
// Also finds the agents whose clock-driven fields moved, for the board's 1 s check.
import type {
  AgentAdherence,
  AgentCore,
  AgentProbe,
  QueueEngineModule,
  WorkforceModule,
} from '../modules.js';
import { isoZ, operatingDay } from '../queue/time-buckets.js';
import type { SiteConfig } from '../site-config.js';
import type { AgentLive } from '../snapshot.js';
import { agentTimeKey, timeKey, type DeltaBuilder } from './delta-builder.js';

/** Fields of an agent nobody has a schedule for. */
const UNSCHEDULED: AgentAdherence = Object.freeze({
  adherence: 'unscheduled',
  out_of_adherence_s: 0,
  scheduled_activity: null,
});

/**
 * The board's agent: the engine's fields then adherence, in that key order (the feed compares
 * JSON text). Written out rather than spread: a snapshot builds one per agent, up to 20,000,
 * within the board's 2 s first-paint goal.
 */
function live(c: AgentCore, adh: AgentAdherence, now: number, zone: string): AgentLive {
  const a: AgentLive = {
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
    out_of_adherence_since: adh.adherence === 'out' ? isoZ(outSinceMs(adh, now), zone) : null,
  };
  // Missed rings only where there are some: two zero fields per agent weigh on every
  // 20,000-agent snapshot a board loads within its 2 s first-paint goal.
  if (c.ring_no_answer_today) a.ring_no_answer_today = c.ring_no_answer_today;
  if (c.unreachable_today) a.unreachable_today = c.unreachable_today;
  return a;
}

/** The instant an agent's continuous time out of adherence began (ms), 0 when not out. */
function outSinceMs(adh: AgentAdherence, now: number): number {
  return adh.adherence === 'out' ? Math.round(now - adh.out_of_adherence_s * 1000) : 0;
}

/** Whether sorted `ids` holds `id` (binary search, the engine's id order). */
function holds(ids: readonly string[], id: string): boolean {
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const x = ids[mid] as string;
    if (x === id) return true;
    if (x < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** The probe pick() hands out: one object, re-pointed at each agent. */
class Probe implements AgentProbe {
  agent = '';
  /** False for a rostered agent with no session (shown with stale false). */
  live = true;
  now = 0;
  constructor(
    private readonly queue: QueueEngineModule,
    private readonly workforce: WorkforceModule | undefined,
  ) {}
  stale(): boolean {
    if (!this.live) return false;
    return (
      this.queue.agentStale?.(this.agent, this.now) ??
      this.queue.agent(this.agent, this.now)?.stale ??
      false
    );
  }
  adherence(): AgentAdherence {
    return this.workforce?.agentAdherence(this.agent, this.now) ?? UNSCHEDULED;
  }
}

export class SiteAgents {
  /** Rostered-and-absent agents by id at `rosterAt`: one roster build per `now`, not one scan per look-up. */
  private roster: Map<string, string> | null = null;
  private rosterAt = NaN;
  /**
   * The ids queue.agents() lists, sorted as it sorts them, kept between pick() calls so the
   * alert sources need not build every agent each time; null: read them again. The list only
   * grows through events naming an agent (noted in `named`) and shrinks on a day roll or
   * reconfiguration (dropIds()).
   */
  private ids: string[] | null = null;
  /** Agents named by events since `ids` was read; checked against it at the next pick(). */
  private readonly named = new Set<string>();
  private readonly probe: Probe;

  constructor(
    private readonly queue: QueueEngineModule,
    private readonly workforce: WorkforceModule | undefined,
    private readonly config: () => SiteConfig,
  ) {
    this.probe = new Probe(queue, workforce);
  }

  private merge(core: AgentCore, now: number): AgentLive {
    return live(
      core,
      this.workforce?.agentAdherence(core.agent, now) ?? UNSCHEDULED,
      now,
      this.config().timezone,
    );
  }

  /**
   * A rostered agent with no session yet: logged out, marked not signed in (the board shows
   * no time in state: counting from the day's start told a lead "Logged out 4:35:11" about
   * someone who never came). `since` is the day's start, for sorting only.
   */
  private absent(agent: string, team: string, now: number): AgentLive {
    const cfg = this.config();
    const start = operatingDay(now, cfg.timezone, cfg.day_start).start;
    const a = this.merge(
      {
        agent,
        name: '',
        team,
        state: 'logged_out',
        reason: null,
        since: isoZ(start, cfg.timezone),
        stale: false,
        current_call: null,
        calls_today: 0,
      },
      now,
    );
    a.not_signed_in = true;
    return a;
  }

  /** Every agent with a session, plus rostered agents who have not signed in yet. */
  all(now: number): AgentLive[] {
    const out = this.queue.agents(now).map((a) => this.merge(a, now));
    if (this.workforce) {
      const seen = new Set(out.map((a) => a.agent));
      for (const r of this.workforce.rosteredAgents(now))
        if (!seen.has(r.agent)) out.push(this.absent(r.agent, r.team, now));
    }
    return out;
  }

  /** Notes an agent named by an applied event (it may be new to the engine's list). */
  noteAgent(id: string): void {
    if (this.ids) this.named.add(id);
  }

  /** Drops the id list (after a day roll, a replay or a configuration change). */
  dropIds(): void {
    this.ids = null;
    this.named.clear();
  }

  private listedIds(now: number): string[] {
    if (this.ids) {
      for (const id of this.named) {
        if (holds(this.ids, id)) continue;
        this.ids = null;
        break;
      }
      this.named.clear();
    }
    return (this.ids ??= this.queue.agents(now).map((a) => a.agent));
  }

  /**
   * The agents all(now) lists, in its order, for which `pick` returns true; only those are
   * built. `pick` sees each agent through one reused probe (ghost flag and adherence computed
   * when asked), so a 20,000-agent site with no agent picked allocates next to nothing.
   * `withAbsent` false leaves out the rostered agents with no session (never ghosts).
   */
  pick(now: number, pick: (a: AgentProbe) => boolean, withAbsent = true): AgentLive[] {
    const out: AgentLive[] = [];
    const ids = this.listedIds(now);
    const p = this.probe;
    p.now = now;
    p.live = true;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as string;
      p.agent = id;
      if (!pick(p)) continue;
      const core = this.queue.agent(id, now);
      if (!core) {
        // The engine dropped an agent without a roll through this runtime: read the list again.
        this.dropIds();
        return this.pick(now, pick, withAbsent);
      }
      out.push(this.merge(core, now));
    }
    if (this.workforce && withAbsent) {
      p.live = false;
      for (const [id, team] of this.rosterIndex(now)) {
        if (holds(ids, id)) continue;
        p.agent = id;
        if (pick(p)) out.push(this.absent(id, team, now));
      }
    }
    p.agent = '';
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
  moved(
    now: number,
    feed: DeltaBuilder,
    skip: ReadonlySet<string>,
    agents: AgentLive[],
    gone: string[],
  ): void {
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
      if (
        feed.publishedTimeKey(id) ===
        timeKey(
          fast ?? core?.stale ?? false,
          adh.adherence,
          outSinceMs(adh, now),
          adh.scheduled_activity,
        )
      )
        continue;
      core ??= this.queue.agent(id, now);
      if (!core) continue;
      agents.push(live(core, adh, now, this.config().timezone));
    }
    for (const [id, team] of rostered)
      if (!shown.has(id) && !skip.has(id) && !this.queue.agent(id, now))
        agents.push(this.absent(id, team, now));
  }
}
