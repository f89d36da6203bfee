// A team's login conformance carried forward on the board's own clock: the server sends the
// sums as of an instant and how many agents accrue each now, so a quiet site need not resend
// a team every time its figure moves with the clock. Pure, shared by server and board, so
// both compute the same figure at the same instant.
import { ratio } from '../ratio.js';
import type { ConformanceClock, TeamLive } from '../snapshot.js';

const hours = (s: number): string => `${(s / 3600).toFixed(2)} h`;

/** Conformance and its explanation from the sums (ms). */
export function conformanceOf(
  c: Pick<
    ConformanceClock,
    'logged_in_ms' | 'scheduled_ms' | 'excused_ms' | 'late_sign_ins' | 'early_sign_outs'
  >,
): Pick<TeamLive, 'conformance' | 'conformance_explain'> {
  const logged = c.logged_in_ms / 1000;
  const sched = c.scheduled_ms / 1000;
  return {
    conformance: ratio(c.logged_in_ms, c.scheduled_ms),
    conformance_explain: {
      formula: 'login_conformance',
      text: `logged-in time within scheduled work ÷ scheduled work today so far, excused time (${hours(c.excused_ms / 1000)}) left out of both: ${hours(logged)} ÷ ${hours(sched)}; ${c.late_sign_ins} late sign-ins, ${c.early_sign_outs} early sign-outs`,
      numerator: logged,
      denominator: sched,
    },
  };
}

/** A clock's sums carried to instant `t` (ms); the same object when nothing moves. */
export function clockSums(c: ConformanceClock, t: number): ConformanceClock {
  if (c.logged_in_now === 0 && c.scheduled_now === 0 && c.excused_now === 0) return c;
  const dt = t - Date.parse(c.at);
  if (dt === 0) return c;
  return {
    ...c,
    logged_in_ms: c.logged_in_ms + c.logged_in_now * dt,
    scheduled_ms: c.scheduled_ms + c.scheduled_now * dt,
    excused_ms: c.excused_ms + c.excused_now * dt,
  };
}

/** Login conformance at instant `t` (ms), or as sent when the team has no clock. */
export function conformanceAt(team: TeamLive, t: number): number | null {
  const c = team.conformance_clock;
  if (!c) return team.conformance;
  const s = clockSums(c, t);
  return s === c ? team.conformance : ratio(s.logged_in_ms, s.scheduled_ms);
}

/** The team at instant `t` (ms), conformance and explanation carried forward; the same object when nothing moves. */
export function teamAt(team: TeamLive, t: number): TeamLive {
  const c = team.conformance_clock;
  if (!c) return team;
  const s = clockSums(c, t);
  return s === c ? team : { ...team, ...conformanceOf(s) };
}

/**
 * The clock with its sums taken back to a fixed instant `anchor`: the same for every instant
 * between two rate changes, so the feed compares teams by it and sends a team again only
 * when an event or a shift boundary changed it.
 */
export function clockKey(c: ConformanceClock, anchor: number): string {
  const dt = anchor - Date.parse(c.at);
  return [
    c.logged_in_ms + c.logged_in_now * dt,
    c.scheduled_ms + c.scheduled_now * dt,
    c.excused_ms + c.excused_now * dt,
    c.logged_in_now,
    c.scheduled_now,
    c.excused_now,
    c.late_sign_ins,
    c.early_sign_outs,
  ].join('|');
}
