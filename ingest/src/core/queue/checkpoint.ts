// The queue engine's event-derived state as a checkpoint (ingest/src/runtime/checkpoints.ts
// writes it): the records and aggregates that events built, without the configuration, the
// limits (they come from the running server's options), the dirty sets and the caches.
import { AgentTally } from './agent-tally.js';
import { reviveAgent } from './agent-timeline.js';
import type { EngineState } from './engine-state.js';

/** The fields a checkpoint carries: everything events set. */
const SAVED = [
  'foldFloor',
  'budgetCheckAt',
  'budgetCheckTs',
  'calls',
  'agents',
  'buckets',
  'occSettled',
  'waiting',
  'recent',
  'recentFolded',
  'known',
  'foldable',
  'shared',
  'maxTs',
  'lastSweep',
  'foldedCount',
  'earlyFolded',
  'tooLate',
  'lateCalls',
] as const satisfies readonly (keyof EngineState)[];

export type QueueCheckpoint = Pick<EngineState, (typeof SAVED)[number]>;

/** The live objects themselves: the caller serialises them in the same turn. */
export function exportQueueState(s: EngineState): QueueCheckpoint {
  const out: Partial<Record<keyof QueueCheckpoint, unknown>> = {};
  for (const k of SAVED) out[k] = s[k];
  return out as QueueCheckpoint;
}

/**
 * Replaces the event-derived state of `s` with a checkpoint's. The agent tallies are not
 * saved (their memos are keyed by record identity): a fresh tally recounts on its first
 * read. Queues of the current configuration stay known.
 */
export function importQueueState(s: EngineState, c: QueueCheckpoint): void {
  const known = new Set([...c.known, ...s.known]);
  const w = s as unknown as Record<string, unknown>;
  for (const k of SAVED) w[k] = c[k];
  Object.assign(s, { known, tally: new AgentTally(), dirtyQ: new Set(), dirtyA: new Set() });
  s.dayCache = null;
  for (const list of s.shared.values()) Object.freeze(list);
  for (const a of s.agents.values()) {
    reviveAgent(a);
    s.dirtyA.add(a.id);
  }
  for (const q of s.known) s.dirtyQ.add(q);
}
