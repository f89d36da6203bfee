// The live work-state engine of one site (工作状态管理): who is in which not-ready reason
// since when, each team's and queue group's agents on break against its cap, and the break
// requests with every decision (who, when). Pure: time comes in as `now` or event `ts`;
// the alert sources (alerts.ts) and the routes read it.
import type { FwEvent } from '../contract.js';
import type { RosterSegment } from '../modules.js';
import type { SiteConfig } from '../site-config.js';
import {
  DEFAULT_WORK_STATE,
  capValue,
  limitFor,
  type BreakCap,
  type WorkStateConfig,
} from './config.js';

export interface AgentWork {
  agent: string;
  team: string;
  queues: readonly string[];
  loggedIn: boolean;
  state: string;
  reason: string | null;
  /** Epoch ms the current state began. */
  since: number;
  /** Newest event applied (older ones arriving late are ignored here; history counts them). */
  lastTs: number;
}

export type RequestStatus =
  'pending' | 'granted' | 'deferred' | 'refused' | 'started' | 'cancelled';

export interface BreakRequest {
  id: string;
  site: string;
  agent: string;
  team: string;
  reason: string;
  /** Minutes asked for, or null for the reason's limit. */
  minutes: number | null;
  source: 'event' | 'board';
  requested_at: number;
  requested_by: string;
  status: RequestStatus;
  decided_at: number | null;
  decided_by: string | null;
  note: string | null;
}

/** One recorded step of a request (stored as a row: who and when). */
export interface RequestChange {
  request: BreakRequest;
  action: 'requested' | 'granted' | 'deferred' | 'refused' | 'started' | 'cancelled';
  at: number;
  by: string;
}

export interface Overrun {
  agent: string;
  team: string;
  reason: string;
  since: number;
  /** Epoch ms the allowance ran out (since + limit, or the rostered segment's end). */
  deadline: number;
  limit_s: number;
  over_s: number;
}

export interface CapStatus {
  /** "team:<team>" or "group:<name>". */
  key: string;
  kind: 'team' | 'group';
  name: string;
  signed_in: number;
  on_break: number;
  /** Granted requests not started yet: they hold a place under the cap. */
  granted_waiting: number;
  cap: number;
  cap_rule: BreakCap;
}

export interface WorkStateModule {
  configure(cfg: SiteConfig): void;
  apply(ev: FwEvent): void;
  /** Roster segments for "rostered" limits (the workforce engine's). */
  setRosterLookup(fn: (agent: string) => readonly RosterSegment[]): void;
  agents(): Iterable<AgentWork>;
  overruns(now: number): Overrun[];
  caps(now: number): CapStatus[];
  /** Earliest future instant an overrun begins (for an exact raise), or null. */
  nextDeadline(now: number): number | null;
  request(input: {
    id?: string;
    agent: string;
    reason?: string;
    minutes?: number | null;
    source: 'event' | 'board';
    by: string;
    at: number;
    team?: string;
  }): RequestChange[];
  decide(
    id: string,
    decision: 'grant' | 'defer' | 'refuse',
    by: string,
    at: number,
    note?: string | null,
  ): RequestChange[];
  /** Grants deferred requests in arrival order while their team is under its cap (auto_grant). */
  sweep(now: number): RequestChange[];
  requests(): BreakRequest[];
  get(id: string): BreakRequest | undefined;
  /** Re-creates requests from stored steps at start-up (no changes are emitted). */
  restore(requests: readonly BreakRequest[]): void;
  /** Changes made by apply() (requests from events, starts), taken once. */
  takeChanges(): RequestChange[];
  /** Event-derived state for a checkpoint (live objects: serialise them in the same turn). */
  exportState?(): WorkStateCheckpoint;
  /**
   * Sets the agents' work states from a checkpoint. Requests already restored from the store
   * keep their stored step (a lead's decision after the checkpoint); the checkpoint adds the
   * ones the store does not have yet.
   */
  importState?(state: WorkStateCheckpoint): void;
  roll(now: number): void;
  config(): WorkStateConfig;
}

/** The checkpoint's share (ingest/src/runtime/checkpoints.ts). */
export interface WorkStateCheckpoint {
  agents: Map<string, AgentWork>;
  requests: BreakRequest[];
  seq: number;
}

const OPEN: ReadonlySet<RequestStatus> = new Set(['pending', 'granted', 'deferred']);

export function createWorkStateEngine(site: string, initial: SiteConfig): WorkStateModule {
  let cfg: WorkStateConfig = initial.work_state ?? DEFAULT_WORK_STATE;
  const agents = new Map<string, AgentWork>();
  const reqs = new Map<string, BreakRequest>();
  let pendingChanges: RequestChange[] = [];
  let roster: (agent: string) => readonly RosterSegment[] = () => [];
  let seq = 0;

  const rec = (id: string, ts: number): AgentWork => {
    let a = agents.get(id);
    if (!a) {
      a = {
        agent: id,
        team: '',
        queues: [],
        loggedIn: false,
        state: 'logged_out',
        reason: null,
        since: ts,
        lastTs: -Infinity,
      };
      agents.set(id, a);
    }
    return a;
  };
  const onBreak = (a: AgentWork): boolean =>
    a.loggedIn &&
    a.state === 'not_ready' &&
    a.reason !== null &&
    cfg.cap_reasons.includes(a.reason);

  function deadlineOf(a: AgentWork): { deadline: number; limit_s: number } | null {
    if (!a.loggedIn || a.state !== 'not_ready' || a.reason === null) return null;
    const lim = limitFor(cfg, a.team, a.reason);
    if (lim === undefined) return null;
    if (lim === 'rostered') {
      // The rostered segment of that activity the state began in (or the next one starting
      // within 5 min: an agent who goes to training a little early is not over at its start).
      const seg = roster(a.agent).find(
        (s) => s.activity === a.reason && s.start - 300_000 <= a.since && a.since < s.end,
      );
      return seg
        ? { deadline: seg.end, limit_s: (seg.end - Math.max(seg.start, a.since)) / 1000 }
        : null;
    }
    return { deadline: a.since + lim * 60_000, limit_s: lim * 60 };
  }

  interface Member {
    signedIn: number;
    onBreak: number;
    waiting: number;
  }
  function tally(): { teams: Map<string, Member>; groups: Map<string, Member> } {
    const teams = new Map<string, Member>();
    const groups = new Map<string, Member>();
    const waitingBy = new Map<string, number>();
    for (const r of reqs.values())
      if (r.status === 'granted') waitingBy.set(r.agent, (waitingBy.get(r.agent) ?? 0) + 1);
    const bump = (m: Map<string, Member>, k: string, a: AgentWork) => {
      let x = m.get(k);
      if (!x) m.set(k, (x = { signedIn: 0, onBreak: 0, waiting: 0 }));
      x.signedIn++;
      if (onBreak(a)) x.onBreak++;
      else if (waitingBy.has(a.agent)) x.waiting++;
    };
    for (const a of agents.values()) {
      if (!a.loggedIn) continue;
      bump(teams, a.team, a);
      for (const g of cfg.group_caps)
        if (g.queues.some((q) => a.queues.includes(q))) bump(groups, g.name, a);
    }
    return { teams, groups };
  }

  function caps(): CapStatus[] {
    const { teams, groups } = tally();
    const out: CapStatus[] = [];
    for (const [team, m] of teams) {
      const rule = cfg.team_caps[team] ?? cfg.team_cap;
      if (!rule) continue;
      out.push({
        key: `team:${team}`,
        kind: 'team',
        name: team,
        signed_in: m.signedIn,
        on_break: m.onBreak,
        granted_waiting: m.waiting,
        cap: capValue(rule, m.signedIn),
        cap_rule: rule,
      });
    }
    for (const g of cfg.group_caps) {
      const m = groups.get(g.name) ?? { signedIn: 0, onBreak: 0, waiting: 0 };
      const rule: BreakCap = {};
      if (g.max !== undefined) rule.max = g.max;
      if (g.share !== undefined) rule.share = g.share;
      out.push({
        key: `group:${g.name}`,
        kind: 'group',
        name: g.name,
        signed_in: m.signedIn,
        on_break: m.onBreak,
        granted_waiting: m.waiting,
        cap: capValue(rule, m.signedIn),
        cap_rule: rule,
      });
    }
    return out;
  }

  /** Whether one more agent of this team may go on break under every cap that applies. */
  function room(agent: AgentWork): boolean {
    for (const c of caps()) {
      const applies =
        c.kind === 'team'
          ? c.name === agent.team
          : cfg.group_caps.some(
              (g) => g.name === c.name && g.queues.some((q) => agent.queues.includes(q)),
            );
      if (applies && c.on_break + c.granted_waiting + 1 > c.cap) return false;
    }
    return true;
  }

  function change(
    r: BreakRequest,
    action: RequestChange['action'],
    at: number,
    by: string,
  ): RequestChange {
    return { request: { ...r }, action, at, by };
  }

  function setStatus(
    r: BreakRequest,
    status: RequestStatus,
    at: number,
    by: string,
    note: string | null = null,
  ): RequestChange {
    r.status = status;
    r.decided_at = at;
    r.decided_by = by;
    if (note !== null) r.note = note;
    return change(
      r,
      status === 'pending' ? 'requested' : (status as RequestChange['action']),
      at,
      by,
    );
  }

  function startRequests(a: AgentWork, at: number): void {
    if (!onBreak(a)) return;
    for (const r of reqs.values()) {
      if (r.agent === a.agent && OPEN.has(r.status) && r.reason === a.reason)
        pendingChanges.push(setStatus(r, 'started', at, a.agent));
    }
  }

  const api: WorkStateModule = {
    configure(next) {
      cfg = next.work_state ?? DEFAULT_WORK_STATE;
    },
    setRosterLookup(fn) {
      roster = fn;
    },
    apply(ev) {
      if (ev.site !== site || !('agent' in ev)) return;
      if ((ev.type as string) === 'agent.break_requested') {
        const e = ev as unknown as {
          id: string;
          agent: string;
          reason?: string;
          minutes?: number;
          ts: number;
        };
        pendingChanges.push(
          ...api.request({
            id: `${site}:${e.id}`,
            agent: e.agent,
            reason: e.reason ?? 'break',
            minutes: e.minutes ?? null,
            source: 'event',
            by: e.agent,
            at: e.ts,
          }),
        );
        return;
      }
      if (ev.type !== 'agent.login' && ev.type !== 'agent.logout' && ev.type !== 'agent.state')
        return;
      const a = rec(ev.agent, ev.ts);
      if (ev.ts < a.lastTs) return;
      a.lastTs = ev.ts;
      if (ev.type === 'agent.login') {
        if (ev.team !== undefined) a.team = ev.team;
        if (ev.queues !== undefined) a.queues = ev.queues;
        if (!a.loggedIn) {
          a.loggedIn = true;
          a.state = 'not_ready';
          a.reason = null;
          a.since = ev.ts;
        }
        return;
      }
      if (ev.type === 'agent.logout') {
        a.loggedIn = false;
        a.state = 'logged_out';
        a.reason = null;
        a.since = ev.ts;
        return;
      }
      const reason = ev.reason ?? null;
      if (a.loggedIn && a.state === ev.state && a.reason === reason) return;
      a.loggedIn = true;
      a.state = ev.state;
      a.reason = reason;
      a.since = ev.ts;
      startRequests(a, ev.ts);
    },
    agents: () => agents.values(),
    overruns(now) {
      const out: Overrun[] = [];
      for (const a of agents.values()) {
        const d = deadlineOf(a);
        if (!d || now < d.deadline) continue;
        out.push({
          agent: a.agent,
          team: a.team,
          reason: a.reason as string,
          since: a.since,
          deadline: d.deadline,
          limit_s: d.limit_s,
          over_s: (now - d.deadline) / 1000,
        });
      }
      return out.sort((x, y) => x.deadline - y.deadline || (x.agent < y.agent ? -1 : 1));
    },
    caps: () => caps(),
    nextDeadline(now) {
      let next = Infinity;
      for (const a of agents.values()) {
        const d = deadlineOf(a);
        if (d && d.deadline > now && d.deadline < next) next = d.deadline;
      }
      return Number.isFinite(next) ? next : null;
    },
    request(input) {
      const id = input.id ?? `${site}:req:${input.at}:${input.agent}:${++seq}`;
      if (reqs.has(id)) return [];
      const a = rec(input.agent, input.at);
      if (input.team !== undefined && a.team === '') a.team = input.team;
      const reason = input.reason ?? 'break';
      // One open request per agent and reason: a repeat is the same request.
      for (const r of reqs.values())
        if (r.agent === input.agent && r.reason === reason && OPEN.has(r.status)) return [];
      const r: BreakRequest = {
        id,
        site,
        agent: input.agent,
        team: a.team,
        reason,
        minutes: input.minutes ?? null,
        source: input.source,
        requested_at: input.at,
        requested_by: input.by,
        status: 'pending',
        decided_at: null,
        decided_by: null,
        note: null,
      };
      reqs.set(id, r);
      const out = [change(r, 'requested', input.at, input.by)];
      if (cfg.auto_grant)
        out.push(
          room(a)
            ? setStatus(r, 'granted', input.at, 'rule', 'under the cap')
            : setStatus(r, 'deferred', input.at, 'rule', 'the cap is full'),
        );
      return out;
    },
    decide(id, decision, by, at, note = null) {
      const r = reqs.get(id);
      if (!r || !OPEN.has(r.status)) return [];
      const status: RequestStatus =
        decision === 'grant' ? 'granted' : decision === 'defer' ? 'deferred' : 'refused';
      // The same decision again changes nothing (a double click on the board).
      if (r.status === status) return [];
      return [setStatus(r, status, at, by, note)];
    },
    sweep(now) {
      if (!cfg.auto_grant) return [];
      const out: RequestChange[] = [];
      const deferred = [...reqs.values()]
        .filter((r) => r.status === 'deferred' && r.decided_by === 'rule')
        .sort((x, y) => x.requested_at - y.requested_at);
      for (const r of deferred) {
        const a = agents.get(r.agent);
        if (a && room(a))
          out.push(setStatus(r, 'granted', now, 'rule', 'a place under the cap came free'));
      }
      return out;
    },
    requests: () =>
      [...reqs.values()].sort((x, y) => x.requested_at - y.requested_at || (x.id < y.id ? -1 : 1)),
    get: (id) => reqs.get(id),
    restore(list) {
      for (const r of list) if (!reqs.has(r.id)) reqs.set(r.id, { ...r });
    },
    exportState: () => ({ agents, requests: [...reqs.values()], seq }),
    importState(state) {
      agents.clear();
      for (const [id, a] of state.agents) agents.set(id, a);
      api.restore(state.requests);
      seq = Math.max(seq, state.seq);
    },
    takeChanges() {
      const c = pendingChanges;
      pendingChanges = [];
      return c;
    },
    roll(now) {
      // Closed requests of earlier days are history (stored); open ones older than a day lapse.
      for (const [id, r] of reqs)
        if (!OPEN.has(r.status) || now - r.requested_at > 86_400_000) reqs.delete(id);
    },
    config: () => cfg,
  };
  return api;
}
