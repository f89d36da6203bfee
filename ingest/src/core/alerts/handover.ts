// Shift handover (交接班): what the next shift lead needs, assembled from alerts since the
// handover time, the worst service-level intervals and the agents absent or out of
// adherence now. Pure: the route fetches the inputs.
import type { IntervalRow } from '../modules.js';
import type { AgentLive, AlertView, LiveSnapshot } from '../snapshot.js';

export interface HandoverInterval extends IntervalRow {
  target: number;
}

export interface Handover {
  site: string;
  timezone: string;
  since: string;
  at: string;
  summary: {
    raised: number;
    acknowledged: number;
    open: number;
    open_unacknowledged: number;
    absent_agents: number;
    out_of_adherence_agents: number;
  };
  alerts: {
    /** Raised since the handover time, newest first. */
    raised: AlertView[];
    /** Acknowledged since the handover time (who, when, note). */
    acknowledged: AlertView[];
    /** Still open now, however old: the next lead owns these. */
    open: AlertView[];
  };
  /** Intervals since the handover time with service level below target, worst first. */
  worst_intervals: HandoverInterval[];
  agents: {
    absent: { agent: string; team: string }[];
    out_of_adherence: Pick<
      AgentLive,
      'agent' | 'name' | 'team' | 'state' | 'reason' | 'out_of_adherence_s' | 'scheduled_activity'
    >[];
  };
}

/** Ten intervals fit one screen of the handover; the report lists the rest. */
export const WORST_INTERVALS = 10;

export function buildHandover(p: {
  site: string;
  timezone: string;
  since: number;
  sinceIso: string;
  atIso: string;
  /** Every alert in effect since `since` (stored and live merged), any order. */
  alerts: readonly AlertView[];
  intervals: readonly IntervalRow[];
  targetOf: (queue: string) => number;
  snapshot: Pick<LiveSnapshot, 'agents' | 'teams'>;
}): Handover {
  const after = (iso: string | null): boolean => iso !== null && Date.parse(iso) >= p.since;
  const newest = (a: AlertView, b: AlertView) =>
    Date.parse(b.raised_at) - Date.parse(a.raised_at) || (a.id < b.id ? -1 : 1);
  const raised = p.alerts.filter((a) => after(a.raised_at)).sort(newest);
  const acknowledged = p.alerts.filter((a) => after(a.acked_at)).sort(newest);
  const open = p.alerts.filter((a) => a.cleared_at === null).sort(newest);
  const worst = p.intervals
    .filter((r) => r.service_level !== null && r.service_level < p.targetOf(r.queue))
    .map((r) => ({ ...r, target: p.targetOf(r.queue) }))
    .sort(
      (a, b) =>
        (a.service_level as number) - (b.service_level as number) ||
        b.offered - a.offered ||
        (a.interval_start < b.interval_start ? -1 : 1),
    )
    .slice(0, WORST_INTERVALS);
  const seen = new Set<string>();
  const absent: { agent: string; team: string }[] = [];
  for (const t of p.snapshot.teams) {
    for (const agent of t.missing) {
      if (seen.has(agent)) continue;
      seen.add(agent);
      absent.push({ agent, team: t.team });
    }
  }
  const out = p.snapshot.agents
    .filter((a) => a.adherence === 'out')
    .sort((a, b) => b.out_of_adherence_s - a.out_of_adherence_s)
    .map((a) => ({
      agent: a.agent,
      name: a.name,
      team: a.team,
      state: a.state,
      reason: a.reason,
      out_of_adherence_s: a.out_of_adherence_s,
      scheduled_activity: a.scheduled_activity,
    }));
  return {
    site: p.site,
    timezone: p.timezone,
    since: p.sinceIso,
    at: p.atIso,
    summary: {
      raised: raised.length,
      acknowledged: acknowledged.length,
      open: open.length,
      open_unacknowledged: open.filter((a) => a.acked_at === null).length,
      absent_agents: absent.length,
      out_of_adherence_agents: out.length,
    },
    alerts: { raised, acknowledged, open },
    worst_intervals: worst,
    agents: { absent, out_of_adherence: out },
  };
}
