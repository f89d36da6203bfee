// Team and site figures from agent-day figures: time-weighted sums (Σ logged-in ÷ Σ
// scheduled), never averages of percentages, plus attendance and who is missing.
import type { ConformanceClock, TeamLive } from '../snapshot.js';
import { conformanceOf } from './conformance-clock.js';
import { ratio } from '../ratio.js';
import { isoZ } from '../queue/time-buckets.js';
import type { AgentDayFigures } from './agent-figures.js';

export interface GroupFigures {
  key: string;
  scheduled_s: number;
  logged_in_s: number;
  excused_s: number;
  conformance: number | null;
  late_sign_ins: number;
  early_sign_outs: number;
  /** Attendance: agents whose scheduled work has started, and those who signed in during it. */
  scheduled: number;
  attended: number;
  attendance: number | null;
  missing: string[];
  adherence_scheduled_s: number;
  in_adherence_s: number;
  adherence: number | null;
  /** Agents whose scheduled, logged-in and excused time grow now (see AgentDayFigures). */
  scheduled_now: number;
  logged_in_now: number;
  excused_now: number;
}

/** One group's running sums (ms and counts). */
interface GroupSums {
  sched: number;
  logged: number;
  exc: number;
  late: number;
  early: number;
  n: number;
  att: number;
  missing: string[];
  adhS: number;
  adhIn: number;
  sNow: number;
  lNow: number;
  eNow: number;
}

const emptyGroup = (): GroupSums => ({
  sched: 0,
  logged: 0,
  exc: 0,
  late: 0,
  early: 0,
  n: 0,
  att: 0,
  missing: [],
  adhS: 0,
  adhIn: 0,
  sNow: 0,
  lNow: 0,
  eNow: 0,
});

/** Groups by team, or everything under `siteKey` for by = 'site'. Sorted by key. */
export function groupFigures(
  list: readonly AgentDayFigures[],
  by: 'team' | 'site',
  siteKey = '',
): GroupFigures[] {
  const acc = new Map<string, GroupSums>();
  if (by === 'site') acc.set(siteKey, emptyGroup());
  for (const f of list) {
    const k = by === 'team' ? f.team : siteKey;
    let a = acc.get(k);
    if (!a) {
      a = emptyGroup();
      acc.set(k, a);
    }
    a.sched += f.scheduled_ms;
    a.logged += f.logged_in_ms;
    a.exc += f.excused_ms;
    a.late += f.late_sign_in ? 1 : 0;
    a.early += f.early_sign_out ? 1 : 0;
    a.adhS += f.adherence_scheduled_ms;
    a.adhIn += f.in_adherence_ms;
    a.sNow += f.scheduled_now;
    a.lNow += f.logged_in_now;
    a.eNow += f.excused_now;
    if (f.scheduled) {
      a.n++;
      if (f.attended) a.att++;
      else a.missing.push(f.agent);
    }
  }
  return [...acc.entries()]
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([key, a]) => ({
      key,
      scheduled_s: a.sched / 1000,
      logged_in_s: a.logged / 1000,
      excused_s: a.exc / 1000,
      conformance: ratio(a.logged, a.sched),
      late_sign_ins: a.late,
      early_sign_outs: a.early,
      scheduled: a.n,
      attended: a.att,
      attendance: ratio(a.att, a.n),
      missing: a.missing.sort(),
      adherence_scheduled_s: a.adhS / 1000,
      in_adherence_s: a.adhIn / 1000,
      adherence: ratio(a.adhIn, a.adhS),
      scheduled_now: a.sNow,
      logged_in_now: a.lNow,
      excused_now: a.eNow,
    }));
}

/**
 * The board's team tile: conformance (target 92%) and attendance (target 95%) with the counts
 * behind them. `at` is the instant the figures were taken (ms), given with `zone` so the
 * board can carry conformance forward itself (teamAt).
 */
export function teamLive(g: GroupFigures, at?: number, zone?: string): TeamLive {
  const clock: ConformanceClock = {
    at: at === undefined || zone === undefined ? '' : isoZ(at, zone),
    // The sums are whole ms divided by 1000: rounding gets the exact ms back.
    logged_in_ms: Math.round(g.logged_in_s * 1000),
    scheduled_ms: Math.round(g.scheduled_s * 1000),
    excused_ms: Math.round(g.excused_s * 1000),
    logged_in_now: g.logged_in_now,
    scheduled_now: g.scheduled_now,
    excused_now: g.excused_now,
    late_sign_ins: g.late_sign_ins,
    early_sign_outs: g.early_sign_outs,
  };
  return {
    team: g.key,
    ...conformanceOf(clock),
    ...(clock.at ? { conformance_clock: clock } : {}),
    attendance: g.attendance,
    attendance_explain: {
      formula: 'attendance',
      text: `agents who signed in during their shift ÷ agents whose shift has started: ${g.attended} ÷ ${g.scheduled}`,
      numerator: g.attended,
      denominator: g.scheduled,
    },
    missing: g.missing,
  };
}
