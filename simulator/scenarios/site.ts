// The realistic site: teams skilled for one queue (every third team blended across all
// queues), staggered shifts with breaks and lunch, a lognormal handle time split into talk,
// hold and wrap-up, exponential patience, and the intraday and day-of-week arrival shape.
import type { OverflowRule } from '../../ingest/src/core/site-config.js';
import {
  DEFAULT_DOW,
  DEFAULT_PROFILE,
  profileAt,
  type ProfileCurve,
} from '../distributions/profile.js';
import type {
  CallModel,
  QueueSpec,
  ShiftPattern,
  SimConfig,
  TeamSpec,
  WorkforceRates,
} from '../generator/model.js';

export const DEFAULT_RATES: WorkforceRates = {
  absence: 0.04,
  late: 0.08,
  lateMeanMin: 8,
  earlyMeanMin: 5,
  leaveEarly: 0.04,
  logoutLunch: 0.3,
  longBreak: 0.12,
  longBreakMeanMin: 6,
  ghost: 0.01,
  training: 0.08,
};

export const DEFAULT_CALL: CallModel = {
  handle: 'lognormal',
  ahtS: 300,
  handleCv: 0.6,
  wrapFraction: 0.15,
  holdProb: 0.2,
  holdFraction: 0.15,
  ringS: 3,
  patienceS: 120,
};

/** 07:30, 08:30, 10:00 and 12:00 starts, 9 hours each, so the floor is fullest over the day's
 * peaks, and a small night shift (21:00-07:00) for the 2-6% overnight traffic. */
export const DEFAULT_SHIFTS: ShiftPattern[] = [
  { startMin: 21 * 60, hours: 10, share: 0.03 },
  { startMin: 7 * 60 + 30, hours: 9, share: 0.27 },
  { startMin: 8 * 60 + 30, hours: 9, share: 0.35 },
  { startMin: 10 * 60, hours: 9, share: 0.2 },
  { startMin: 12 * 60, hours: 9, share: 0.15 },
];

export const DEFAULT_QUEUES: QueueSpec[] = [
  { name: 'sales', weight: 0.4, label: 'Sales', label_zh: '销售' },
  { name: 'service', weight: 0.4, label: 'Service', label_zh: '客服' },
  { name: 'billing', weight: 0.2, label: 'Billing', label_zh: '账务' },
];

export interface SiteOptions {
  site: string;
  timezone: string;
  seed: string;
  from: number;
  to: number;
  agents: number;
  teamSize: number;
  queues: QueueSpec[];
  /** Site-wide calls per hour at profile 1; null: sized so the staffed floor runs near 85% occupancy. */
  callsPerHour: number | null;
  call: CallModel;
  profile: ProfileCurve;
  dow: readonly number[];
  profileShiftMs: number;
  shifts: ShiftPattern[];
  workforce: WorkforceRates;
  overflow: OverflowRule[];
  tsFormat: 'iso' | 'epoch';
}

/** Teams per queue in proportion to its weight; every third team is blended (all queues). */
export function buildTeams(
  agents: number,
  teamSize: number,
  queues: readonly QueueSpec[],
): TeamSpec[] {
  const nTeams = Math.max(1, Math.ceil(agents / Math.max(1, teamSize)));
  const totalW = queues.reduce((s, q) => s + q.weight, 0) || 1;
  const teams: TeamSpec[] = [];
  let acc = 0;
  let qi = 0;
  for (let t = 0; t < nTeams; t++) {
    // Walk queues by cumulative weight so team counts follow the call mix.
    while (qi < queues.length - 1 && (t + 0.5) / nTeams > (acc + queues[qi]!.weight) / totalW)
      acc += queues[qi++]!.weight;
    const primary = queues[qi]!.name;
    const size = Math.floor(agents / nTeams) + (t < agents % nTeams ? 1 : 0);
    const skills =
      t % 3 === 2
        ? [primary, ...queues.map((q) => q.name).filter((n) => n !== primary)]
        : [primary];
    teams.push({
      name: `T${String(t + 1).padStart(String(nTeams).length < 2 ? 2 : String(nTeams).length, '0')}`,
      agents: size,
      skills,
    });
  }
  return teams;
}

/** Calls per hour at profile 1 so the floor at the profile's peak hour runs near 85% occupancy. */
export function sizedCallsPerHour(
  o: Pick<SiteOptions, 'agents' | 'shifts' | 'profile' | 'workforce' | 'call'>,
): number {
  let peakHour = 10;
  let best = -1;
  for (let h = 0; h < 24; h += 0.25) {
    const v = profileAt(o.profile, h);
    if (v > best) [best, peakHour] = [v, h];
  }
  const minute = peakHour * 60;
  const covering = o.shifts.reduce((s, p) => {
    const start = ((p.startMin % 1440) + 1440) % 1440;
    const inShift =
      (minute >= start && minute < start + p.hours * 60) || minute + 1440 < start + p.hours * 60;
    return s + (inShift ? p.share : 0);
  }, 0);
  const totalShare = o.shifts.reduce((s, p) => s + p.share, 0) || 1;
  // 0.85: about 15% of a shift is breaks, lunch and training; 0.85 again: target occupancy.
  const staffed = o.agents * (covering / totalShare) * (1 - o.workforce.absence) * 0.85;
  return Math.max(1, Math.round((staffed * 0.85 * 3600) / o.call.ahtS / Math.max(best, 1e-9)));
}

export function siteScenario(o: SiteOptions): SimConfig {
  return {
    site: o.site,
    timezone: o.timezone,
    seed: o.seed,
    from: o.from,
    to: o.to,
    queues: o.queues,
    teams: buildTeams(o.agents, o.teamSize, o.queues),
    peakCallsPerHour: o.callsPerHour ?? sizedCallsPerHour(o),
    profile: o.profile,
    dow: o.dow,
    profileShiftMs: o.profileShiftMs,
    call: o.call,
    workforce: o.workforce,
    shifts: o.shifts,
    overflow: o.overflow,
    tsFormat: o.tsFormat,
  };
}

export const SITE_DEFAULTS = { profile: DEFAULT_PROFILE, dow: DEFAULT_DOW };
