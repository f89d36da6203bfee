// The simulator's configuration: one site with its queues, teams, shift patterns, the call
// model (arrivals, handle times, patience) and the workforce behaviour rates. Scenarios build
// it; the engine only reads it.
import type { OverflowRule } from '../../ingest/src/core/site-config.js';
import type { HandleDistribution } from '../distributions/sample.js';
import type { ProfileCurve } from '../distributions/profile.js';
import type { LunchSlots } from '../roster/plan.js';

export interface QueueSpec {
  name: string;
  /** Share of the site's calls that arrive in this queue. */
  weight: number;
  label?: string;
  label_zh?: string;
}

export interface TeamSpec {
  name: string;
  /** Display names for the board (site config `teams`). */
  label?: string;
  label_zh?: string;
  agents: number;
  /** Queues this team is skilled for. */
  skills: string[];
}

export interface ShiftPattern {
  /** Minutes after local midnight (may be negative or past 24 h for shifts across midnight). */
  startMin: number;
  hours: number;
  /** Share of agents on this pattern. */
  share: number;
}

/** Per agent-day probabilities and typical sizes (minutes) of the workforce behaviours. */
export interface WorkforceRates {
  /** Agent misses a rostered day. */
  absence: number;
  /** Signs in after the shift start (else typically `earlyMeanMin` early). */
  late: number;
  lateMeanMin: number;
  earlyMeanMin: number;
  /** Signs out before the shift end. */
  leaveEarly: number;
  /** Logs out of the ACD over lunch instead of going not_ready. */
  logoutLunch: number;
  /** A break or lunch runs long, by an exponential extra of `longBreakMeanMin`. */
  longBreak: number;
  longBreakMeanMin: number;
  /** Vanishes at the end of the shift without logging out (a ghost session). */
  ghost: number;
  /** Has a one-hour training block that day. */
  training: number;
}

export interface CallModel {
  handle: HandleDistribution;
  /** Mean handle time (talk + hold + wrap), seconds. */
  ahtS: number;
  /** Coefficient of variation of the lognormal handle time. */
  handleCv: number;
  /** Mean share of handle time spent in wrap-up. */
  wrapFraction: number;
  /** Probability a call has a hold, and the hold's share of the conversation. */
  holdProb: number;
  holdFraction: number;
  /** Mean ring time before answer, seconds (0: answered when assigned). */
  ringS: number;
  /** Mean caller patience (exponential), seconds; null: nobody abandons. */
  patienceS: number | null;
}

export interface SimConfig {
  site: string;
  timezone: string;
  seed: string;
  /** Simulated span, epoch ms; agents on shift at `from` are already signed in. */
  from: number;
  to: number;
  queues: QueueSpec[];
  teams: TeamSpec[];
  /** Site-wide calls per hour where profile x day-of-week factor = 1. */
  peakCallsPerHour: number;
  profile: ProfileCurve;
  /** Monday..Sunday arrival factors. */
  dow: readonly number[];
  /** Shifts the profile clock (ms) so a demo can start at the morning peak at any hour. */
  profileShiftMs: number;
  call: CallModel;
  /** null: every agent is signed in and ready for the whole run (queueing validation). */
  workforce: WorkforceRates | null;
  shifts: ShiftPattern[];
  /** Overflow rules in the site-config shape; the simulator acts them out as the router would. */
  overflow: OverflowRule[];
  tsFormat: 'iso' | 'epoch';
  /** Service-quality events (callers, surveys, work orders); on unless false, for runs with a workforce. */
  quality?: boolean;
  /**
   * Local date the agents' day draws (absence, late sign-in, long breaks, training) count
   * from: the day k days after it draws as "+k", not as its calendar date, so a run started
   * on any date plays the same floor (the demo). Unset: each day draws by its date.
   */
  drawsFrom?: string;
  /** Lunch start slots of every shift (default 3 slots 30 min apart). */
  lunch?: LunchSlots;
}

export interface AgentSpec {
  id: string;
  name: string;
  team: string;
  skills: string[];
}

const SURNAMES = [
  'Wang',
  'Li',
  'Zhang',
  'Liu',
  'Chen',
  'Yang',
  'Huang',
  'Zhao',
  'Wu',
  'Zhou',
  'Xu',
  'Sun',
  'Ma',
  'Zhu',
  'Hu',
  'Guo',
  'He',
  'Lin',
  'Gao',
  'Luo',
];
const GIVEN = [
  'Wei',
  'Fang',
  'Na',
  'Min',
  'Jing',
  'Li',
  'Qiang',
  'Lei',
  'Jun',
  'Yang',
  'Yong',
  'Yan',
  'Jie',
  'Juan',
  'Tao',
  'Ming',
  'Chao',
  'Xiu',
  'Hua',
  'Ping',
  'Hong',
  'Ying',
  'Bo',
  'Hui',
];

/** Agents in team order, ids A00001.., names deterministic from the index. */
export function agentsOf(cfg: Pick<SimConfig, 'teams'>): AgentSpec[] {
  const out: AgentSpec[] = [];
  let n = 0;
  for (const team of cfg.teams) {
    for (let i = 0; i < team.agents; i++) {
      n++;
      const name = `${SURNAMES[(n * 7) % SURNAMES.length]} ${GIVEN[(n * 13 + Math.floor(n / 24)) % GIVEN.length]}`;
      out.push({
        id: `A${String(n).padStart(5, '0')}`,
        name,
        team: team.name,
        skills: team.skills,
      });
    }
  }
  return out;
}
