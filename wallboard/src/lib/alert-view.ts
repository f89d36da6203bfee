// What the alert panel shows, from the active alerts and the viewer's choices: filtered by
// kind and level, acknowledged ones hidden on request, snoozed ones left out until their time,
// and alerts of one kind grouped ("12 agents out of adherence") when there are many, so 6,000
// adherence alerts are one line, not a 7,000-px page. Pure: the panel renders the result.
import type { AlertView } from '../../../ingest/src/core/snapshot.js';
import { LEVEL_RANK, sortAlerts } from './alerts.js';

export interface AlertFilter {
  kind: string | null;
  level: string | null;
  hideAcked: boolean;
}

export const NO_FILTER: AlertFilter = { kind: null, level: null, hideAcked: false };

/** A snooze the viewer set on this screen: the alert is left out until `until` (epoch ms). */
export interface Snooze {
  until: number;
  reason: string;
}

/**
 * A group: formed here from the alerts the board has (`alerts`), or sent by the server once a
 * kind has alerts.group_at members (core/alerts/group.ts; `server` is its grouped alert, whose
 * members the panel loads on request). `count` is how many alerts it stands for.
 */
export type AlertItem =
  | { type: 'alert'; alert: AlertView }
  | {
      type: 'group';
      kind: string;
      level: string;
      alerts: AlertView[];
      count: number;
      server?: AlertView;
    };

/** Kinds that group once this many are active (one per agent or team; rules and queues stay single). */
export const GROUP_AT = 4;

export function alertItems(
  alerts: readonly AlertView[],
  filter: AlertFilter,
  snoozes: Readonly<Record<string, Snooze>>,
  now: number,
  expanded: ReadonlySet<string> = new Set(),
  members: Readonly<Record<string, readonly AlertView[]>> = {},
): { items: AlertItem[]; hidden: number } {
  // A server group that is expanded and loaded shows as its members; until then, as one group.
  const all = alerts.flatMap((a) =>
    a.group && expanded.has(a.kind) && members[a.kind] ? (members[a.kind] ?? []) : [a],
  );
  const shown = sortAlerts(all).filter(
    (a) =>
      (filter.kind === null || a.kind === filter.kind) &&
      (filter.level === null || a.level === filter.level) &&
      !(filter.hideAcked && a.acked_at !== null) &&
      !((snoozes[a.id]?.until ?? 0) > now),
  );
  const byKind = new Map<string, AlertView[]>();
  for (const a of shown) {
    const list = byKind.get(a.kind) ?? [];
    list.push(a);
    byKind.set(a.kind, list);
  }
  const items: AlertItem[] = [];
  const grouped = new Set<string>();
  for (const a of shown) {
    if (a.group) {
      items.push({
        type: 'group',
        kind: a.kind,
        level: a.level,
        alerts: [],
        count: a.group.count,
        server: a,
      });
      continue;
    }
    const same = byKind.get(a.kind) ?? [];
    if (same.length >= GROUP_AT && a.queue === null && !expanded.has(a.kind)) {
      if (grouped.has(a.kind)) continue;
      grouped.add(a.kind);
      // The group takes the most severe level among its members (they are sorted that way).
      items.push({
        type: 'group',
        kind: a.kind,
        level: same.reduce(
          (l, x) => ((LEVEL_RANK[x.level] ?? 9) < (LEVEL_RANK[l] ?? 9) ? x.level : l),
          a.level,
        ),
        alerts: same,
        count: same.length,
      });
    } else items.push({ type: 'alert', alert: a });
  }
  return { items, hidden: all.filter((a) => a.cleared_at === null).length - shown.length };
}

/** How many alerts the feed stands for: a server group counts its members. */
export function alertCount(alerts: readonly AlertView[]): number {
  return alerts.reduce((n, a) => n + (a.group?.count ?? 1), 0);
}

/** The kinds present, for the filter's choices. */
export function alertKinds(alerts: readonly AlertView[]): string[] {
  return [...new Set(alerts.map((a) => a.kind))].sort();
}

/** New orange or red alerts not yet acknowledged: they sound once and flash until acknowledged. */
export function needsAttention(a: AlertView): boolean {
  return (a.level === 'orange' || a.level === 'red') && a.acked_at === null;
}
