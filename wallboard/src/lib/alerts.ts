// Alert ordering for the panel: the most severe first, then the oldest (longest ignored).
import type { AlertView } from '../../../ingest/src/core/snapshot.js';

export const LEVEL_RANK: Record<string, number> = { red: 0, orange: 1, yellow: 2, info: 3 };

export function sortAlerts(alerts: readonly AlertView[]): AlertView[] {
  return alerts
    .filter((a) => a.cleared_at === null)
    .sort(
      (a, b) =>
        (LEVEL_RANK[a.level] ?? 9) - (LEVEL_RANK[b.level] ?? 9) ||
        Date.parse(a.raised_at) - Date.parse(b.raised_at) ||
        a.id.localeCompare(b.id),
    );
}
