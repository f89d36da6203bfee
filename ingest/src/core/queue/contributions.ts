// A call's contribution to the aggregates and to live membership (waiting, active, pinned),
// replaced as a whole whenever its record changes: the figures are a function of the record
// (call-record.ts), so the arrival order of its events does not matter.
import { pinCall, unpinCall, wrapAfter } from './agent-timeline.js';
import { handleOf, phaseOf, type CallRec, type Handle, type Phase } from './call-record.js';
import { callExpiryMs } from '../site-config.js';
import { agentRec, bucket, dayOf, getMap, grain, type EngineState } from './engine-state.js';

function dropValue(arr: number[], v: number): void {
  const i = arr.lastIndexOf(v);
  if (i < 0) return;
  arr[i] = arr[arr.length - 1] as number;
  arr.pop();
}

function applyPhase(s: EngineState, callId: string, r: CallRec, p: Phase, sign: 1 | -1): void {
  const bk = bucket(s, p.q, p.b);
  const arr = p.kind === 1 ? bk.ans : bk.abd;
  if (sign > 0) arr.push(p.waitMs);
  else dropValue(arr, p.waitMs);
  bk.cache = null;
  const rq = getMap(s.recent, p.q);
  // The record itself is the entry: its phase fields are the [end, kind, wait] read back.
  if (sign > 0) rq.set(callId, r);
  else rq.delete(callId);
  if (p.agent) {
    const a = agentRec(s, p.agent);
    const day = dayOf(s, p.endTs).start;
    if (sign > 0 && day > a.callsDay) [a.callsDay, a.callsN] = [day, 0];
    if (day === a.callsDay) a.callsN = Math.max(0, a.callsN + sign);
    s.dirtyA.add(p.agent);
  }
  s.dirtyQ.add(p.q);
}

function applyHandle(s: EngineState, h: Handle, sign: 1 | -1): void {
  const bk = bucket(s, h.q, h.b);
  bk.handleMs += sign * h.ms;
  bk.handled += sign;
  bk.cache = null;
  s.dirtyQ.add(h.q);
}

function computeHandle(s: EngineState, r: CallRec): Handle | null {
  const ansTs = r.answeredAt;
  const edTs = r.endedAt;
  if (Number.isNaN(ansTs) || Number.isNaN(edTs)) return null;
  const a = s.agents.get(r.edAgent);
  const w = a ? wrapAfter(a, edTs) : undefined;
  if (!w) return null;
  return { q: r.edQ, b: grain(s, edTs), ms: Math.max(0, edTs - ansTs) + w.wrapMs, until: w.until };
}

/**
 * The expiry a call with a known queue-phase end contributes: expired when that end's event
 * time is at or after offer + call_expiry_s (decided on event time, as the SQL does). A call
 * with no end yet is expired by the clock at read time (live-queues.ts), or for good when it
 * is dropped (fold.ts dropExpired).
 */
export function refreshExpiry(s: EngineState, r: CallRec): void {
  const deadline = r.offeredAt + callExpiryMs(s.cfg);
  const q = r.endKind !== 0 && r.endAt >= deadline ? r.wq : null;
  const b = q === null ? 0 : grain(s, deadline);
  if (q === r.exQ && b === r.exB) return;
  if (r.exQ !== null) addExpired(s, r.exQ, r.exB, -1);
  if (q !== null) addExpired(s, q, b, 1);
  r.exQ = q;
  r.exB = b;
}

export function addExpired(s: EngineState, q: string, b: number, n: number): void {
  const bk = bucket(s, q, b);
  bk.exp += n;
  bk.cache = null;
  s.dirtyQ.add(q);
}

/** Replaces the call's contribution and live membership with what its record implies now. */
export function refresh(s: EngineState, callId: string, r: CallRec): void {
  // The queue phase it implies now, compared field by field with the one it contributes:
  // objects are made only when it changes (about twice in a call's life), never kept.
  const pKind = !Number.isNaN(r.offeredAt) && r.endKind !== 0 ? r.endKind : 0;
  if (pKind !== 0) {
    const endTs = r.endAt;
    const b = grain(s, endTs);
    const waitMs = Math.max(0, endTs - r.offeredAt);
    const agent = pKind === 1 ? r.endAgent : null;
    if (
      r.phKind !== pKind ||
      r.phQ !== r.endQ ||
      r.phaseBucket !== b ||
      r.phaseWaitMs !== waitMs ||
      r.phaseEndAt !== endTs ||
      r.phAgent !== agent
    ) {
      const old = phaseOf(r);
      if (old) applyPhase(s, callId, r, old, -1);
      r.phKind = pKind;
      r.phQ = r.endQ;
      r.phAgent = agent;
      r.phaseBucket = b;
      r.phaseWaitMs = waitMs;
      r.phaseEndAt = endTs;
      applyPhase(s, callId, r, { q: r.endQ, b, kind: pKind, waitMs, endTs, agent }, 1);
    }
  } else if (r.phKind !== 0) {
    applyPhase(s, callId, r, phaseOf(r) as Phase, -1);
    r.phKind = 0;
    r.phQ = '';
    r.phAgent = null;
  }
  const handle = computeHandle(s, r);
  if (
    handle
      ? r.hdQ !== handle.q ||
        r.handleBucket !== handle.b ||
        r.handleMs !== handle.ms ||
        r.handleUntil !== handle.until
      : r.hdQ !== null
  ) {
    const old = handleOf(r);
    if (old) applyHandle(s, old, -1);
    r.hdQ = handle ? handle.q : null;
    if (handle) {
      r.handleBucket = handle.b;
      r.handleMs = handle.ms;
      r.handleUntil = handle.until;
      applyHandle(s, handle, 1);
    }
  }

  refreshExpiry(s, r);

  const wq = !Number.isNaN(r.offeredAt) && r.endKind === 0 && !r.lateBorn ? r.wq : null;
  if (wq !== r.waitingIn) {
    if (r.waitingIn) {
      s.waiting.get(r.waitingIn)?.delete(callId);
      s.dirtyQ.add(r.waitingIn);
    }
    if (wq) {
      getMap(s.waiting, wq).set(callId, r.offeredAt);
      s.dirtyQ.add(wq);
    }
    r.waitingIn = wq;
  }
  const act = r.endKind === 1 && Number.isNaN(r.endedAt) ? r.endAgent : null;
  if (act !== r.activeAgent) {
    if (r.activeAgent) {
      const a = agentRec(s, r.activeAgent);
      a.active = a.active.filter((c) => c !== callId);
      s.dirtyA.add(r.activeAgent);
    }
    if (act) {
      agentRec(s, act).active.push(callId);
      s.dirtyA.add(act);
    }
    r.activeAgent = act;
  }
  const pin = !Number.isNaN(r.answeredAt) && !Number.isNaN(r.endedAt) ? r.edAgent : null;
  if (r.pinAgent && r.pinAgent !== pin) {
    const a = s.agents.get(r.pinAgent);
    if (a) unpinCall(a, callId);
  }
  // Only a new pin or a moved end touches the agent's list (a busy agent's list is long).
  if (pin && (pin !== r.pinAgent || r.pinnedAt !== r.endedAt))
    pinCall(agentRec(s, pin), callId, r.endedAt, pin === r.pinAgent);
  r.pinAgent = pin;
  r.pinnedAt = pin ? r.endedAt : NaN;

  const done = r.phKind === 2 || (r.phKind === 1 && r.hdQ !== null);
  if (done) s.foldable.add(callId);
  else s.foldable.delete(callId);
}
