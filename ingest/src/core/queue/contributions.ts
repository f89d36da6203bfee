// A call's contribution to the aggregates and to live membership (waiting, active, pinned),
// replaced as a whole whenever its record changes: the figures are a function of the record
// (call-record.ts), so the arrival order of its events does not matter.
import { pinCall, unpinCall, wrapAfter } from './agent-timeline.js';
import { sameHandle, samePhase, type CallRec, type Contrib, type Handle, type Phase } from './call-record.js';
import { agentRec, bucket, dayOf, getMap, grain, type EngineState } from './engine-state.js';

function dropValue(arr: number[], v: number): void {
  const i = arr.lastIndexOf(v);
  if (i < 0) return;
  arr[i] = arr[arr.length - 1] as number;
  arr.pop();
}

function applyPhase(s: EngineState, callId: string, p: Phase, sign: 1 | -1): void {
  const bk = bucket(s, p.q, p.b);
  const arr = p.kind === 1 ? bk.ans : bk.abd;
  if (sign > 0) arr.push(p.waitMs);
  else dropValue(arr, p.waitMs);
  bk.cache = null;
  const rq = getMap(s.recent, p.q);
  if (sign > 0) rq.set(callId, [p.endTs, p.kind, p.waitMs]);
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
  if (Number.isNaN(r.ansTs) || Number.isNaN(r.edTs)) return null;
  const a = s.agents.get(r.edAgent);
  const w = a ? wrapAfter(a, r.edTs) : undefined;
  if (!w) return null;
  return { q: r.edQ, b: grain(s, r.edTs), ms: Math.max(0, r.edTs - r.ansTs) + w.wrapMs, until: w.until };
}

/** Replaces the call's contribution and live membership with what its record implies now. */
export function refresh(s: EngineState, callId: string, r: CallRec): void {
  const phase: Phase | null =
    !Number.isNaN(r.offTs) && r.endKind !== 0
      ? { q: r.endQ, b: grain(s, r.endTs), kind: r.endKind, waitMs: Math.max(0, r.endTs - r.offTs), endTs: r.endTs, agent: r.endKind === 1 ? r.endAgent : null }
      : null;
  const handle = computeHandle(s, r);
  const old: Contrib = r.contrib ?? { phase: null, handle: null };
  if (!samePhase(old.phase, phase)) {
    if (old.phase) applyPhase(s, callId, old.phase, -1);
    if (phase) applyPhase(s, callId, phase, 1);
  }
  if (!sameHandle(old.handle, handle)) {
    if (old.handle) applyHandle(s, old.handle, -1);
    if (handle) applyHandle(s, handle, 1);
  }
  r.contrib = phase || handle ? { phase, handle } : null;

  const wq = !Number.isNaN(r.offTs) && r.endKind === 0 && !r.lateBorn ? r.wq : null;
  if (wq !== r.waitingIn) {
    if (r.waitingIn) {
      s.waiting.get(r.waitingIn)?.delete(callId);
      s.dirtyQ.add(r.waitingIn);
    }
    if (wq) {
      getMap(s.waiting, wq).set(callId, r.offTs);
      s.dirtyQ.add(wq);
    }
    r.waitingIn = wq;
  }
  const act = r.endKind === 1 && Number.isNaN(r.edTs) ? r.endAgent : null;
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
  const pin = !Number.isNaN(r.ansTs) && !Number.isNaN(r.edTs) ? r.edAgent : null;
  if (r.pinAgent && r.pinAgent !== pin) {
    const a = s.agents.get(r.pinAgent);
    if (a) unpinCall(a, callId);
  }
  // Only a new pin or a moved end touches the agent's list (a busy agent's list is long).
  if (pin && (pin !== r.pinAgent || r.pinTs !== r.edTs)) pinCall(agentRec(s, pin), callId, r.edTs, pin === r.pinAgent);
  r.pinAgent = pin;
  r.pinTs = pin ? r.edTs : NaN;

  const done = phase !== null && (phase.kind === 2 || handle !== null);
  if (done) s.foldable.add(callId);
  else s.foldable.delete(callId);
}
