// The live queue and agent engine of one site: a pure reducer from committed events to
// live state (calls waiting, agents by state) and per-interval aggregates, plus the
// calculators for the board and the interval report. No timers, no I/O: time is `now`.
//
// Definitions (design.md), exactly as queries/reports/intervals.sql computes them:
// - wait = end of the queue phase (earliest call.answered / call.abandoned) minus the
//   earliest call.offered of the call (overflow keeps it); negative waits count as 0.
// - offered/answered/abandoned are counted in the interval (and queue) where the queue
//   phase ended; within threshold = wait <= T; short abandon = wait < short_abandon_s.
// - AHT: handle = (newest call.ended - earliest call.answered) [talk + hold] + wrap-up,
//   where wrap-up is: the ending agent's first event at or after call.ended; if it is a
//   wrap_up state, the time until that agent's next event, else 0. The call counts in the
//   interval and queue of its call.ended once that is known (wrap-up over).
// - Intervals are local wall-clock floors in the site zone (time-buckets.ts). Aggregates
//   are kept in 15-minute buckets and summed to 30/60 at read, so changing
//   interval_minutes needs no rebuild.
//
// Out of order: a call's figures are a function of its record (call-record.ts), so each
// event replaces the call's old contribution with the new one, whatever the arrival
// order. Agent events are placed in event-time order in a short per-agent history.
// Finished calls are folded (record dropped, contribution kept) once the newest event
// time is `foldAfterMs` past everything they depend on. No tombstone per folded call is
// kept (their ids would grow with the day's calls, about a million at 20,000 agents, against
// the 2 KB-per-agent goal): a call first seen through an event older than the horizon is
// "late-born" and never shown as waiting. An agent event older than the agent's settled
// history is not applied live (SQL still counts it) and is counted in stats().tooLate.
//
// Files: engine-state.ts (the state), contributions.ts (a call's share of the figures),
// fold.ts (forgetting), live-queues.ts (board figures), interval-rows.ts (report rows and
// rolling SL); this file applies events and exposes the module.
import { isQueueEvent, type FwEvent, type QueueEvent } from '../contract.js';
import type { QueueEngineModule } from '../modules.js';
import { callExpiryMs, type SiteConfig } from '../site-config.js';
import { insertEvent, prune, toAgentEv, type AgentRec } from './agent-timeline.js';
import { foldCallEvent, newCall } from './call-record.js';
import { refresh, refreshExpiry } from './contributions.js';
import {
  GRAIN_MIN,
  agentRec,
  createState,
  dayOf,
  foldHorizon,
  sharedList,
  type EngineState,
} from './engine-state.js';
import { HELD_CALL_BYTES, foldToBudget, roll, sweep } from './fold.js';
import { intervalRows, rollingServiceLevel } from './interval-rows.js';
import { agentCore, isStale, liveQueues } from './live-queues.js';
import { settler } from './occupancy.js';
import { exportQueueState, importQueueState, type QueueCheckpoint } from './checkpoint.js';

/** Fold sweeps run at most every 10 s of event time. */
const SWEEP_EVERY_MS = 10_000;

export interface QueueEngineOptions {
  latenessMs: number;
  /** How long (event time) a finished call's record is kept for late events; default max(5 min, 30 x lateness). */
  foldAfterMs?: number;
  /**
   * At most this many finished calls are kept for late events (default 100,000: five
   * minutes of a 20,000-agent site taking a call per agent per minute). Past it the oldest
   * are folded early, but never within max(lateness, 10 s) of the newest event.
   */
  maxHeldCalls?: number;
  /**
   * Memory ceiling of the held finished calls (default 256 MiB, ~450,000 calls). Past it the
   * oldest are folded even within the lateness window: a day with millions of calls within a
   * few seconds of event time would otherwise hold them all (late events for those calls
   * are then late-born, like any event below the fold floor).
   */
  maxHeldBytes?: number;
  /** Keep per-queue agent tallies (default true); false scans every agent per read. */
  agentTallies?: boolean;
}

export interface QueueEngineStats {
  calls: number;
  agents: number;
  folded: number;
  /** Of those, folded before the horizon because the budget of held calls was full. */
  earlyFolded: number;
  /** Event time behind the newest event past which events may concern folded state (ms). */
  horizonMs: number;
  /** Agent events older than the agent's settled history (not applied live). */
  tooLate: number;
  /** Call records first seen through an event older than the fold horizon. */
  lateCalls: number;
}

export interface QueueEngine extends QueueEngineModule {
  stats(): QueueEngineStats;
}

function applyCall(s: EngineState, ev: Extract<QueueEvent, { call: string }>): void {
  let r = s.calls.get(ev.call);
  if (!r) {
    r = newCall();
    // Born from an event older than the fold horizon: the call may have been folded
    // already, so it never shows as waiting (a phantom); its figures still count, and
    // cannot count twice (a folded call's phase and handle need events it no longer has).
    if (ev.ts < foldHorizon(s)) {
      r.lateBorn = true;
      s.lateCalls++;
    }
    s.calls.set(ev.call, r);
  }
  s.known.add(ev.queue);
  if (ev.type === 'call.overflowed') s.known.add(ev.to_queue);
  foldCallEvent(r, ev);
  if ('agent' in ev) {
    const a = agentRec(s, ev.agent);
    if (ev.ts > a.lastTs) a.lastTs = ev.ts;
  }
  refresh(s, ev.call, r);
}

/**
 * Signals about an agent that change neither a call nor the agent's state: a missed ring
 * (counted per agent and day of its event time, like calls_today; an event for an earlier
 * day than the count's is left to SQL) and a heartbeat (refreshes ghost detection).
 */
function applySignal(
  s: EngineState,
  ev: Extract<FwEvent, { type: 'agent.ring_no_answer' | 'agent.heartbeat' }>,
): void {
  const a = agentRec(s, ev.agent);
  if (ev.type === 'agent.heartbeat') {
    if (ev.ts > a.lastTs) a.lastTs = ev.ts;
  } else {
    const day = dayOf(s, ev.ts).start;
    if (day > a.rnaDay) [a.rnaDay, a.rnaN, a.unreachN] = [day, 0, 0];
    if (day === a.rnaDay) {
      if (ev.ring_ms === 0) a.unreachN++;
      else a.rnaN++;
    }
  }
  s.dirtyA.add(a.id);
}

function applyAgent(
  s: EngineState,
  ev: Extract<FwEvent, { type: 'agent.login' | 'agent.logout' | 'agent.state' }>,
): void {
  const a = agentRec(s, ev.agent);
  s.tally.touch(a);
  if (ev.type === 'agent.login' && ev.ts >= a.loginTs) {
    a.loginTs = ev.ts;
    if (ev.name !== undefined) a.name = ev.name;
    if (ev.team !== undefined) a.team = sharedList(s, [ev.team])[0] as string;
    a.queues = sharedList(s, ev.queues ?? []);
    for (const q of a.queues) s.known.add(q);
  }
  if (!insertEvent(a, toAgentEv(ev))) {
    s.tooLate++;
    return;
  }
  s.dirtyA.add(a.id);
  for (const id of affectedPins(s, a, ev.ts)) {
    const r = s.calls.get(id);
    if (r) refresh(s, id, r);
  }
  if (s.maxTs !== null)
    prune(a, foldHorizon(s), settler(s.occSettled, a, s.cfg.timezone, GRAIN_MIN));
}

/**
 * The pinned calls whose handle an agent event at `ts` can change. A call's wrap-up is the
 * agent's first event at or after its end (and, for wrap_up, the next one): an event before
 * the end, or after a known wrap-up's end (`until`), leaves it as it is. Pins are sorted by
 * end, and `until` never decreases with the end (both are read off the same sorted history),
 * while a handle still unknown can only belong to the newest pins; so the walk goes from
 * the newest pin back and stops at the first known wrap-up that ended before `ts`. An agent
 * event stays O(1) however many ended calls the agent holds within the fold horizon (under
 * load an agent holds dozens, and refreshing them all would multiply each event's work).
 */
function affectedPins(s: EngineState, a: AgentRec, ts: number): string[] {
  const p = a.pins;
  if (!p) return [];
  const out: string[] = [];
  for (let i = p.length - 2; i >= 0; i -= 2) {
    if (ts < (p[i + 1] as number)) continue;
    const id = p[i] as string;
    const r = s.calls.get(id);
    if (r && r.hdQ !== null && ts > r.handleUntil) break;
    out.push(id);
  }
  return out;
}

export function createQueueEngine(
  site: string,
  cfg: SiteConfig,
  opts: QueueEngineOptions,
): QueueEngine {
  const foldAfter = opts.foldAfterMs ?? Math.max(5 * 60_000, 30 * opts.latenessMs);
  const limits = {
    foldAfter,
    maxHeld: opts.maxHeldCalls ?? 100_000,
    minFoldAfter: Math.max(10_000, opts.latenessMs),
    ceiling: Math.max(1, Math.floor((opts.maxHeldBytes ?? 256 * 2 ** 20) / HELD_CALL_BYTES)),
  };
  const s = createState(site, cfg, limits, opts.agentTallies ?? true);
  // The queue list is a function of the state and `now`: a clock tick's alert evaluation
  // and a board delta at the same instant share one list (500 queue objects, each with two
  // figure sets) instead of building it twice. Callers only read it.
  const held = () => ({
    calls: s.calls.size,
    earlyFolded: s.earlyFolded,
    horizonMs: s.maxTs === null ? s.foldAfter : s.maxTs - foldHorizon(s),
  });
  let version = 0;
  let cached: { now: number; version: number; list: ReturnType<typeof liveQueues> } | null = null;
  return {
    configure(next) {
      version++;
      const expiryChanged = callExpiryMs(next) !== callExpiryMs(s.cfg);
      s.cfg = next;
      if (expiryChanged) for (const r of s.calls.values()) refreshExpiry(s, r);
      s.dayCache = null;
      s.tally.reset();
      for (const q of Object.keys(next.queues)) s.known.add(q);
    },
    apply(ev) {
      // Work orders and surveys are the quality engine's (#21); they carry no queue.
      if (ev.site !== site || !isQueueEvent(ev)) return;
      version++;
      if (s.maxTs === null || ev.ts > s.maxTs) s.maxTs = ev.ts;
      if ('call' in ev) applyCall(s, ev);
      else if (ev.type === 'agent.ring_no_answer' || ev.type === 'agent.heartbeat')
        applySignal(s, ev);
      // A feed heartbeat only moves the newest event time (maxTs above): the feed is alive.
      else if (ev.type === 'feed.heartbeat') return;
      // A break request is not a state change (the work-state engine takes it).
      else if (ev.type !== 'agent.break_requested') applyAgent(s, ev);
      if (s.maxTs - s.lastSweep >= SWEEP_EVERY_MS) {
        s.lastSweep = s.maxTs;
        sweep(s);
      }
      if (
        s.foldable.size > s.budgetCheckAt &&
        (s.maxTs >= s.budgetCheckTs || s.foldable.size > s.ceiling)
      )
        foldToBudget(s);
    },
    queues(now) {
      if (cached && cached.now === now && cached.version === version) return cached.list;
      const list = liveQueues(s, now);
      cached = { now, version, list };
      return list;
    },
    agents(now) {
      return [...s.agents.values()]
        .filter((a) => a.hist.length > 0 || a.cur.loggedIn)
        .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
        .map((a) => agentCore(s, a, now));
    },
    agent(id, now) {
      const a = s.agents.get(id);
      return a ? agentCore(s, a, now) : undefined;
    },
    agentStale(id, now) {
      const a = s.agents.get(id);
      return a ? isStale(s, a, now) : undefined;
    },
    intervals: (now) => intervalRows(s, now),
    rollingServiceLevel: (queue, windowMs, now) => rollingServiceLevel(s, queue, windowMs, now),
    lastEventAt: () => s.maxTs,
    takeDirty() {
      const d = { queues: s.dirtyQ, agents: s.dirtyA };
      s.dirtyQ = new Set();
      s.dirtyA = new Set();
      return d;
    },
    roll(now) {
      version++;
      roll(s, now);
    },
    held,
    exportState: () => exportQueueState(s),
    importState(state) {
      version++;
      cached = null;
      importQueueState(s, state as QueueCheckpoint);
    },
    stats: () => ({
      ...held(),
      agents: s.agents.size,
      folded: s.foldedCount,
      tooLate: s.tooLate,
      lateCalls: s.lateCalls,
    }),
  };
}
