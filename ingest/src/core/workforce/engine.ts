// The live workforce engine of one site: each agent's state timeline (folded into runs),
// roster segments and excused spans, and from them today-so-far login conformance,
// adherence and attendance per agent, team and site. Pure: time comes in as `now`.
import type { FwEvent } from '../contract.js';
import type { AgentAdherence, ExcusedSpan, RosterSegment, WorkforceModule } from '../modules.js';
import type { SiteConfig } from '../site-config.js';
import type { TeamLive } from '../snapshot.js';
import { LOGGED_OUT, segmentStatus, stateKey, StateClasses } from './adherence-map.js';
import { agentDayFigures, type AgentDayFigures } from './agent-figures.js';
import { addChange, dropBefore, keyAt, newTimeline, normalize, type Timeline } from './timeline.js';
import { dayStartMs, operatingDay } from './time.js';
import { groupFigures, teamLive, type GroupFigures } from './team-figures.js';
import './config.js';

interface AgentRec {
  tl: Timeline;
  /** Sorted by start; disjoint (validated on upload). */
  segs: RosterSegment[];
  /** Sorted by start; disjoint (validated on entry). */
  excused: ExcusedSpan[];
}

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
  const agents = new Map<string, AgentRec>();

  const rec = (agent: string): AgentRec => {
    let r = agents.get(agent);
    if (!r) {
      r = { tl: newTimeline(), segs: [], excused: [] };
      agents.set(agent, r);
    }
    return r;
  };
  const today = (now: number) => operatingDay(now, cfg.timezone, cfg.day_start);

  function agentFigures(now: number): AgentDayFigures[] {
    const day = today(now);
    const out: AgentDayFigures[] = [];
    for (const [agent, r] of agents) {
      const segs = r.segs.filter((s) => s.day === day);
      if (segs.length === 0) continue;
      out.push(agentDayFigures(agent, day, segs, r.excused, r.tl, cfg.workforce, now));
    }
    return out.sort((a, b) => (a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : 0));
  }

  function teams(now: number): TeamLive[] {
    return groupFigures(agentFigures(now), 'team').map(teamLive);
  }

  function agentAdherence(agent: string, now: number): AgentAdherence {
    const r = agents.get(agent);
    const seg = r?.segs.find((s) => s.start <= now && now < s.end);
    if (!r || !seg) return { adherence: 'unscheduled', out_of_adherence_s: 0, scheduled_activity: null };
    const st = segmentStatus(cfg.workforce, seg.activity, keyAt(r.tl, now).key);
    if (st !== 'out') return { adherence: st, out_of_adherence_s: 0, scheduled_activity: seg.activity };
    // Walk back over (run, segment) pieces while they stay out: continuous time out.
    let t = now;
    for (;;) {
      const s = r.segs.find((x) => x.start < t && t <= x.end);
      if (!s) break;
      const run = keyAt(r.tl, t - 1);
      if (segmentStatus(cfg.workforce, s.activity, run.key) !== 'out') break;
      const from = Math.max(s.start, run.start);
      if (from >= t) break;
      t = from;
    }
    return { adherence: 'out', out_of_adherence_s: (now - t) / 1000, scheduled_activity: seg.activity };
  }

  return {
    configure(next: SiteConfig) {
      cfg = next;
      classes = new StateClasses(cfg.workforce);
      for (const r of agents.values()) normalize(r.tl, classes);
    },
    apply(ev: FwEvent) {
      let key: string;
      if (ev.type === 'agent.login') key = 'not_ready';
      else if (ev.type === 'agent.logout') key = LOGGED_OUT;
      else if (ev.type === 'agent.state') key = stateKey(ev.state, ev.reason);
      else return;
      if (ev.site !== site) return;
      addChange(rec(ev.agent).tl, ev.ts, key, classes);
    },
    setRoster(segments, replaced) {
      const drop = new Map<string, Set<string>>();
      for (const { agent, day } of replaced) {
        const s = drop.get(agent) ?? new Set<string>();
        s.add(day);
        drop.set(agent, s);
      }
      for (const [agent, days] of drop) {
        const r = agents.get(agent);
        if (r) r.segs = r.segs.filter((s) => !days.has(s.day));
      }
      for (const s of segments) rec(s.agent).segs.push({ ...s });
      for (const agent of new Set(segments.map((s) => s.agent))) rec(agent).segs.sort((a, b) => a.start - b.start);
    },
    addExcused(spans) {
      for (const x of spans) {
        const r = rec(x.agent);
        if (r.excused.some((e) => e.id === x.id)) continue;
        r.excused.push({ ...x });
        r.excused.sort((a, b) => a.start - b.start);
      }
    },
    agentAdherence,
    rosteredAgents(now) {
      const day = today(now);
      const dayStart = dayStartMs(day, cfg.timezone, cfg.day_start);
      const out: { agent: string; team: string }[] = [];
      for (const [agent, r] of agents) {
        const seg = r.segs.find((s) => s.day === day);
        if (!seg) continue;
        const cur = keyAt(r.tl, now);
        const signedIn = cur.key !== LOGGED_OUT || r.tl.starts.some((t, i) => t >= dayStart && t < now && r.tl.keys[i] !== LOGGED_OUT);
        if (!signedIn) out.push({ agent, team: seg.team });
      }
      return out;
    },
    teams,
    roll(now) {
      const start = dayStartMs(today(now), cfg.timezone, cfg.day_start);
      for (const [agent, r] of agents) {
        r.segs = r.segs.filter((s) => s.end > start);
        r.excused = r.excused.filter((x) => x.end > start);
        const keepFrom = Math.min(start, ...r.segs.map((s) => s.start));
        dropBefore(r.tl, keepFrom);
        const last = r.tl.keys.length - 1;
        const idle = r.segs.length === 0 && r.excused.length === 0 && (last < 0 || (r.tl.keys[last] === LOGGED_OUT && (r.tl.starts[last] as number) < start));
        if (idle) agents.delete(agent);
      }
    },
    agentFigures,
    live(now) {
      const list = agentFigures(now);
      const teamsF = groupFigures(list, 'team');
      const siteF = groupFigures(list, 'site', site)[0] ?? groupFigures([], 'site', site)[0];
      return { site, day: today(now), agents: list, teams: teamsF, site_figures: siteF as GroupFigures };
    },
    size: () => agents.size,
  };
}
