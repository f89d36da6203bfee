// The contact-centre simulation: a discrete-event engine over one calendar. Calls arrive
// (non-homogeneous Poisson by thinning), wait in FIFO queues with an exponential patience,
// are routed to the longest-idle ready agent skilled for the queue, overflow when the site's
// rule holds, and are handled as talk/hold/wrap-up. Agents follow their day plans (roster
// plus behaviour). Every state change is emitted, at the simulated instant, as a contract
// event; so output is ordered by ts.
import type { OverflowRule } from '../../ingest/src/core/site-config.js';
import { profileAt, profileMax } from '../distributions/profile.js';
import { Rng } from '../distributions/rng.js';
import { exponential, handleTime } from '../distributions/sample.js';
import { planAgentDay, type AgentDayPlan } from '../roster/plan.js';
import { Calendar } from './calendar.js';
import { Emitter, type EventSink } from './emitter.js';
import { TokenFifo } from './fifo.js';
import { agentsOf, type AgentSpec, type SimConfig } from './model.js';
import { SiteClock } from './site-clock.js';

// Calendar transition kinds.
const ARRIVAL = 0, ABANDON = 1, OVERFLOW = 2, ANSWER = 3, HOLD_START = 4, HOLD_END = 5, CALL_END = 6;
const WRAP_END = 7, LOGIN = 8, AUX_DUE = 9, AUX_END = 10, LOGOUT_DUE = 11, DAY_PLAN = 12;
// Agent status.
const OFF = 0, READY = 1, RINGING = 2, BUSY = 3, AUX = 4, LUNCH_OUT = 5, GHOST = 6;
// Call status.
const FREE = 0, WAITING = 1, ALERTING = 2, CONNECTED = 3, ROUTING = 4;

const SEC = 1000;
/** Overflow rules are re-checked every 10 s for a waiting call, like a router's poll. */
const OVERFLOW_RECHECK_MS = 10 * SEC;

class AgentRt {
  status = OFF;
  /** Bumped on every status change; stale idle entries and timers compare against it. */
  token = 0;
  call = -1;
  plan = -1;
  pendingAux = -1;
  pendingLogout = false;
  constructor(readonly spec: AgentSpec, readonly skills: number[]) {}
}

class CallRt {
  gen = 0;
  id = '';
  queue = 0;
  offeredAt = 0;
  status = FREE;
  agent = -1;
  overflowed = false;
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

export class Engine {
  readonly clock: SiteClock;
  readonly agents: AgentSpec[];
  private readonly cal = new Calendar<number>();
  private readonly rng: Rng;
  private readonly emit: Emitter;
  private readonly ag: AgentRt[];
  private readonly calls: CallRt[] = [];
  private readonly freeCalls: number[] = [];
  private readonly plans: AgentDayPlan[] = [];
  private readonly queueNames: string[];
  private readonly waiting: TokenFifo[];
  private readonly waitingCount: number[];
  private readonly idle: TokenFifo[];
  private readonly callLive: ((ref: number, tok: number) => boolean)[];
  private readonly agentLive = (ref: number, tok: number): boolean => {
    const a = this.ag[ref]!;
    return a.token === tok && a.status === READY;
  };
  private readonly rule: (OverflowRule & { toIndex: number })[] = [];
  private readonly baseRate: number[];
  private readonly maxRate: number[];
  private readonly baseDate: string;
  /** Simulated time of the last processed transition. */
  now: number;
  readonly stats: EngineStats = { offered: 0, answered: 0, abandoned: 0, overflowed: 0, events: 0 };

  constructor(readonly cfg: SimConfig, sink: EventSink) {
    this.clock = new SiteClock(cfg.timezone);
    this.rng = new Rng(`${cfg.seed}|${cfg.site}|calls`);
    this.emit = new Emitter(cfg.site, this.clock, cfg.tsFormat, cfg.seed, cfg.from, sink);
    this.now = cfg.from;
    this.queueNames = cfg.queues.map((q) => q.name);
    const qIndex = new Map(this.queueNames.map((n, i) => [n, i]));
    this.agents = agentsOf(cfg);
    this.ag = this.agents.map((s) => new AgentRt(s, s.skills.map((k) => qIndex.get(k)).filter((i): i is number => i !== undefined)));
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
      if (from !== undefined && to !== undefined && to !== from) this.rule[from] = { ...r, toIndex: to };
    }
    const totalWeight = cfg.queues.reduce((s, q) => s + q.weight, 0) || 1;
    const peakFactor = profileMax(cfg.profile) * Math.max(...cfg.dow);
    // Calls per ms where profile x day factor = 1, and the thinning envelope above it.
    this.baseRate = cfg.queues.map((q) => (cfg.peakCallsPerHour * q.weight) / totalWeight / 3_600_000);
    this.maxRate = this.baseRate.map((r) => r * peakFactor);
    this.maxRate.forEach((r, q) => {
      if (r > 0) this.schedule(cfg.from + exponential(this.rng, 1 / r), ARRIVAL, q);
    });
    this.baseDate = this.clock.date(cfg.from);
    if (cfg.workforce === null && cfg.shifts.length === 0) {
      // Queueing validation: everyone signed in and ready for the whole run.
      this.ag.forEach((_, i) => this.cal.push(cfg.from, LOGIN, i, -1));
    } else {
      for (let k = -1; k <= 2; k++) this.planDay(k);
      this.schedule(this.clock.at(this.clock.addDays(this.baseDate, 2), 0) - 3 * 3_600_000, DAY_PLAN, 3);
    }
  }

  /** Agents signed in (ghosts included: the ACD still thinks they are) and calls waiting now. */
  liveCounts(): { signedIn: number; ready: number; onCalls: number; waiting: number } {
    let signedIn = 0, ready = 0, onCalls = 0;
    for (const a of this.ag) {
      if (a.status !== OFF && a.status !== LUNCH_OUT) signedIn++;
      if (a.status === READY) ready++;
      if (a.status === RINGING || a.status === BUSY) onCalls++;
    }
    return { signedIn, ready, onCalls, waiting: this.waitingCount.reduce((s, n) => s + n, 0) };
  }

  get done(): boolean {
    return this.cal.peekTime() >= this.cfg.to;
  }

  /** Processes every transition before min(t, to); returns whether the run is finished. */
  runUntil(t: number): boolean {
    const limit = Math.min(t, this.cfg.to);
    while (this.cal.peekTime() < limit || (this.cal.peekTime() === limit && limit < this.cfg.to)) {
      const s = this.cal.pop()!;
      this.now = s.t;
      this.dispatch(s.kind, s.ref, s.token);
    }
    if (limit > this.now) this.now = limit;
    this.stats.events = this.emit.count;
    return this.done;
  }

  private schedule(t: number, kind: number, ref: number, token = 0): void {
    if (t < this.cfg.to) this.cal.push(t, kind, ref, token);
  }

  private dispatch(kind: number, ref: number, token: number): void {
    switch (kind) {
      case ARRIVAL: return this.onArrival(ref);
      case ABANDON: return this.onAbandon(ref, token);
      case OVERFLOW: return this.onOverflowCheck(ref, token);
      case ANSWER: return this.answer(ref);
      case HOLD_START: return this.onHoldStart(ref);
      case HOLD_END: return this.onHoldEnd(ref);
      case CALL_END: return this.onCallEnd(ref);
      case WRAP_END: return this.onWrapEnd(ref, token);
      case LOGIN: return this.onLogin(ref, token);
      case AUX_DUE: return this.onAuxDue(ref, token);
      case AUX_END: return this.onAuxEnd(ref, token);
      case LOGOUT_DUE: return this.onLogoutDue(ref);
      case DAY_PLAN: {
        this.planDay(ref);
        const next = this.clock.at(this.clock.addDays(this.baseDate, ref), 0) - 3 * 3_600_000;
        return this.schedule(next, DAY_PLAN, ref + 1);
      }
    }
  }

  // ---- workforce ---------------------------------------------------------------------

  private planDay(k: number): void {
    const date = this.clock.addDays(this.baseDate, k);
    const { from, to } = this.cfg;
    this.agents.forEach((spec, i) => {
      const plan = planAgentDay(this.cfg, this.clock, spec, i, date);
      if (!plan || plan.absent || plan.logoutAt <= from || plan.loginAt >= to) return;
      const p = this.plans.push(plan) - 1;
      this.schedule(Math.max(plan.loginAt, from), LOGIN, i, p);
      plan.aux.forEach((a, j) => {
        if (a.due >= from && a.due > plan.loginAt) this.schedule(a.due, AUX_DUE, p, j);
      });
      this.schedule(plan.logoutAt, LOGOUT_DUE, p);
    });
  }

  private onLogin(i: number, planIdx: number): void {
    const a = this.ag[i]!;
    if (a.status !== OFF && a.status !== GHOST) {
      a.plan = planIdx; // still in the previous session: carry on under the new plan
      return;
    }
    a.plan = planIdx;
    a.pendingAux = -1;
    a.pendingLogout = false;
    this.emit.login(this.now, a.spec.id, a.spec.name, a.spec.team, a.spec.skills);
    // Signed in during a break (a warm start or a very late arrival): start there.
    const plan = this.plans[planIdx];
    const j = plan ? plan.aux.findIndex((x) => x.due <= this.now && this.now < x.due + x.durationMs) : -1;
    if (plan && j >= 0) {
      const x = plan.aux[j]!;
      this.startAux(i, { ...x, logout: false }, x.due + x.durationMs);
    } else this.becomeReady(i);
  }

  private onAuxDue(planIdx: number, j: number): void {
    const plan = this.plans[planIdx]!;
    const i = plan.agent;
    const a = this.ag[i]!;
    if (a.plan !== planIdx) return;
    if (a.status === READY) this.startAux(i, plan.aux[j]!, this.now + plan.aux[j]!.durationMs);
    else if ((a.status === RINGING || a.status === BUSY) && a.pendingAux < 0) a.pendingAux = j;
  }

  private startAux(i: number, x: { activity: string; logout: boolean }, endAt: number): void {
    const a = this.ag[i]!;
    a.token++;
    if (x.logout) {
      a.status = LUNCH_OUT;
      this.emit.logout(this.now, a.spec.id);
    } else {
      a.status = AUX;
      this.emit.state(this.now, a.spec.id, 'not_ready', x.activity);
    }
    this.schedule(endAt, AUX_END, i, a.token);
  }

  private onAuxEnd(i: number, token: number): void {
    const a = this.ag[i]!;
    if (a.token !== token) return;
    if (a.status === LUNCH_OUT) this.emit.login(this.now, a.spec.id, a.spec.name, a.spec.team, a.spec.skills);
    if (a.status === LUNCH_OUT || a.status === AUX) this.becomeReady(i);
  }

  private onLogoutDue(planIdx: number): void {
    const i = this.plans[planIdx]!.agent;
    const a = this.ag[i]!;
    if (a.plan !== planIdx) return;
    if (a.status === RINGING || a.status === BUSY) a.pendingLogout = true;
    else if (a.status === LUNCH_OUT) {
      a.status = OFF; // already logged out over a lunch that ran to the end of the shift
      a.token++;
    } else if (a.status === READY || a.status === AUX) this.logout(i);
  }

  private logout(i: number): void {
    const a = this.ag[i]!;
    a.token++;
    a.pendingLogout = false;
    const plan = this.plans[a.plan];
    if (plan?.ghost) a.status = GHOST; // vanishes: no logout, the board keeps its last state
    else {
      a.status = OFF;
      this.emit.logout(this.now, a.spec.id);
    }
  }

  /** After a call (and wrap-up): log out, take the pending break, or become ready. */
  private agentFree(i: number): void {
    const a = this.ag[i]!;
    if (a.pendingLogout) return this.logout(i);
    if (a.pendingAux >= 0) {
      const x = this.plans[a.plan]?.aux[a.pendingAux];
      a.pendingAux = -1;
      if (x) return this.startAux(i, x, this.now + x.durationMs);
    }
    this.becomeReady(i);
  }

  private becomeReady(i: number): void {
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

  private onArrival(q: number): void {
    const max = this.maxRate[q]!;
    this.schedule(this.now + exponential(this.rng, 1 / max), ARRIVAL, q);
    // Thinning (Lewis-Shedler): accept a candidate from the envelope rate with probability
    // rate(t) / envelope, which yields a Poisson process with the time-varying rate.
    const shifted = this.now + this.cfg.profileShiftMs;
    const rate = this.baseRate[q]! * profileAt(this.cfg.profile, this.clock.hourOfDay(shifted)) * (this.cfg.dow[this.clock.weekday(shifted)] ?? 1);
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
    this.emit.call(this.now, 'call.offered', c.id, this.queueNames[q]!);
    if (!this.routeOrQueue(slot)) {
      const patience = this.cfg.call.patienceS;
      if (patience !== null) this.schedule(this.now + exponential(this.rng, patience * SEC), ABANDON, slot, c.gen);
    }
  }

  /** Gives the call to the longest-idle ready agent of its queue, or queues it. Returns whether answered. */
  private routeOrQueue(slot: number): boolean {
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
    if (r && !c.overflowed) this.schedule(this.now + (r.conditions.longest_wait_gte_s ?? OVERFLOW_RECHECK_MS / SEC) * SEC, OVERFLOW, slot, c.gen);
    return false;
  }

  private leaveQueue(c: CallRt): void {
    if (c.status !== WAITING) return;
    this.waitingCount[c.queue]!--;
    c.status = ROUTING;
  }

  private releaseCall(slot: number): void {
    const c = this.calls[slot]!;
    c.status = FREE;
    c.gen++;
    this.freeCalls.push(slot);
  }

  private onAbandon(slot: number, gen: number): void {
    const c = this.calls[slot]!;
    if (c.gen !== gen || c.status !== WAITING) return;
    this.leaveQueue(c);
    this.stats.abandoned++;
    this.emit.call(this.now, 'call.abandoned', c.id, this.queueNames[c.queue]!);
    this.releaseCall(slot);
  }

  private onOverflowCheck(slot: number, gen: number): void {
    const c = this.calls[slot]!;
    if (c.gen !== gen || c.status !== WAITING) return;
    const r = this.rule[c.queue];
    if (!r) return;
    const cond = r.conditions;
    const head = this.waiting[c.queue]!.peek(this.callLive[c.queue]!);
    const longest = head >= 0 ? (this.now - this.calls[head]!.offeredAt) / SEC : 0;
    // rolling SL is the server's figure; the simulator cannot see it, so it does not count.
    const checks: boolean[] = [];
    if (cond.waiting_gte !== undefined) checks.push(this.waitingCount[c.queue]! >= cond.waiting_gte);
    if (cond.longest_wait_gte_s !== undefined) checks.push(longest >= cond.longest_wait_gte_s);
    if (cond.waiting_no_ready) checks.push(true); // a call waits only when no skilled agent is ready
    const fire = checks.length > 0 && (r.mode === 'all' ? checks.every(Boolean) : checks.some(Boolean));
    if (!fire) return this.schedule(this.now + OVERFLOW_RECHECK_MS, OVERFLOW, slot, gen);
    this.leaveQueue(c);
    this.stats.overflowed++;
    this.emit.overflowed(this.now, c.id, this.queueNames[c.queue]!, this.queueNames[r.toIndex]!);
    c.queue = r.toIndex;
    c.overflowed = true;
    this.routeOrQueue(slot); // the patience clock keeps running from the first offer
  }

  private assign(slot: number, i: number): void {
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
    c.wrap = m.wrapFraction > 0 ? Math.min(total * 0.9, total * m.wrapFraction * this.rng.uniform(0.5, 1.5)) : 0;
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

  private answer(slot: number): void {
    const c = this.calls[slot]!;
    const a = this.ag[c.agent]!;
    c.status = CONNECTED;
    a.status = BUSY;
    this.stats.answered++;
    this.emit.callAgent(this.now, 'call.answered', c.id, this.queueNames[c.queue]!, a.spec.id);
    this.emit.state(this.now, a.spec.id, 'talking');
    this.schedule(this.now + c.talk1, c.hold > 0 ? HOLD_START : CALL_END, slot);
  }

  private onHoldStart(slot: number): void {
    const c = this.calls[slot]!;
    this.emit.state(this.now, this.ag[c.agent]!.spec.id, 'hold');
    this.schedule(this.now + c.hold, HOLD_END, slot);
  }

  private onHoldEnd(slot: number): void {
    const c = this.calls[slot]!;
    this.emit.state(this.now, this.ag[c.agent]!.spec.id, 'talking');
    this.schedule(this.now + c.talk2, CALL_END, slot);
  }

  private onCallEnd(slot: number): void {
    const c = this.calls[slot]!;
    const i = c.agent;
    const a = this.ag[i]!;
    this.emit.callAgent(this.now, 'call.ended', c.id, this.queueNames[c.queue]!, a.spec.id);
    const wrap = c.wrap;
    a.call = -1;
    this.releaseCall(slot);
    if (wrap > 0) {
      a.token++;
      this.emit.state(this.now, a.spec.id, 'wrap_up');
      this.schedule(this.now + wrap, WRAP_END, i, a.token);
    } else this.agentFree(i);
  }

  private onWrapEnd(i: number, token: number): void {
    if (this.ag[i]!.token === token) this.agentFree(i);
  }
}
