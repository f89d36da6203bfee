// The floor of the simulation: calls arrive (non-homogeneous Poisson by thinning), wait in
// FIFO queues with an exponential patience, are routed to the longest-idle ready agent
// skilled for the queue, overflow when the site's rule holds, and are handled as
// talk/hold/wrap-up. The Engine (engine.ts) adds the agents' days and the event loop.
import type { OverflowRule } from '../../ingest/src/core/site-config.js';
import { profileAt, profileMax } from '../distributions/profile.js';
import { Rng } from '../distributions/rng.js';
import { exponential, handleTime } from '../distributions/sample.js';
import { Calendar } from './calendar.js';
import { Emitter, type EventSink } from './emitter.js';
import { TokenFifo } from './fifo.js';
import { agentsOf, type AgentSpec, type SimConfig } from './model.js';
import { QualitySim } from './quality.js';
import { SiteClock } from './site-clock.js';

// Calendar transition kinds.
export const ARRIVAL = 0,
  ABANDON = 1,
  OVERFLOW = 2,
  ANSWER = 3,
  HOLD_START = 4,
  HOLD_END = 5,
  CALL_END = 6;
export const WRAP_END = 7,
  LOGIN = 8,
  AUX_DUE = 9,
  AUX_END = 10,
  LOGOUT_DUE = 11,
  DAY_PLAN = 12;
// Agent status.
export const OFF = 0,
  READY = 1,
  RINGING = 2,
  BUSY = 3,
  AUX = 4,
  LUNCH_OUT = 5,
  GHOST = 6;
// Call status.
export const FREE = 0,
  WAITING = 1,
  ALERTING = 2,
  CONNECTED = 3,
  ROUTING = 4;

export const SEC = 1000;
/** Overflow rules are re-checked every 10 s for a waiting call, like a router's poll. */
export const OVERFLOW_RECHECK_MS = 10 * SEC;

export class AgentRt {
  status = OFF;
  /** Bumped on every status change; stale idle entries and timers compare against it. */
  token = 0;
  call = -1;
  plan = -1;
  pendingAux = -1;
  pendingLogout = false;
  constructor(
    readonly spec: AgentSpec,
    readonly skills: number[],
  ) {}
}

export class CallRt {
  gen = 0;
  id = '';
  queue = 0;
  offeredAt = 0;
  status = FREE;
  agent = -1;
  overflowed = false;
  /** Hashed caller key (service quality), '' when the run has none. */
  caller = '';
  talk1 = 0;
  hold = 0;
  talk2 = 0;
  wrap = 0;
}

export interface EngineStats {
  offered: number;
  answered: number;
  abandoned: number;
  overflowed: number;
  events: number;
}

export abstract class Floor {
  readonly clock: SiteClock;
  readonly agents: AgentSpec[];
  protected readonly cal = new Calendar<number>();
  protected readonly rng: Rng;
  protected readonly emit: Emitter;
  /** Callers, surveys and work orders; null for the queueing-validation runs (no workforce). */
  protected readonly quality: QualitySim | null;
  protected readonly ag: AgentRt[];
  protected readonly calls: CallRt[] = [];
  protected readonly freeCalls: number[] = [];
  protected readonly queueNames: string[];
  protected readonly waiting: TokenFifo[];
  protected readonly waitingCount: number[];
  protected readonly idle: TokenFifo[];
  protected readonly callLive: ((ref: number, tok: number) => boolean)[];
  protected readonly agentLive = (ref: number, tok: number): boolean => {
    const a = this.ag[ref]!;
    return a.token === tok && a.status === READY;
  };
  protected readonly rule: (OverflowRule & { toIndex: number })[] = [];
  protected readonly baseRate: number[];
  protected readonly maxRate: number[];
  /** Simulated time of the last processed transition. */
  now: number;
  readonly stats: EngineStats = { offered: 0, answered: 0, abandoned: 0, overflowed: 0, events: 0 };

  constructor(
    readonly cfg: SimConfig,
    sink: EventSink,
  ) {
    this.clock = new SiteClock(cfg.timezone);
    this.rng = new Rng(`${cfg.seed}|${cfg.site}|calls`);
    this.emit = new Emitter(cfg.site, this.clock, cfg.tsFormat, cfg.seed, cfg.from, sink);
    this.quality =
      cfg.workforce !== null && cfg.quality !== false
        ? new QualitySim(cfg.site, cfg.timezone, cfg.seed, cfg.from, cfg.to)
        : null;
    this.now = cfg.from;
    this.queueNames = cfg.queues.map((q) => q.name);
    const qIndex = new Map(this.queueNames.map((n, i) => [n, i]));
    this.agents = agentsOf(cfg);
    this.ag = this.agents.map(
      (s) =>
        new AgentRt(
          s,
          s.skills.map((k) => qIndex.get(k)).filter((i): i is number => i !== undefined),
        ),
    );
    this.waiting = cfg.queues.map(() => new TokenFifo());
    this.idle = cfg.queues.map(() => new TokenFifo());
    this.waitingCount = cfg.queues.map(() => 0);
    this.callLive = cfg.queues.map((_, q) => (ref: number, tok: number) => {
      const c = this.calls[ref]!;
      return c.gen === tok && c.status === WAITING && c.queue === q;
    });
    for (const r of cfg.overflow) {
      const from = qIndex.get(r.queue);
      const to = r.action.kind === 'overflow' ? qIndex.get(r.action.to) : undefined;
      if (from !== undefined && to !== undefined && to !== from)
        this.rule[from] = { ...r, toIndex: to };
    }
    const totalWeight = cfg.queues.reduce((s, q) => s + q.weight, 0) || 1;
    const peakFactor = profileMax(cfg.profile) * Math.max(...cfg.dow);
    // Calls per ms where profile x day factor = 1, and the thinning envelope above it.
    this.baseRate = cfg.queues.map(
      (q) => (cfg.peakCallsPerHour * q.weight) / totalWeight / 3_600_000,
    );
    this.maxRate = this.baseRate.map((r) => r * peakFactor);
    this.maxRate.forEach((r, q) => {
      if (r > 0) this.schedule(cfg.from + exponential(this.rng, 1 / r), ARRIVAL, q);
    });
  }

  /** Agents signed in (ghosts included: the ACD still thinks they are) and calls waiting now. */
  liveCounts(): { signedIn: number; ready: number; onCalls: number; waiting: number } {
    let signedIn = 0,
      ready = 0,
      onCalls = 0;
    for (const a of this.ag) {
      if (a.status !== OFF && a.status !== LUNCH_OUT) signedIn++;
      if (a.status === READY) ready++;
      if (a.status === RINGING || a.status === BUSY) onCalls++;
    }
    return { signedIn, ready, onCalls, waiting: this.waitingCount.reduce((s, n) => s + n, 0) };
  }
  protected schedule(t: number, kind: number, ref: number, token = 0): void {
    if (t < this.cfg.to) this.cal.push(t, kind, ref, token);
  }
  protected becomeReady(i: number): void {
    const a = this.ag[i]!;
    a.status = READY;
    a.token++;
    this.emit.state(this.now, a.spec.id, 'ready');
    // Take the longest-waiting call among the agent's queues, else wait in each idle line.
    let best = -1;
    let bestAt = Infinity;
    for (const q of a.skills) {
      const c = this.waiting[q]!.peek(this.callLive[q]!);
      if (c >= 0 && this.calls[c]!.offeredAt < bestAt) {
        best = c;
        bestAt = this.calls[c]!.offeredAt;
      }
    }
    if (best >= 0) {
      this.waiting[this.calls[best]!.queue]!.shift();
      return this.assign(best, i);
    }
    for (const q of a.skills) this.idle[q]!.push(i, a.token);
  }
  // ---- calls -------------------------------------------------------------------------

  protected onArrival(q: number): void {
    const max = this.maxRate[q]!;
    this.schedule(this.now + exponential(this.rng, 1 / max), ARRIVAL, q);
    // Thinning (Lewis-Shedler): accept a candidate from the envelope rate with probability
    // rate(t) / envelope, which yields a Poisson process with the time-varying rate.
    const shifted = this.now + this.cfg.profileShiftMs;
    const rate =
      this.baseRate[q]! *
      profileAt(this.cfg.profile, this.clock.hourOfDay(shifted)) *
      (this.cfg.dow[this.clock.weekday(shifted)] ?? 1);
    if (this.rng.next() * max >= rate) return;
    const slot = this.freeCalls.pop() ?? this.calls.push(new CallRt()) - 1;
    const c = this.calls[slot]!;
    c.gen++;
    c.id = this.emit.nextCallId();
    c.queue = q;
    c.offeredAt = this.now;
    c.status = ROUTING;
    c.agent = -1;
    c.overflowed = false;
    this.stats.offered++;
    c.caller = this.quality?.caller(this.now) ?? '';
    this.emit.call(this.now, 'call.offered', c.id, this.queueNames[q]!, c.caller);
    if (!this.routeOrQueue(slot)) {
      const patience = this.cfg.call.patienceS;
      if (patience !== null)
        this.schedule(this.now + exponential(this.rng, patience * SEC), ABANDON, slot, c.gen);
    }
  }

  /** Gives the call to the longest-idle ready agent of its queue, or queues it. Returns whether answered. */
  protected routeOrQueue(slot: number): boolean {
    const c = this.calls[slot]!;
    const q = c.queue;
    const agent = this.idle[q]!.peek(this.agentLive);
    if (agent >= 0) {
      this.idle[q]!.shift();
      this.assign(slot, agent);
      return true;
    }
    c.status = WAITING;
    this.waiting[q]!.push(slot, c.gen);
    this.waitingCount[q]!++;
    const r = this.rule[q];
    if (r && !c.overflowed)
      this.schedule(
        this.now + (r.conditions.longest_wait_gte_s ?? OVERFLOW_RECHECK_MS / SEC) * SEC,
        OVERFLOW,
        slot,
        c.gen,
      );
    return false;
  }

  protected leaveQueue(c: CallRt): void {
    if (c.status !== WAITING) return;
    this.waitingCount[c.queue]!--;
    c.status = ROUTING;
  }

  protected releaseCall(slot: number): void {
    const c = this.calls[slot]!;
    c.status = FREE;
    c.gen++;
    this.freeCalls.push(slot);
  }

  protected onAbandon(slot: number, gen: number): void {
    const c = this.calls[slot]!;
    if (c.gen !== gen || c.status !== WAITING) return;
    this.leaveQueue(c);
    this.stats.abandoned++;
    this.emit.call(this.now, 'call.abandoned', c.id, this.queueNames[c.queue]!);
    this.releaseCall(slot);
  }

  protected onOverflowCheck(slot: number, gen: number): void {
    const c = this.calls[slot]!;
    if (c.gen !== gen || c.status !== WAITING) return;
    const r = this.rule[c.queue];
    if (!r) return;
    const cond = r.conditions;
    const head = this.waiting[c.queue]!.peek(this.callLive[c.queue]!);
    const longest = head >= 0 ? (this.now - this.calls[head]!.offeredAt) / SEC : 0;
    // rolling SL is the server's figure; the simulator cannot see it, so it does not count.
    const checks: boolean[] = [];
    if (cond.waiting_gte !== undefined)
      checks.push(this.waitingCount[c.queue]! >= cond.waiting_gte);
    if (cond.longest_wait_gte_s !== undefined) checks.push(longest >= cond.longest_wait_gte_s);
    if (cond.waiting_no_ready) checks.push(true); // a call waits only when no skilled agent is ready
    const fire =
      checks.length > 0 && (r.mode === 'all' ? checks.every(Boolean) : checks.some(Boolean));
    if (!fire) return this.schedule(this.now + OVERFLOW_RECHECK_MS, OVERFLOW, slot, gen);
    this.leaveQueue(c);
    this.stats.overflowed++;
    this.emit.overflowed(this.now, c.id, this.queueNames[c.queue]!, this.queueNames[r.toIndex]!);
    c.queue = r.toIndex;
    c.overflowed = true;
    this.routeOrQueue(slot); // the patience clock keeps running from the first offer
  }

  protected assign(slot: number, i: number): void {
    const c = this.calls[slot]!;
    const a = this.ag[i]!;
    this.leaveQueue(c);
    c.status = ALERTING;
    c.agent = i;
    a.status = RINGING;
    a.token++;
    a.call = slot;
    const m = this.cfg.call;
    const total = handleTime(this.rng, m.handle, m.ahtS, m.handleCv) * SEC;
    c.wrap =
      m.wrapFraction > 0
        ? Math.min(total * 0.9, total * m.wrapFraction * this.rng.uniform(0.5, 1.5))
        : 0;
    const conv = total - c.wrap;
    if (m.holdProb > 0 && this.rng.chance(m.holdProb)) {
      c.hold = conv * m.holdFraction * this.rng.uniform(0.5, 1.5);
      c.talk1 = (conv - c.hold) * this.rng.uniform(0.2, 0.8);
      c.talk2 = conv - c.hold - c.talk1;
    } else {
      c.hold = 0;
      c.talk1 = conv;
      c.talk2 = 0;
    }
    if (m.ringS > 0) {
      this.emit.state(this.now, a.spec.id, 'ringing');
      this.schedule(this.now + m.ringS * SEC * this.rng.uniform(0.5, 1.5), ANSWER, slot);
    } else this.answer(slot);
  }

  protected answer(slot: number): void {
    const c = this.calls[slot]!;
    const a = this.ag[c.agent]!;
    c.status = CONNECTED;
    a.status = BUSY;
    this.stats.answered++;
    this.emit.callAgent(this.now, 'call.answered', c.id, this.queueNames[c.queue]!, a.spec.id);
    this.emit.state(this.now, a.spec.id, 'talking');
    this.schedule(this.now + c.talk1, c.hold > 0 ? HOLD_START : CALL_END, slot);
  }

  protected onHoldStart(slot: number): void {
    const c = this.calls[slot]!;
    this.emit.state(this.now, this.ag[c.agent]!.spec.id, 'hold');
    this.schedule(this.now + c.hold, HOLD_END, slot);
  }

  protected onHoldEnd(slot: number): void {
    const c = this.calls[slot]!;
    this.emit.state(this.now, this.ag[c.agent]!.spec.id, 'talking');
    this.schedule(this.now + c.talk2, CALL_END, slot);
  }

  protected onCallEnd(slot: number): void {
    const c = this.calls[slot]!;
    const i = c.agent;
    const a = this.ag[i]!;
    this.emit.callAgent(this.now, 'call.ended', c.id, this.queueNames[c.queue]!, a.spec.id);
    this.quality?.callEnded(this.now, c.id, a.spec.id, c.caller);
    const wrap = c.wrap;
    a.call = -1;
    this.releaseCall(slot);
    if (wrap > 0) {
      a.token++;
      this.emit.state(this.now, a.spec.id, 'wrap_up');
      this.schedule(this.now + wrap, WRAP_END, i, a.token);
    } else this.agentFree(i);
  }

  protected onWrapEnd(i: number, token: number): void {
    if (this.ag[i]!.token === token) this.agentFree(i);
  }

  /** After a call (and wrap-up): the workforce decides what the agent does next. */
  protected abstract agentFree(i: number): void;
}
