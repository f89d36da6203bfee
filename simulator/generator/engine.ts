// The contact-centre simulation: the event loop over one calendar, and the agents' days
// (roster plus behaviour: sign-in, breaks, lunch, training, sign-out, ghosts) on top of the
// floor's calls and routing (floor.ts). Every state change is emitted, at the simulated
// instant, as a contract event; so output is ordered by ts.
import { planAgentDay, type AgentDayPlan } from '../roster/plan.js';
import type { EventSink } from './emitter.js';
import {
  ABANDON,
  ANSWER,
  ARRIVAL,
  AUX,
  AUX_DUE,
  AUX_END,
  BUSY,
  CALL_END,
  DAY_PLAN,
  Floor,
  GHOST,
  HOLD_END,
  HOLD_START,
  LOGIN,
  LOGOUT_DUE,
  LUNCH_OUT,
  OFF,
  OVERFLOW,
  READY,
  RINGING,
  WRAP_END,
} from './floor.js';
import type { SimConfig } from './model.js';

export type { EngineStats } from './floor.js';

export class Engine extends Floor {
  private readonly plans: AgentDayPlan[] = [];
  private readonly baseDate: string;
  private readonly outQuality = (
    t: number,
    id: string,
    ev: Parameters<Engine['emit']['prepared']>[2],
  ): void => this.emit.prepared(t, id, ev);

  constructor(cfg: SimConfig, sink: EventSink) {
    super(cfg, sink);
    this.baseDate = this.clock.date(cfg.from);
    if (cfg.workforce === null && cfg.shifts.length === 0) {
      // Queueing validation: everyone signed in and ready for the whole run.
      this.ag.forEach((_, i) => this.cal.push(cfg.from, LOGIN, i, -1));
    } else {
      for (let k = -1; k <= 2; k++) this.planDay(k);
      this.schedule(
        this.clock.at(this.clock.addDays(this.baseDate, 2), 0) - 3 * 3_600_000,
        DAY_PLAN,
        3,
      );
    }
  }

  get done(): boolean {
    return this.cal.peekTime() >= this.cfg.to;
  }

  /** Processes every transition before min(t, to); returns whether the run is finished. */
  runUntil(t: number): boolean {
    const limit = Math.min(t, this.cfg.to);
    while (this.cal.peekTime() < limit || (this.cal.peekTime() === limit && limit < this.cfg.to)) {
      const s = this.cal.pop()!;
      this.quality?.flush(s.t, this.outQuality);
      this.now = s.t;
      this.dispatch(s.kind, s.ref, s.token);
    }
    this.quality?.flush(limit, this.outQuality, limit < this.cfg.to);
    if (limit > this.now) this.now = limit;
    this.stats.events = this.emit.count;
    return this.done;
  }
  private dispatch(kind: number, ref: number, token: number): void {
    switch (kind) {
      case ARRIVAL:
        return this.onArrival(ref);
      case ABANDON:
        return this.onAbandon(ref, token);
      case OVERFLOW:
        return this.onOverflowCheck(ref, token);
      case ANSWER:
        return this.answer(ref);
      case HOLD_START:
        return this.onHoldStart(ref);
      case HOLD_END:
        return this.onHoldEnd(ref);
      case CALL_END:
        return this.onCallEnd(ref);
      case WRAP_END:
        return this.onWrapEnd(ref, token);
      case LOGIN:
        return this.onLogin(ref, token);
      case AUX_DUE:
        return this.onAuxDue(ref, token);
      case AUX_END:
        return this.onAuxEnd(ref, token);
      case LOGOUT_DUE:
        return this.onLogoutDue(ref);
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
    const j = plan
      ? plan.aux.findIndex((x) => x.due <= this.now && this.now < x.due + x.durationMs)
      : -1;
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
    if (a.status === LUNCH_OUT)
      this.emit.login(this.now, a.spec.id, a.spec.name, a.spec.team, a.spec.skills);
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
    if (plan?.ghost)
      a.status = GHOST; // vanishes: no logout, the board keeps its last state
    else {
      a.status = OFF;
      this.emit.logout(this.now, a.spec.id);
    }
  }
  /** After a call (and wrap-up): log out, take the pending break, or become ready. */
  protected agentFree(i: number): void {
    const a = this.ag[i]!;
    if (a.pendingLogout) return this.logout(i);
    if (a.pendingAux >= 0) {
      const x = this.plans[a.plan]?.aux[a.pendingAux];
      a.pendingAux = -1;
      if (x) return this.startAux(i, x, this.now + x.durationMs);
    }
    this.becomeReady(i);
  }
}
