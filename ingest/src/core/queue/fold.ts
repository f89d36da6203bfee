// Forgetting: finished calls are folded (record dropped, contribution kept) once the newest
// event time is the fold horizon past everything they depend on, and a new operating day
// drops the previous day's buckets and records. Keeps live state within the 2 KB-per-agent goal.
import { unpinCall } from './agent-timeline.js';
import { callExpiryMs } from '../site-config.js';
import { phaseOf, type CallRec } from './call-record.js';
import { addExpired } from './contributions.js';
import { RECENT_MS, dayOf, foldHorizon, grain, type EngineState } from './engine-state.js';

const DAY_MS = 86_400_000;

/**
 * Drops calls that never ended (no answer or abandon) once a day since their offer is past
 * the fold horizon, keeping their expiry in the aggregates. Kept until then because an end
 * that comes after the deadline but within the 24-hour rule still counts as answered or
 * abandoned (docs/definitions.md), and needs the offer time. Without this a feed that loses
 * end events would hold every such call for ever.
 */
export function dropExpired(s: EngineState): void {
  const horizon = foldHorizon(s);
  const x = callExpiryMs(s.cfg);
  for (const [q, m] of s.waiting)
    for (const [id, off] of m) {
      if (off + DAY_MS >= horizon) continue;
      addExpired(s, q, grain(s, off + x), 1);
      m.delete(id);
      s.calls.delete(id);
      s.foldable.delete(id);
      s.foldedCount++;
    }
}

function unpin(s: EngineState, agent: string | null, call: string): void {
  const a = agent ? s.agents.get(agent) : undefined;
  if (a) unpinCall(a, call);
}

export function pruneRecentFolded(s: EngineState, before: number): void {
  for (const rf of s.recentFolded.values()) {
    let n = 0;
    while (n < rf.ts.length && (rf.ts[n] as number) < before) n++;
    if (n > 0) {
      rf.ts.splice(0, n);
      rf.w.splice(0, n);
    }
  }
}

/** Heap bytes one held finished call costs with its map and set entries (heap snapshots: ~600). */
export const HELD_CALL_BYTES = 600;

/** A partial sweep stops after this many calls in a row that are still inside the horizon. */
const PARTIAL_SWEEP_STOP = 512;

/** The newest event time a finished call's figures depend on (its events and its wrap-up). */
function dependsOn(r: CallRec): number {
  return r.hdQ === null ? r.lastAt : Math.max(r.lastAt, r.handleUntil);
}

/**
 * Keeps the finished calls held for late events within the budget. When more are held, the
 * floor moves up to the dependency time that leaves three quarters of the budget (never
 * closer to the newest event than minFoldAfter) and a sweep folds what lies below it. The
 * floor never moves back, so an event below it is known to be possibly folded (late-born).
 * Under a sustained 15,000 calls/s the five-minute horizon would hold 4.5M records (~2.7 GB).
 * Past the memory ceiling the floor may come within minFoldAfter of the newest event too
 * (never past it: a new call at the newest time must not be late-born).
 */
export function foldToBudget(s: EngineState): void {
  const maxTs = s.maxTs;
  if (maxTs === null) return;
  const n = s.foldable.size;
  const over = n > s.ceiling;
  const keep = Math.floor((over ? Math.min(s.maxHeld, s.ceiling) : s.maxHeld) * 0.75);
  if (n > keep) {
    // The floor is the (n - keep)-th smallest dependency time, read off an even sample of
    // at most 2,048 calls: sorting every held call each time would grow with maxHeldCalls.
    const step = Math.max(1, Math.floor(n / 2048));
    const sample = new Float64Array(Math.ceil(n / step));
    let i = 0;
    let m = 0;
    for (const id of s.foldable) {
      if (i++ % step !== 0) continue;
      const r = s.calls.get(id);
      if (r) sample[m++] = dependsOn(r);
    }
    const sorted = sample.subarray(0, m).sort();
    const at = Math.min(m - 1, Math.floor(((n - keep) / n) * m));
    const floor = Math.min(
      keep === 0 || m === 0 ? Infinity : (sorted[at] as number),
      over ? maxTs : maxTs - s.minFoldAfter,
    );
    if (floor > s.foldFloor) s.foldFloor = floor;
    sweep(s, false);
  }
  // Checked again once a quarter of the budget more is held (amortised O(1) per call), and
  // not before a second of event time passed: when the floor is held back by minFoldAfter
  // (more calls end per 10 s than the budget), checking sooner would only sweep in vain.
  const budget = Math.min(s.maxHeld, s.ceiling);
  s.budgetCheckAt = Math.max(budget, s.foldable.size + Math.ceil(budget / 4));
  s.budgetCheckTs = maxTs + 1000;
}

/** Folds the finished calls whose dependencies are all older than the horizon. */
export function sweep(s: EngineState, full = true): void {
  const maxTs = s.maxTs;
  if (maxTs === null) return;
  pruneRecentFolded(s, maxTs - RECENT_MS);
  if (full) dropExpired(s);
  const horizon = foldHorizon(s);
  const early = maxTs - s.foldAfter;
  let kept = 0;
  for (const id of s.foldable) {
    const r = s.calls.get(id);
    if (!r) {
      s.foldable.delete(id);
      continue;
    }
    const d = dependsOn(r);
    if (d >= horizon) {
      // Calls join `foldable` about when they finish, so past a long run of calls still
      // inside the horizon the rest are newer still: a partial sweep stops there (the full
      // one every 10 s of event time picks up any straggler).
      if (!full && ++kept >= PARTIAL_SWEEP_STOP) break;
      continue;
    }
    kept = 0;
    if (d >= early) s.earlyFolded++;
    unpin(s, r.pinAgent, id);
    const p = phaseOf(r);
    if (p) {
      s.recent.get(p.q)?.delete(id);
      if (p.endTs >= maxTs - RECENT_MS) {
        let rf = s.recentFolded.get(p.q);
        if (!rf) s.recentFolded.set(p.q, (rf = { ts: [], w: [] }));
        rf.ts.push(p.endTs);
        rf.w.push(p.kind === 1 ? p.waitMs : -p.waitMs - 1);
      }
    }
    s.calls.delete(id);
    s.foldable.delete(id);
    s.foldedCount++;
  }
}

/** Drops what belongs to operating days before the one containing `now`. */
export function roll(s: EngineState, now: number): void {
  const day = dayOf(s, now);
  for (const m of [...s.buckets.values(), ...s.occSettled.values()])
    for (const b of [...m.keys()]) if (b < day.start) m.delete(b);
  for (const m of s.recent.values())
    for (const [id, r] of m) if (r.phaseEndAt < now - RECENT_MS) m.delete(id);
  pruneRecentFolded(s, now - RECENT_MS);
  for (const [id, r] of s.calls) {
    if (r.waitingIn !== null || r.activeAgent !== null || r.lastAt >= day.start) continue;
    unpin(s, r.pinAgent, id);
    s.calls.delete(id);
    s.foldable.delete(id);
  }
}
