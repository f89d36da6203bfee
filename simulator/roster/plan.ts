// One agent's day: the rostered shift with its breaks, lunch and training (what the roster
// upload says), and what the agent actually does (absent, early or late sign-in, long
// breaks, logout over lunch, leaving early, vanishing as a ghost). Each agent-day draws from
// its own seeded stream, so a roster never depends on how the calls happened to go.
import { Rng } from '../distributions/rng.js';
import { exponential, normal, weightedIndex } from '../distributions/sample.js';
import type { SiteClock } from '../generator/site-clock.js';
import type { AgentSpec, ShiftPattern, SimConfig, WorkforceRates } from '../generator/model.js';

const MIN = 60_000;
const DAY = 86_400_000;

export interface Segment {
  start: number;
  end: number;
  activity: string;
}

export interface AuxPlan {
  activity: string;
  /** When the agent means to start it (a minute or two around the rostered start). */
  due: number;
  /** How long the agent actually stays out, ms. */
  durationMs: number;
  /** Lunch only: logs out of the ACD instead of going not_ready. */
  logout: boolean;
}

export interface AgentDayPlan {
  agent: number;
  date: string;
  shiftStart: number;
  shiftEnd: number;
  segments: Segment[];
  absent: boolean;
  loginAt: number;
  logoutAt: number;
  ghost: boolean;
  aux: AuxPlan[];
}

/** The agent's shift pattern: fixed per agent (people keep their shift), weighted by share. */
export function patternOf(
  cfg: Pick<SimConfig, 'seed' | 'site' | 'shifts'>,
  agent: AgentSpec,
): ShiftPattern | undefined {
  const rng = new Rng(`${cfg.seed}|${cfg.site}|pattern|${agent.id}`);
  return cfg.shifts[
    weightedIndex(
      rng,
      cfg.shifts.map((s) => s.share),
    )
  ];
}

/** The day's name in its agents' draws: its date, or "+k" days after `cfg.drawsFrom`. */
function drawDay(cfg: Pick<SimConfig, 'drawsFrom'>, date: string): string {
  if (cfg.drawsFrom === undefined) return date;
  const k = Math.round(
    (Date.parse(`${date}T00:00Z`) - Date.parse(`${cfg.drawsFrom}T00:00Z`)) / DAY,
  );
  return `+${k}`;
}

/** Lunch start slots of a shift (the default: 3 slots 30 min apart). */
export interface LunchSlots {
  slots: number;
  apartMin: number;
}

/** Rostered segments of a shift: work with two 15-min breaks, lunch and maybe training. */
export function shiftSegments(
  start: number,
  hours: number,
  agentIndex: number,
  training: boolean,
  lunch: LunchSlots = { slots: 3, apartMin: 30 },
): Segment[] {
  const end = start + hours * 60 * MIN;
  const special: Segment[] = [];
  // Stagger breaks and lunch by agent so the floor never empties at once:
  // breaks over 4 slots 10 min apart, lunches over the lunch slots.
  const bSlot = (agentIndex % 4) * 10 * MIN;
  const lSlot = (agentIndex % lunch.slots) * lunch.apartMin * MIN;
  if (hours >= 6) {
    const lunchLen = hours >= 8 ? 60 * MIN : 30 * MIN;
    const lunchStart = start + Math.round(hours / 2 - 1.5) * 60 * MIN + lSlot;
    const lunchEnd = lunchStart + lunchLen;
    special.push({
      start: start + 105 * MIN + bSlot,
      end: start + 120 * MIN + bSlot,
      activity: 'break',
    });
    special.push({ start: lunchStart, end: lunchEnd, activity: 'lunch' });
    if (training)
      special.push({ start: lunchEnd + 30 * MIN, end: lunchEnd + 90 * MIN, activity: 'training' });
    const b2 = lunchEnd + 120 * MIN + bSlot;
    if (b2 + 15 * MIN <= end - 30 * MIN)
      special.push({ start: b2, end: b2 + 15 * MIN, activity: 'break' });
  } else if (hours >= 3) {
    const mid = start + Math.round(hours * 30) * MIN + bSlot;
    special.push({ start: mid, end: mid + 15 * MIN, activity: 'break' });
  }
  const out: Segment[] = [];
  let cursor = start;
  for (const s of special) {
    if (s.start > cursor) out.push({ start: cursor, end: s.start, activity: 'work' });
    out.push(s);
    cursor = s.end;
  }
  if (cursor < end) out.push({ start: cursor, end, activity: 'work' });
  return out;
}

/**
 * Plans agent `index` on local `date`, or returns null when the agent is not rostered that
 * day (staffing follows the day-of-week factors, so a Sunday at 45% volume has fewer agents).
 */
export function planAgentDay(
  cfg: SimConfig,
  clock: SiteClock,
  agent: AgentSpec,
  index: number,
  date: string,
): AgentDayPlan | null {
  const pattern = patternOf(cfg, agent);
  if (!pattern) return null;
  const rng = new Rng(`${cfg.seed}|${cfg.site}|day|${agent.id}|${drawDay(cfg, date)}`);
  const weekday = clock.weekday(clock.at(date, 12 * 60));
  const maxDow = Math.max(...cfg.dow);
  const staffShare = maxDow > 0 ? (cfg.dow[weekday] ?? 1) / maxDow : 1;
  if (!rng.chance(staffShare)) return null;
  const rates: WorkforceRates | null = cfg.workforce;
  const shiftStart = clock.at(date, pattern.startMin);
  const shiftEnd = shiftStart + pattern.hours * 60 * MIN;
  const segments = shiftSegments(
    shiftStart,
    pattern.hours,
    index,
    rates ? rng.chance(rates.training) : false,
    cfg.lunch,
  );
  const plan: AgentDayPlan = {
    agent: index,
    date,
    shiftStart,
    shiftEnd,
    segments,
    absent: false,
    loginAt: shiftStart,
    logoutAt: shiftEnd,
    ghost: false,
    aux: [],
  };
  if (!rates) return plan;
  plan.absent = rng.chance(rates.absence);
  // Most sign in a few minutes early (the rule asks for 5 min); some are late.
  plan.loginAt = rng.chance(rates.late)
    ? shiftStart + (1 + exponential(rng, rates.lateMeanMin)) * MIN
    : shiftStart - Math.max(0, normal(rng, rates.earlyMeanMin, 2)) * MIN;
  plan.logoutAt = rng.chance(rates.leaveEarly)
    ? shiftEnd - (1 + exponential(rng, 10)) * MIN
    : shiftEnd + Math.max(0, normal(rng, 3, 2)) * MIN;
  plan.ghost = rng.chance(rates.ghost);
  for (const s of segments) {
    if (s.activity === 'work') continue;
    const len = s.end - s.start;
    const jitter = Math.max(-3, Math.min(3, normal(rng, 0, 1))) * MIN;
    let durationMs: number;
    if (s.activity === 'training') durationMs = len;
    else if (rng.chance(rates.longBreak))
      durationMs = len + (1 + exponential(rng, rates.longBreakMeanMin)) * MIN;
    else durationMs = len * rng.uniform(0.85, 1.03);
    const logout = s.activity === 'lunch' && rng.chance(rates.logoutLunch);
    plan.aux.push({ activity: s.activity, due: s.start + jitter, durationMs, logout });
  }
  return plan;
}
