// The queue engine's state, shared by the modules that update it (contributions.ts,
// fold.ts) and those that read it (live-queues.ts, interval-rows.ts). One object per site.
import type { SiteConfig } from '../site-config.js';
import { newAgent, type AgentRec } from './agent-timeline.js';
import { AgentTally } from './agent-tally.js';
import type { CallRec } from './call-record.js';
import { newBucket, type Bucket } from './figures.js';
import type { OccBuckets } from './occupancy.js';
import { intervalStart, operatingDay, type OperatingDay } from './time-buckets.js';

/** Aggregation grain: 15 min divides every allowed interval (15/30/60). */
export const GRAIN_MIN = 15;
/** Rolling-SL memory: windows up to 3 h (overflow rules use minutes). */
export const RECENT_MS = 3 * 3_600_000;

export interface EngineState {
  readonly site: string;
  cfg: SiteConfig;
  /** How long (event time) a finished call's record is kept for late events. */
  readonly foldAfter: number;
  /**
   * Budget of finished calls kept for late events. Past it the oldest are folded before the
   * horizon (never closer to the newest event than `minFoldAfter`), and `foldFloor` records
   * how far: an event older than the floor may belong to a folded call.
   */
  readonly maxHeld: number;
  readonly minFoldAfter: number;
  /** Held finished calls past which the floor may pass minFoldAfter (the memory ceiling). */
  readonly ceiling: number;
  foldFloor: number;
  /** The held-call count and the newest event time that allow the next budget check. */
  budgetCheckAt: number;
  budgetCheckTs: number;
  readonly calls: Map<string, CallRec>;
  readonly agents: Map<string, AgentRec>;
  /** queue -> 15-min bucket start -> aggregates. */
  readonly buckets: Map<string, Map<number, Bucket>>;
  /** queue (or "*" for agents serving every queue) -> bucket -> settled state time. */
  readonly occSettled: OccBuckets;
  /** queue -> call -> earliest offer time, for calls waiting now. */
  readonly waiting: Map<string, Map<string, number>>;
  /** queue -> call -> its record, whose phase (end ts, kind, wait ms) counts in rolling service level. */
  readonly recent: Map<string, Map<string, CallRec>>;
  /**
   * Folded calls' [end ts, signed wait] per queue for rolling SL (wait >= 0 answered,
   * -wait-1 abandoned): two numbers per call instead of a map entry, several times smaller,
   * for every call of the rolling window (2 KB-per-agent goal).
   */
  readonly recentFolded: Map<string, { ts: number[]; w: number[] }>;
  /** Every queue seen in configuration or events. */
  readonly known: Set<string>;
  /** Calls whose figures are final: folded once the horizon passes what they depend on. */
  readonly foldable: Set<string>;
  /** Per-queue agent counts and open-history occupancy, kept as agents change. */
  readonly tally: AgentTally;
  /** False: every read scans all agents (the reference the tallies are tested against). */
  readonly useTally: boolean;
  /**
   * Shared copies of agents' queue lists and team names: each login event carries its own
   * strings, a copy per agent against the 2 KB-per-agent goal, while a site has few distinct
   * skill sets and teams.
   */
  readonly shared: Map<string, string[]>;
  dirtyQ: Set<string>;
  dirtyA: Set<string>;
  maxTs: number | null;
  lastSweep: number;
  foldedCount: number;
  /** Calls folded before the horizon because the budget was full. */
  earlyFolded: number;
  tooLate: number;
  lateCalls: number;
  dayCache: OperatingDay | null;
}

export interface FoldLimits {
  foldAfter: number;
  maxHeld: number;
  minFoldAfter: number;
  /** Default: no ceiling beyond the budget's. */
  ceiling?: number;
}

export function createState(
  site: string,
  cfg: SiteConfig,
  fold: FoldLimits,
  useTally = true,
): EngineState {
  return {
    site,
    cfg,
    foldAfter: fold.foldAfter,
    maxHeld: fold.maxHeld,
    minFoldAfter: Math.min(fold.minFoldAfter, fold.foldAfter),
    ceiling: fold.ceiling ?? Infinity,
    foldFloor: -Infinity,
    budgetCheckAt: Math.min(fold.maxHeld, fold.ceiling ?? Infinity),
    budgetCheckTs: -Infinity,
    calls: new Map(),
    agents: new Map(),
    buckets: new Map(),
    occSettled: new Map(),
    waiting: new Map(),
    recent: new Map(),
    recentFolded: new Map(),
    known: new Set(Object.keys(cfg.queues)),
    foldable: new Set(),
    tally: new AgentTally(),
    useTally,
    shared: new Map(),
    dirtyQ: new Set(),
    dirtyA: new Set(),
    maxTs: null,
    lastSweep: -Infinity,
    foldedCount: 0,
    earlyFolded: 0,
    tooLate: 0,
    lateCalls: 0,
    dayCache: null,
  };
}

/**
 * Events older than this may concern what was already folded or pruned: the fold horizon
 * behind the newest event, or the budget's floor when that is newer.
 */
export function foldHorizon(s: EngineState): number {
  return s.maxTs === null ? -Infinity : Math.max(s.maxTs - s.foldAfter, s.foldFloor);
}

/** The 15-minute bucket containing `t`. */
export const grain = (s: EngineState, t: number): number =>
  intervalStart(t, s.cfg.timezone, GRAIN_MIN);

/** The operating day containing `t` (cached: it changes once a day). */
export function dayOf(s: EngineState, t: number): OperatingDay {
  const d = s.dayCache;
  if (d && t >= d.start && t < d.end) return d;
  return (s.dayCache = operatingDay(t, s.cfg.timezone, s.cfg.day_start));
}

export function getMap<K, V>(m: Map<string, Map<K, V>>, k: string): Map<K, V> {
  let v = m.get(k);
  if (!v) {
    v = new Map();
    m.set(k, v);
  }
  return v;
}

export function bucket(s: EngineState, q: string, b: number): Bucket {
  const m = getMap(s.buckets, q);
  let x = m.get(b);
  if (!x) {
    x = newBucket();
    m.set(b, x);
  }
  return x;
}

export function agentRec(s: EngineState, id: string): AgentRec {
  let a = s.agents.get(id);
  if (!a) {
    a = newAgent(id);
    s.agents.set(id, a);
  }
  return a;
}

/** Above this many distinct lists, the shared table starts over (agents keep their copies). */
const MAX_SHARED = 100_000;

/** One shared array per distinct queue list, and one shared string per team name. */
export function sharedList(s: EngineState, xs: readonly string[]): string[] {
  const key = xs.join('\u0000');
  let v = s.shared.get(key);
  if (!v) {
    if (s.shared.size >= MAX_SHARED) s.shared.clear();
    v = Object.freeze([...xs]) as string[];
    s.shared.set(key, v);
  }
  return v;
}
