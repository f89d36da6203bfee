// Queueing-validation scenario: one queue, N identical agents signed in and ready for the
// whole run, Poisson arrivals at a constant rate, exponential service, no ringing, hold,
// wrap-up or breaks, and exponential patience (Erlang A) or none (Erlang C / M/M/N).
import { FLAT_PROFILE } from '../distributions/profile.js';
import type { SimConfig } from '../generator/model.js';

export interface MmnOptions {
  agents: number;
  callsPerHour: number;
  ahtS: number;
  /** Mean patience in seconds, or null for no abandons. */
  patienceS: number | null;
  hours: number;
  seed: string;
  from: number;
  site?: string;
  timezone?: string;
  tsFormat?: 'iso' | 'epoch';
}

export function mmnScenario(o: MmnOptions): SimConfig {
  return {
    site: o.site ?? 'mmn',
    timezone: o.timezone ?? 'UTC',
    seed: o.seed,
    from: o.from,
    to: o.from + o.hours * 3_600_000,
    queues: [{ name: 'mmn', weight: 1 }],
    teams: [{ name: 'mmn', agents: o.agents, skills: ['mmn'] }],
    peakCallsPerHour: o.callsPerHour,
    profile: FLAT_PROFILE,
    dow: [1, 1, 1, 1, 1, 1, 1],
    profileShiftMs: 0,
    call: {
      handle: 'exponential',
      ahtS: o.ahtS,
      handleCv: 1,
      wrapFraction: 0,
      holdProb: 0,
      holdFraction: 0,
      ringS: 0,
      patienceS: o.patienceS,
    },
    workforce: null,
    shifts: [],
    overflow: [],
    tsFormat: o.tsFormat ?? 'iso',
  };
}
