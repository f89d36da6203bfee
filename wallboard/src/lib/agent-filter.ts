// Search and state filter of the dense agent grid (tiles/AgentSquares.svelte). Pure and
// non-mutating: the live agent array is shared with the feed state.
import type { AgentLive } from '../../../ingest/src/core/snapshot.js';
import { STATE_ORDER, shownState } from './agents.js';

export interface AgentFilter {
  /** Matches the agent's name or id, any case, anywhere. */
  query: string;
  /** A shown state (ready, talking, not_ready, stale, …), or null for all. */
  state: string | null;
}

export function filterAgents(agents: readonly AgentLive[], f: AgentFilter): AgentLive[] {
  const q = f.query.trim().toLowerCase();
  return agents
    .filter(
      (a) =>
        (f.state === null || shownState(a) === f.state) &&
        (q === '' || a.agent.toLowerCase().includes(q) || a.name.toLowerCase().includes(q)),
    )
    .sort((a, b) => rankOf(a) - rankOf(b) || (a.name || a.agent).localeCompare(b.name || b.agent));
}

const rankOf = (a: AgentLive): number => {
  const i = (STATE_ORDER as readonly string[]).indexOf(shownState(a));
  return i < 0 ? STATE_ORDER.length : i;
};

/** The states present, in floor order, for the filter's choices. */
export function statesOf(agents: readonly AgentLive[]): string[] {
  const present = new Set(agents.map(shownState));
  const known = [...STATE_ORDER, 'stale'].filter((s) => present.has(s));
  return [...known, ...[...present].filter((s) => !known.includes(s)).sort()];
}
