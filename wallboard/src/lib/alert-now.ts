// The current value of the figure an alert is about, read off the live snapshot, so an alert
// raised at "conformance 0%" shows "now 11%" beside it instead of the raise-time value alone.
// Pure: the panel renders what this returns; kinds without a live figure return null.
import type { AlertView, LiveSnapshot } from '../../../ingest/src/core/snapshot.js';
import { conformanceAt } from '../../../ingest/src/core/workforce/conformance-clock.js';
import { outOfAdherenceSeconds } from './agents.js';
import { longestWaitSeconds } from './format.js';

export type AlertNow =
  | { unit: 'ratio'; value: number | null }
  | { unit: 'seconds'; value: number }
  | { unit: 'waiting'; waiting: number; longest_s: number };

/**
 * `at`: the board's clock. Conformance, the longest wait and time out of adherence are
 * carried forward to it from the instants the feed sends (a quiet site's deltas do not resend
 * them); without it, the figures as sent.
 */
export function alertNow(a: AlertView, snap: LiveSnapshot | null, at?: number): AlertNow | null {
  if (!snap) return null;
  switch (a.kind) {
    case 'sl_below_target': {
      const q = snap.queues.find((x) => x.queue === a.queue);
      return q ? { unit: 'ratio', value: q.interval.service_level } : null;
    }
    case 'overflow': {
      const q = snap.queues.find((x) => x.queue === a.queue);
      if (!q) return null;
      const longest = at === undefined ? q.longest_wait_s : longestWaitSeconds(q, at);
      return { unit: 'waiting', waiting: q.waiting, longest_s: longest };
    }
    case 'conformance': {
      const t = snap.teams.find((x) => x.team === a.team);
      if (!t) return null;
      return { unit: 'ratio', value: at === undefined ? t.conformance : conformanceAt(t, at) };
    }
    case 'attendance': {
      if (a.team === null) {
        const n = snap.teams.reduce((s, t) => s + t.attendance_explain.numerator, 0);
        const d = snap.teams.reduce((s, t) => s + t.attendance_explain.denominator, 0);
        return { unit: 'ratio', value: d > 0 ? n / d : null };
      }
      const t = snap.teams.find((x) => x.team === a.team);
      return t ? { unit: 'ratio', value: t.attendance } : null;
    }
    case 'adherence': {
      const ag = snap.agents.find((x) => x.agent === a.agent);
      if (!ag) return null;
      const out = at === undefined ? ag.out_of_adherence_s : outOfAdherenceSeconds(ag, at);
      return { unit: 'seconds', value: out };
    }
    default:
      return null;
  }
}
