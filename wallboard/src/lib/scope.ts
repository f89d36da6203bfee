// Boards per audience: a saved layout (the site configuration's `boards`, core/boards/
// layouts.ts) narrows the snapshot to its teams and queues and chooses the tiles, so a TV
// can show "team T03" or "billing queues". The server sends the whole site; the board
// draws the part the layout names.
import type { BoardLayout, BoardTile } from '../../../ingest/src/core/boards/layouts.js';
import type { AlertView, LiveSnapshot } from '../../../ingest/src/core/snapshot.js';

/** Whether the layout shows `tile` (no layout, or no tile list: every tile). */
export function tileOn(layout: BoardLayout | null, tile: BoardTile): boolean {
  return !layout?.tiles || layout.tiles.includes(tile);
}

function alertIn(a: AlertView, teams: Set<string> | null, queues: Set<string> | null): boolean {
  if (a.queue !== null) return !queues || queues.has(a.queue);
  if (a.team !== null) return !teams || teams.has(a.team);
  // A group of several teams' alerts (team null) is the site's: shown on unscoped boards only.
  if (a.group) return !teams;
  return true; // site-wide: a stale feed concerns every board
}

/** The snapshot as the layout sees it (the same object when the layout narrows nothing). */
export function scopeSnapshot(
  snap: LiveSnapshot | null,
  layout: BoardLayout | null,
): LiveSnapshot | null {
  if (!snap || !layout) return snap;
  const teams = layout.teams?.length ? new Set(layout.teams) : null;
  const queues = layout.queues?.length ? new Set(layout.queues) : null;
  if (!teams && !queues) return snap;
  return {
    ...snap,
    queues: queues ? snap.queues.filter((q) => queues.has(q.queue)) : snap.queues,
    agents: teams ? snap.agents.filter((a) => teams.has(a.team)) : snap.agents,
    teams: teams ? snap.teams.filter((t) => teams.has(t.team)) : snap.teams,
    alerts: snap.alerts.filter((a) => alertIn(a, teams, queues)),
  };
}
