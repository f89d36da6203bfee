// One agent's figures for one operating day, so far at `now`: login conformance (with
// excused time removed from both sides), late/early flags, attendance and adherence.
// The SQL reports compute the same sums over stored events (queries/reports/*.sql).
import type { RosterSegment } from '../modules.js';
import type { WorkforceConfig } from '../site-config.js';
import { LOGGED_OUT, segmentStatus } from './adherence-map.js';
import { forEachRun, keyAt, type Timeline } from './timeline.js';

export interface Span {
  start: number;
  end: number;
}

/** All sums in milliseconds (integers), so live and SQL agree exactly. */
export interface AgentDayFigures {
  agent: string;
  team: string;
  day: string;
  /** Scheduled work so far, excused time removed. */
  scheduled_ms: number;
  logged_in_ms: number;
  excused_ms: number;
  late_sign_in: boolean;
  early_sign_out: boolean;
  /** Has scheduled work that has started by now. */
  scheduled: boolean;
  /** Logged in at some time within a scheduled work segment. */
  attended: boolean;
  adherence_scheduled_ms: number;
  in_adherence_ms: number;
  /**
   * How fast each conformance sum grows just after `now` (ms per ms: the work segments under
   * way, counted once each), so a board can carry the sums forward on its own clock until
   * a segment or excused span starts or ends, or an event arrives.
   */
  scheduled_now: number;
  logged_in_now: number;
  excused_now: number;
}

const overlap = (a0: number, a1: number, b0: number, b1: number): number =>
  Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));

/** Time of [s, e) covered by `spans` (disjoint). */
function covered(s: number, e: number, spans: readonly Span[]): number {
  let t = 0;
  for (const x of spans) t += overlap(s, e, x.start, x.end);
  return t;
}

/**
 * `segs` are the agent's segments of operating day `day` (any order); `excused` the
 * agent's excused spans (disjoint). Everything is clipped to before `now`.
 */
export function agentDayFigures(
  agent: string,
  day: string,
  segs: readonly RosterSegment[],
  excused: readonly Span[],
  tl: Timeline,
  wf: WorkforceConfig,
  now: number,
): AgentDayFigures {
  const f: AgentDayFigures = {
    agent,
    team: segs[0]?.team ?? '',
    day,
    scheduled_ms: 0,
    logged_in_ms: 0,
    excused_ms: 0,
    late_sign_in: false,
    early_sign_out: false,
    scheduled: false,
    attended: false,
    adherence_scheduled_ms: 0,
    in_adherence_ms: 0,
    scheduled_now: 0,
    logged_in_now: 0,
    excused_now: 0,
  };
  const work = new Set(wf.work_activities);
  let s0 = Infinity;
  let e0 = -Infinity;
  let rawSched = 0;
  let rawLogged = 0;
  let loggedExcused = 0;
  const runs: { s: number; e: number; key: string; open: boolean }[] = [];
  forEachRun(tl, now, (s, e, key, open) => runs.push({ s, e, key, open }));
  // The state and excuse in force from `now` on (a run or span starting at `now` counts).
  const inNow = keyAt(tl, now).key !== LOGGED_OUT;
  const excusedNow = excused.some((x) => x.start <= now && now < x.end);
  for (const seg of segs) {
    const end = Math.min(seg.end, now);
    const isWork = work.has(seg.activity);
    if (isWork) {
      s0 = Math.min(s0, seg.start);
      e0 = Math.max(e0, seg.end);
    }
    if (isWork && seg.start <= now && now < seg.end) {
      if (excusedNow) f.excused_now++;
      else {
        f.scheduled_now++;
        if (inNow) f.logged_in_now++;
      }
    }
    if (seg.start >= end) continue;
    if (isWork) {
      f.scheduled = true;
      rawSched += end - seg.start;
      f.excused_ms += covered(seg.start, end, excused);
    }
    const neutral =
      wf.adherence[seg.activity] === undefined || wf.adherence[seg.activity] === 'neutral';
    if (!neutral) f.adherence_scheduled_ms += end - seg.start;
    for (const r of runs) {
      const o = overlap(seg.start, end, r.s, r.e);
      if (o === 0) continue;
      if (isWork && r.key !== LOGGED_OUT) {
        rawLogged += o;
        loggedExcused += covered(Math.max(seg.start, r.s), Math.min(end, r.e), excused);
      }
      if (!neutral && segmentStatus(wf, seg.activity, r.key) === 'in') f.in_adherence_ms += o;
    }
  }
  f.scheduled_ms = rawSched - f.excused_ms;
  f.logged_in_ms = rawLogged - loggedExcused;
  f.attended = rawLogged > 0;
  if (s0 < now) {
    // 提前签入5分钟,错后5分钟签出: the sign-in/out window around the shift.
    const w0 = s0 - wf.sign_in_early_s * 1000;
    const w1 = e0 + wf.sign_out_late_s * 1000;
    let first: (typeof runs)[number] | undefined;
    let last: (typeof runs)[number] | undefined;
    for (const r of runs) {
      if (r.key === LOGGED_OUT || r.e <= w0 || r.s >= w1) continue;
      if (!first) first = r;
      last = r;
    }
    if (first && last) {
      f.late_sign_in = first.s > w0;
      f.early_sign_out = !last.open && last.e < w1;
    }
  }
  return f;
}
