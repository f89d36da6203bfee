// The live workforce engine of one site: each agent's state timeline (folded into runs),
// roster segments and excused spans, and from them today-so-far login conformance,
// adherence and attendance per agent, team and site. Pure: time comes in as `now`.
import type { FwEvent } from '../contract.js';
import type { AgentAdherence, ExcusedSpan, RosterSegment, WorkforceModule } from '../modules.js';
import type { SiteConfig } from '../site-config.js';
import type { TeamLive } from '../snapshot.js';
import { LOGGED_OUT, segmentStatus, stateKey, StateClasses } from './adherence-map.js';
import { agentDayFigures, type AgentDayFigures } from './agent-figures.js';
import { addChange, dropBefore, keyAt, normalize, type Timeline } from './timeline.js';
import { dayStartMs, operatingDay } from './time.js';
import { groupFigures, teamLive, type GroupFigures } from './team-figures.js';
import './config.js';

/**
 * One agent: its state timeline (the record is its own Timeline, one object less per
 * agent), roster segments and excused spans. Agents with no roster or excused time share
 * one frozen empty array for each (replaced, never pushed to, on first write): most agents
 * have neither, and two empty arrays each would count against the 2 KB-per-agent goal.
 */
interface AgentRec extends Timeline {
  /** Sorted by start; disjoint (validated on upload). */
  segs: RosterSegment[];
  /** Sorted by start; disjoint (validated on entry). */
  excused: ExcusedSpan[];
  /** Bumped on every change to this agent; the figures cache is valid for one version. */
  ver: number;
  cache: FiguresCache | null;
}

/**
 * An agent's figures do not move with time before its first segment of the day starts,
 * nor once its last segment and the sign-out window have passed. Caching them over those
 * windows means only agents mid-shift are recomputed per board frame: a full recomputation
 * reads every agent's roster, too much for a 20,000-agent site's frames within the 250 ms
 * event-to-board budget.
 */
interface FiguresCache {
  ver: number;
  cfgVer: number;
  day: string;
  from: number;
  to: number;
  f: AgentDayFigures;
}

const TEAMS_MEMO_MS = 1000;

const NONE: never[] = Object.freeze([]) as never[];
/** The adherence of an agent with no segment now: one shared, frozen object (callers only read it). */
const UNSCHEDULED: AgentAdherence = Object.freeze({
  adherence: 'unscheduled',
  out_of_adherence_s: 0,
  scheduled_activity: null,
});

/**
 * Interned strings (state keys, teams, days, activities): each event and roster row
 * carries its own copies, and `not_ready:<reason>` is built per event, while a site has
 * few distinct values. Past MAX_INTERNED distinct values the table starts over (values
 * already held stay valid, they are just not shared any more).
 */
const MAX_INTERNED = 10_000;

/** The checkpoint's share (ingest/src/runtime/checkpoints.ts): each agent's state timeline. */
export type WorkforceCheckpoint = { agent: string; starts: number[]; keys: string[] }[];

export interface WorkforceLive {
  site: string;
  day: string;
  agents: AgentDayFigures[];
  teams: GroupFigures[];
  site_figures: GroupFigures;
}

export interface WorkforceEngine extends WorkforceModule {
  /** Today-so-far figures of every rostered agent (operating day containing `now`). */
  agentFigures(now: number): AgentDayFigures[];
  /** Everything GET /api/live/workforce returns. */
  live(now: number): WorkforceLive;
  /** Live agents tracked (for memory measurements). */
  size(): number;
}

export function createWorkforceEngine(site: string, initial: SiteConfig): WorkforceEngine {
  let cfg = initial;
  let classes = new StateClasses(cfg.workforce);
  let cfgVer = 0;
  // Roster, excused time or configuration changed: the team memo is dropped at once.
  let structVer = 0;
  let teamsMemo: { at: number; structVer: number; value: TeamLive[] } | null = null;
  const agents = new Map<string, AgentRec>();
  const interned = new Map<string, string>();
  const intern = (x: string): string => {
    const v = interned.get(x);
    if (v !== undefined) return v;
    if (interned.size >= MAX_INTERNED) interned.clear();
    interned.set(x, x);
    return x;
  };

  const rec = (agent: string): AgentRec => {
    let r = agents.get(agent);
    if (!r) {
      r = { starts: NONE, keys: NONE, segs: NONE, excused: NONE, ver: 0, cache: null };
      agents.set(agent, r);
    }
    r.ver++;
    return r;
  };
  const today = (now: number) => operatingDay(now, cfg.timezone, cfg.day_start);

  function agentFigures(now: number): AgentDayFigures[] {
    const day = today(now);
    const out: AgentDayFigures[] = [];
    for (const [agent, r] of agents) {
      const c = r.cache;
      if (
        c &&
        c.ver === r.ver &&
        c.cfgVer === cfgVer &&
        c.day === day &&
        now >= c.from &&
        // Not at the first segment's start: from then on its time accrues (scheduled_now).
        now < c.to
      ) {
        out.push(c.f);
        continue;
      }
      // Most signed-in agents may have no roster: no array per agent per call (teams() runs
      // every second for the alert engine).
      if (r.segs.length === 0) continue;
      const segs = r.segs.filter((s) => s.day === day);
      if (segs.length === 0) continue;
      const f = agentDayFigures(agent, day, segs, r.excused, r, cfg.workforce, now);
      r.cache = cacheWindow(segs, r, now, f, r.ver);
      out.push(f);
    }
    return out.sort((a, b) => (a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : 0));
  }

  function cacheWindow(
    segs: RosterSegment[],
    tl: Timeline,
    now: number,
    f: AgentDayFigures,
    ver: number,
  ): FiguresCache | null {
    // A change stamped in the future (clock skew) would start a run later: no cache.
    const last = tl.starts[tl.starts.length - 1];
    if (last !== undefined && last > now) return null;
    let first = Infinity;
    let settled = -Infinity;
    for (const s of segs) {
      first = Math.min(first, s.start);
      settled = Math.max(
        settled,
        s.end +
          (cfg.workforce.work_activities.includes(s.activity)
            ? cfg.workforce.sign_out_late_s * 1000
            : 0),
      );
    }
    if (now <= first) return { ver, cfgVer, day: f.day, from: -Infinity, to: first, f };
    if (now >= settled) return { ver, cfgVer, day: f.day, from: settled, to: Infinity, f };
    return null;
  }

  /**
   * Team tiles, recomputed at most once per second of `now` unless the roster, excused time
   * or configuration changed: the work grows with the agents mid-shift (up to 20,000), and
   * the alert engine asks on every applied batch. Sign-ins therefore reach the team tiles
   * within 1 s; GET /api/live/workforce is never memoised.
   */
  function teams(now: number): TeamLive[] {
    const m = teamsMemo;
    if (m && m.structVer === structVer && now >= m.at && now - m.at < TEAMS_MEMO_MS) return m.value;
    const value = groupFigures(agentFigures(now), 'team').map((g) =>
      teamLive(g, now, cfg.timezone),
    );
    teamsMemo = { at: now, structVer, value };
    return value;
  }

  function agentAdherence(agent: string, now: number): AgentAdherence {
    const r = agents.get(agent);
    if (!r) return UNSCHEDULED;
    // A loop, not find(): the alert sources ask for every agent, and a closure per agent was
    // most of what that allocated.
    let seg: (typeof r.segs)[number] | undefined;
    for (let i = 0; i < r.segs.length; i++) {
      const s = r.segs[i]!;
      if (s.start <= now && now < s.end) {
        seg = s;
        break;
      }
    }
    if (!seg) return UNSCHEDULED;
    const st = segmentStatus(cfg.workforce, seg.activity, keyAt(r, now).key);
    if (st !== 'out')
      return { adherence: st, out_of_adherence_s: 0, scheduled_activity: seg.activity };
    // Walk back over (run, segment) pieces while they stay out: continuous time out.
    let t = now;
    for (;;) {
      const s = r.segs.find((x) => x.start < t && t <= x.end);
      if (!s) break;
      const run = keyAt(r, t - 1);
      if (segmentStatus(cfg.workforce, s.activity, run.key) !== 'out') break;
      const from = Math.max(s.start, run.start);
      if (from >= t) break;
      t = from;
    }
    return {
      adherence: 'out',
      out_of_adherence_s: (now - t) / 1000,
      scheduled_activity: seg.activity,
    };
  }

  return {
    configure(next: SiteConfig) {
      cfg = next;
      cfgVer++;
      structVer++;
      classes = new StateClasses(cfg.workforce);
      for (const r of agents.values()) normalize(r, classes);
    },
    apply(ev: FwEvent) {
      let key: string;
      if (ev.type === 'agent.login') key = 'not_ready';
      else if (ev.type === 'agent.logout') key = LOGGED_OUT;
      else if (ev.type === 'agent.state') key = stateKey(ev.state, ev.reason);
      else return;
      if (ev.site !== site) return;
      addChange(rec(ev.agent), ev.ts, intern(key), classes);
    },
    setRoster(segments, replaced) {
      structVer++;
      const drop = new Map<string, Set<string>>();
      for (const { agent, day } of replaced) {
        const s = drop.get(agent) ?? new Set<string>();
        s.add(day);
        drop.set(agent, s);
      }
      for (const [agent, days] of drop) {
        const r = agents.get(agent);
        if (r) {
          const kept = r.segs.filter((s) => !days.has(s.day));
          r.segs = kept.length ? kept : NONE;
          r.ver++;
        }
      }
      const added = new Map<string, RosterSegment[]>();
      for (const s of segments) {
        let xs = added.get(s.agent);
        if (!xs) added.set(s.agent, (xs = []));
        xs.push({ ...s, team: intern(s.team), day: intern(s.day), activity: intern(s.activity) });
      }
      for (const [agent, xs] of added) {
        const r = rec(agent);
        r.segs = r.segs.concat(xs).sort((a, b) => a.start - b.start);
      }
    },
    addExcused(spans) {
      structVer++;
      for (const x of spans) {
        const r = rec(x.agent);
        if (r.excused.some((e) => e.id === x.id)) continue;
        r.excused = r.excused.concat([{ ...x }]).sort((a, b) => a.start - b.start);
      }
    },
    agentAdherence,
    segments(agent) {
      return agents.get(agent)?.segs ?? NONE;
    },
    rosteredAgents(now) {
      const day = today(now);
      const dayStart = dayStartMs(day, cfg.timezone, cfg.day_start);
      const out: { agent: string; team: string }[] = [];
      // forEach and index loops, not for-of and find(): the alert sources read this every
      // few seconds for every agent, and entry arrays and closures per agent were its garbage.
      agents.forEach((r, agent) => {
        // Today's segment, or else one still running from an earlier day: a night shift
        // rostered from 22:00 stays on the board (and in the adherence alert) after midnight.
        let seg: (typeof r.segs)[number] | undefined;
        let running: (typeof r.segs)[number] | undefined;
        for (let i = 0; i < r.segs.length; i++) {
          const s = r.segs[i]!;
          if (s.day === day) {
            seg = s;
            break;
          }
          if (running === undefined && s.start <= now && now < s.end) running = s;
        }
        seg ??= running;
        if (!seg) return;
        // For an earlier day's shift, a session at or since its start counts (the timeline
        // before the day's start is kept only from the segment's start on).
        const early = seg.day !== day;
        const from = early ? seg.start : dayStart;
        const cur = keyAt(r, now);
        const signedIn =
          cur.key !== LOGGED_OUT ||
          (early && keyAt(r, from).key !== LOGGED_OUT) ||
          r.starts.some((t, i) => t >= from && t < now && r.keys[i] !== LOGGED_OUT);
        if (!signedIn) out.push({ agent, team: seg.team });
      });
      return out;
    },
    teams,
    roll(now) {
      const start = dayStartMs(today(now), cfg.timezone, cfg.day_start);
      cfgVer++;
      structVer++;
      for (const [agent, r] of agents) {
        const segs = r.segs.filter((s) => s.end > start);
        const excused = r.excused.filter((x) => x.end > start);
        r.segs = segs.length ? segs : NONE;
        r.excused = excused.length ? excused : NONE;
        const keepFrom = Math.min(start, ...r.segs.map((s) => s.start));
        dropBefore(r, keepFrom);
        const last = r.keys.length - 1;
        const idle =
          r.segs.length === 0 &&
          r.excused.length === 0 &&
          (last < 0 || (r.keys[last] === LOGGED_OUT && (r.starts[last] as number) < start));
        if (idle) agents.delete(agent);
      }
    },
    exportState(): WorkforceCheckpoint {
      const out: WorkforceCheckpoint = [];
      for (const [agent, r] of agents)
        if (r.starts.length) out.push({ agent, starts: r.starts, keys: r.keys });
      return out;
    },
    importState(state) {
      cfgVer++;
      structVer++;
      for (const r of agents.values()) [r.starts, r.keys] = [NONE, NONE];
      for (const x of state as WorkforceCheckpoint) {
        const r = rec(x.agent);
        r.starts = x.starts.length ? x.starts : NONE;
        r.keys = x.keys.length ? x.keys.map(intern) : NONE;
        r.cache = null;
      }
    },
    agentFigures,
    live(now) {
      const list = agentFigures(now);
      const teamsF = groupFigures(list, 'team');
      const siteF = groupFigures(list, 'site', site)[0] ?? groupFigures([], 'site', site)[0];
      return {
        site,
        day: today(now),
        agents: list,
        teams: teamsF,
        site_figures: siteF as GroupFigures,
      };
    },
    size: () => agents.size,
  };
}
