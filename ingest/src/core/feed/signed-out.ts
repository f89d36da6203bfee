// Which agents a board shows when it leaves signed-out agents out (WS /ws/board?signed_out=0,
// the wallboard's default). Late in a 20,000-agent site's day most rows are people whose
// shift is over; sending and sorting all of them kept the first paint past its 2 s goal.
// One predicate for the server's snapshot and the board's deltas, so both keep the same rows.
import type { AgentLive } from '../snapshot.js';

/**
 * Kept: anyone signed in; a rostered agent who never signed in (a lead looks for them); a
 * signed-out agent who is out of adherence (signed out early, or late for a shift).
 */
export function onFloor(a: Pick<AgentLive, 'state' | 'not_signed_in' | 'adherence'>): boolean {
  return a.state !== 'logged_out' || a.not_signed_in === true || a.adherence === 'out';
}
