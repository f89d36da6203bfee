// TV layout from the size of the site: a few queues get big tiles, many get compact ones;
// a large floor gives the agent grid most of the screen. Rotation pages for ?rotate=N.
export type QueueDensity = 'large' | 'medium' | 'compact';

export interface TvLayout {
  density: QueueDensity;
  /** Columns of queue tiles across the screen. */
  queueCols: number;
  /** Fraction of the screen height given to queue tiles. */
  queueShare: number;
  showAgents: boolean;
}

export function tvLayout(queues: number, agents: number): TvLayout {
  const density: QueueDensity = queues <= 3 ? 'large' : queues <= 8 ? 'medium' : 'compact';
  const queueCols = Math.max(
    1,
    Math.min(queues, density === 'large' ? 3 : density === 'medium' ? 4 : 6),
  );
  const rows = Math.ceil(queues / queueCols);
  // Share of a 16:9 screen per row of tiles, up to 3 rows: enough for each tile's today
  // row to show on a 1080p kiosk at that density.
  const perRow = density === 'large' ? 0.46 : density === 'medium' ? 0.4 : 0.22;
  const queueShare = agents === 0 ? 0.85 : Math.min(0.62, perRow * Math.min(rows, 3));
  return { density, queueCols, queueShare, showAgents: agents > 0 };
}

export type BoardPage = 'overview' | 'agents' | 'teams';
export const ROTATION: readonly BoardPage[] = ['overview', 'agents', 'teams'];
