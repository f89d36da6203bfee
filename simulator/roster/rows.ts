// The roster as PUT /api/sites/{site}/roster takes it: one row per segment with agent,
// team, start, end (ISO-8601 with the site offset) and activity.
import type { SiteClock } from '../generator/site-clock.js';
import type { AgentSpec, SimConfig } from '../generator/model.js';
import { planAgentDay } from './plan.js';

export interface RosterRow {
  agent: string;
  team: string;
  start: string;
  end: string;
  activity: string;
}

/** Local dates from the one containing `from` to the one containing `to - 1`. */
export function datesCovering(clock: SiteClock, from: number, to: number): string[] {
  const out: string[] = [];
  const last = clock.date(Math.max(from, to - 1));
  for (let d = clock.date(from); out.length < 3700; d = clock.addDays(d, 1)) {
    out.push(d);
    if (d === last) break;
  }
  return out;
}

/** Roster rows for every agent rostered on `dates` (absent agents stay on the roster: that is what attendance measures). */
export function rosterRows(
  cfg: SimConfig,
  clock: SiteClock,
  agents: readonly AgentSpec[],
  dates: readonly string[],
): RosterRow[] {
  const rows: RosterRow[] = [];
  for (const date of dates) {
    agents.forEach((agent, i) => {
      const plan = planAgentDay(cfg, clock, agent, i, date);
      if (!plan) return;
      for (const s of plan.segments)
        rows.push({
          agent: agent.id,
          team: agent.team,
          start: clock.iso(s.start),
          end: clock.iso(s.end),
          activity: s.activity,
        });
    });
  }
  return rows;
}
