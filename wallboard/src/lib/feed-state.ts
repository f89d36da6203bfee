// Pure merge of the board feed: a snapshot, then seq-numbered deltas that replace changed
// queues/agents/teams/alerts by key. Never mutates its inputs, so Svelte can hold the result
// in $state.raw and a replaced object is the only signal of change.
// (Relative import, not $core: the unit tests type-check this file with the root tsconfig.)
import type {
  AgentLive,
  AlertView,
  BoardMessage,
  DeltaMessage,
  LiveSnapshot,
} from '../../../ingest/src/core/snapshot.js';

export interface FeedState {
  seq: number;
  snapshot: LiveSnapshot;
}

export type ApplyOutcome =
  | { kind: 'applied'; state: FeedState }
  /** seq <= current: a duplicate or a delta from before the snapshot. */
  | { kind: 'ignored'; state: FeedState | null }
  /** A delta skipped one or more seqs, or came before any snapshot: ask for a fresh snapshot. */
  | { kind: 'gap'; state: FeedState | null; expected: number; got: number };

function replaceByKey<T>(
  current: readonly T[],
  changed: readonly T[] | undefined,
  key: (v: T) => string,
  removed?: readonly string[],
): T[] | null {
  if ((!changed || changed.length === 0) && (!removed || removed.length === 0)) return null;
  const next = new Map<string, T>();
  for (const v of current) next.set(key(v), v);
  for (const k of removed ?? []) next.delete(k);
  for (const v of changed ?? []) next.set(key(v), v);
  return [...next.values()];
}

/** Alerts in a delta are the changed ones; an alert with cleared_at leaves the active list. */
function mergeAlerts(
  current: readonly AlertView[],
  changed: readonly AlertView[] | undefined,
): AlertView[] | null {
  const merged = replaceByKey(current, changed, (a) => a.id);
  return merged ? merged.filter((a) => a.cleared_at === null) : null;
}

/** Which agents the board keeps (all of them, or core/feed/signed-out.ts's onFloor). */
export type AgentKeep = (a: AgentLive) => boolean;

export function applyDelta(
  snapshot: LiveSnapshot,
  delta: DeltaMessage,
  keep?: AgentKeep,
): LiveSnapshot {
  const queues = replaceByKey(snapshot.queues, delta.queues, (q) => q.queue);
  // An agent that no longer passes `keep` (signed out) leaves the list as a removed one would.
  let changed = delta.agents;
  let removed = delta.removed_agents;
  if (keep && changed?.some((a) => !keep(a))) {
    removed = [...(removed ?? []), ...changed.filter((a) => !keep(a)).map((a) => a.agent)];
    changed = changed.filter(keep);
  }
  const agents = replaceByKey(snapshot.agents, changed, (a) => a.agent, removed);
  const teams = replaceByKey(snapshot.teams, delta.teams, (t) => t.team);
  const alerts = mergeAlerts(snapshot.alerts, delta.alerts);
  return {
    ...snapshot,
    at: delta.at,
    last_event_at: delta.last_event_at,
    feed_stale: delta.feed_stale,
    // Present only when they moved (interval or operating-day roll).
    interval_start: delta.interval_start ?? snapshot.interval_start,
    operating_day: delta.operating_day ?? snapshot.operating_day,
    queues: queues ?? snapshot.queues,
    agents: agents ?? snapshot.agents,
    teams: teams ?? snapshot.teams,
    alerts: alerts ?? snapshot.alerts,
    // Service quality (#21) comes whole when it changed, or its counts alone.
    ...(delta.quality
      ? { quality: delta.quality }
      : delta.quality_counts && snapshot.quality
        ? { quality: { ...snapshot.quality, ...delta.quality_counts } }
        : {}),
  };
}

export function applyMessage(
  state: FeedState | null,
  msg: BoardMessage,
  keep?: AgentKeep,
): ApplyOutcome {
  if (msg.type === 'snapshot') {
    const { type: _type, seq, ...snapshot } = msg;
    // The server already left such agents out of a filtered feed; an older one did not.
    if (keep && snapshot.agents.some((a) => !keep(a)))
      snapshot.agents = snapshot.agents.filter(keep);
    return { kind: 'applied', state: { seq, snapshot } };
  }
  if (!state) return { kind: 'gap', state, expected: 0, got: msg.seq };
  if (msg.seq <= state.seq) return { kind: 'ignored', state };
  if (msg.seq !== state.seq + 1)
    return { kind: 'gap', state, expected: state.seq + 1, got: msg.seq };
  return {
    kind: 'applied',
    state: { seq: msg.seq, snapshot: applyDelta(state.snapshot, msg, keep) },
  };
}

/** Board silence (ms) after which figures are greyed: the feed sends at least once a second. */
export const SILENCE_STALE_MS = 5000;

export interface Staleness {
  stale: boolean;
  /** Epoch ms the board has been stale since, or null when live. */
  since: number | null;
  why: 'live' | 'no_message' | 'feed_stale' | 'disconnected';
}

/**
 * Whether figures may be shown as live. `lastMessageAt` is when the board last heard from the
 * server (epoch ms, null if never); the server's feed_stale means producers went silent.
 */
export function staleness(
  now: number,
  lastMessageAt: number | null,
  connected: boolean,
  snapshot: LiveSnapshot | null,
): Staleness {
  if (lastMessageAt === null) return { stale: true, since: null, why: 'disconnected' };
  // When the last word from the server already said the feed was silent, the figures have
  // been old since its last event: losing the server too must not move "stale since" forward.
  const last =
    snapshot?.feed_stale && snapshot.last_event_at ? Date.parse(snapshot.last_event_at) : NaN;
  const feedSince = Number.isFinite(last) ? Math.min(last, lastMessageAt) : null;
  if (now - lastMessageAt > SILENCE_STALE_MS)
    return {
      stale: true,
      since: feedSince ?? lastMessageAt,
      why: connected ? 'no_message' : 'disconnected',
    };
  if (snapshot?.feed_stale)
    return { stale: true, since: feedSince ?? lastMessageAt, why: 'feed_stale' };
  return { stale: false, since: null, why: 'live' };
}

/**
 * The instant durations on the board are counted to: now while live, the moment the figures
 * went stale while stale (a greyed "longest wait" or time in state that kept counting would
 * claim knowledge the board does not have).
 */
export function figuresAt(now: number, s: Staleness): number {
  return s.stale && s.since !== null ? Math.min(now, s.since) : now;
}
