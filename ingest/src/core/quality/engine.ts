// The live service-quality engine of one site: work orders and their timers, surveys, calls
// with a caller key (FCR, repeat complaints), incidents. Pure: no timers, no I/O; time is
// `now`. Every record is keyed (ticket, call, event id), so applying an event twice (hydrate
// then replay) changes nothing.
//   apply (committed events) → warnings(now) → alert candidates; live(now) → board tile
import type { FwEvent } from '../contract.js';
import { intervalStart, isoZ, operatingDay, type OperatingDay } from '../queue/time-buckets.js';
import type { SiteConfig } from '../site-config.js';
import { qualityConfig, type QualityConfig } from './config.js';
import { CallTable } from './calls.js';
import type { QualityCheckpoint } from './checkpoint.js';
import { qualityFigures, type FigureOptions, type QualityBy, type QualityRow } from './figures.js';
import { Keys } from './keys.js';
import { SurveyTable } from './surveys.js';
import { bulletinOnTime, type Incident } from './incidents.js';
import {
  timeLeftS,
  type IncidentLive,
  type OrderLive,
  type QualityFigure,
  type QualityLive,
} from './live.js';
import { volumeSpikes, type VolumeSpike } from './volume-watch.js';

export type { QualityCheckpoint } from './checkpoint.js';
import {
  applyTicketEvent,
  isTicketEvent,
  newTicket,
  nextTicketChange,
  nextTicketDue,
  ticketState,
  ticketTimes,
  ticketWarnings,
  type TicketRec,
  type TicketWarning,
} from './tickets.js';

const DAY_MS = 86_400_000;

/**
 * Events that change what the quality tile shows at once (orders, surveys). Calls and sign-ins
 * feed FCR and team figures too, but those are picked up by the board's 1 s clock check, so a
 * busy site does not recompute the day's figures on every batch of calls.
 */
export function isQualityEvent(ev: FwEvent): boolean {
  return ev.type.startsWith('ticket.') || ev.type === 'call.survey';
}

/** Events the quality engine reads at all. */
export function readsEvent(ev: FwEvent): boolean {
  return (
    isQualityEvent(ev) ||
    (ev.type === 'call.offered' && ev.caller !== undefined) ||
    ev.type === 'call.answered' ||
    ev.type === 'agent.login'
  );
}
/** Board list length: the orders nearest their limit; the counts cover the rest. */
const ORDERS_SHOWN = 12;

function insertSorted(list: number[], v: number): void {
  let i = list.length;
  while (i > 0 && (list[i - 1] as number) > v) i--;
  list.splice(i, 0, v);
}

export class QualityEngine {
  private cfg: SiteConfig;
  private q: QualityConfig;
  // Not readonly: importState replaces them with a checkpoint's.
  tickets = new Map<string, TicketRec>();
  /** Agents the call and survey rows name, by id. */
  private agents = Keys.of(['']);
  private surveys = new SurveyTable(this.agents);
  private calls = new CallTable(this.agents);
  private callerComplaints = new Map<string, number[]>();
  /** Ticket ids already counted in callerComplaints. */
  private complaintSeen = new Set<string>();
  /** Each agent's team from its latest sign-in (by event time). */
  private teams = new Map<string, { team: string; ts: number }>();
  private readonly incidents = new Map<string, Incident>();
  /** Complaint tickets per category per interval start, for the volume watch. */
  private volume: { counts: Map<string, Map<number, number>>; since: number | null } = {
    counts: new Map(),
    since: null,
  };

  constructor(
    readonly site: string,
    cfg: SiteConfig,
  ) {
    this.cfg = cfg;
    this.q = qualityConfig(cfg);
  }

  get config(): QualityConfig {
    return this.q;
  }

  configure(cfg: SiteConfig): void {
    this.cfg = cfg;
    this.q = qualityConfig(cfg);
    this.day = null;
    this.warned = null;
  }

  apply(ev: FwEvent): void {
    if (isTicketEvent(ev)) {
      this.warned = null;
      let t = this.tickets.get(ev.ticket);
      if (!t) this.tickets.set(ev.ticket, (t = newTicket(ev.ticket)));
      if (ev.type === 'ticket.created' && t.created === null)
        this.countComplaint(ev.category, ev.ts);
      applyTicketEvent(t, ev);
      if (ev.type === 'ticket.created' && ev.caller && !this.complaintSeen.has(ev.ticket)) {
        this.complaintSeen.add(ev.ticket);
        let list = this.callerComplaints.get(ev.caller);
        if (!list) this.callerComplaints.set(ev.caller, (list = []));
        insertSorted(list, ev.ts);
      }
      return;
    }
    switch (ev.type) {
      case 'call.survey':
        this.surveys.set(ev.id, {
          ts: ev.ts,
          score: ev.score ?? null,
          satisfied: ev.satisfied ?? null,
          agent: ev.agent ?? '',
        });
        break;
      case 'call.offered':
        if (ev.caller) this.calls.offered(ev.call, ev.ts, ev.caller);
        break;
      case 'call.answered':
        this.calls.answered(ev.call, ev.agent);
        break;
      case 'agent.login':
        if (ev.team && ev.ts >= (this.teams.get(ev.agent)?.ts ?? -Infinity))
          this.teams.set(ev.agent, { team: ev.team, ts: ev.ts });
        break;
      default:
        break;
    }
  }

  private countComplaint(category: string, ts: number): void {
    let m = this.volume.counts.get(category);
    if (!m) this.volume.counts.set(category, (m = new Map()));
    const start = intervalStart(ts, this.cfg.timezone, this.cfg.interval_minutes);
    m.set(start, (m.get(start) ?? 0) + 1);
    if (this.volume.since === null || ts < this.volume.since) this.volume.since = ts;
  }

  /** Complaint categories spiking in the current interval (mean + k·σ of the same interval in past weeks). */
  spikes(now: number): VolumeSpike[] {
    return volumeSpikes(this.volume, this.q, this.cfg.timezone, this.cfg.interval_minutes, now);
  }

  // ---- incidents ----

  addIncident(i: Incident): void {
    this.incidents.set(i.id, { ...i, services: [...i.services] });
  }

  incident(id: string): Incident | undefined {
    const i = this.incidents.get(id);
    return i ? { ...i, services: [...i.services] } : undefined;
  }

  listIncidents(): Incident[] {
    return [...this.incidents.values()]
      .sort((a, b) => a.created_at - b.created_at)
      .map((i) => ({ ...i, services: [...i.services] }));
  }

  // ---- warnings ----

  /**
   * The last warnings(), kept until a work-order event, a configuration or the clock reaching
   * `until` can change them: the alert engine asks on every evaluation (4 a second on a busy
   * site), and a day holds tens of thousands of orders.
   */
  private warned: { at: number; until: number; list: readonly TicketWarning[] } | null = null;

  /** The work-order warnings that hold at `now`, over every open order. */
  warnings(now: number): readonly TicketWarning[] {
    const c = this.warned;
    if (c && now >= c.at && now < c.until) return c.list;
    const zone = this.cfg.timezone;
    const list: TicketWarning[] = [];
    let until = Infinity;
    for (const t of this.tickets.values()) {
      until = Math.min(until, nextTicketChange(t, this.q, zone, now));
      if (t.closed === null || t.closed > now) list.push(...ticketWarnings(t, this.q, zone, now));
    }
    this.warned = { at: now, until, list };
    return list;
  }

  /** The next instant a work-order warning begins, or null (for a runtime that evaluates exactly then). */
  nextDue(now: number): number | null {
    let due = Infinity;
    for (const t of this.tickets.values()) {
      const d = nextTicketDue(t, this.q, this.cfg.timezone, now);
      if (d !== null && d < due) due = d;
    }
    for (const i of this.incidents.values())
      if (i.resolved_at === null && i.bulletin_at === null && i.bulletin_due > now)
        due = Math.min(due, i.bulletin_due);
    return Number.isFinite(due) ? due : null;
  }

  // ---- figures ----

  /** The operating day figures last asked for: the tile's figures read it once per call. */
  private day: OperatingDay | null = null;
  private dayOf = (ms: number): string => {
    const d = this.day;
    if (d && ms >= d.start && ms < d.end) return d.day;
    return (this.day = operatingDay(ms, this.cfg.timezone, this.cfg.day_start)).day;
  };

  figures(by: QualityBy, from: number, to: number, now: number): QualityRow[] {
    const teams = this.teams;
    const o: FigureOptions = {
      by,
      q: this.q,
      zone: this.cfg.timezone,
      dayOf: this.dayOf,
      from,
      to,
      now,
      site: this.site,
    };
    return qualityFigures(
      {
        tickets: this.tickets.values(),
        surveys: this.surveys,
        calls: this.calls,
        callerComplaints: this.callerComplaints,
        teamOf: (a) => teams.get(a)?.team ?? '',
      },
      o,
    );
  }

  live(now: number): QualityLive {
    const zone = this.cfg.timezone;
    const open = { new: 0, signed: 0, dispatched: 0, replied: 0 };
    let nearLimit = 0;
    let overdue = 0;
    // Only the ORDERS_SHOWN nearest their limit are kept (by due time, then id), and their due
    // time formatted: a whole day can hold tens of thousands of open orders, and the tile is
    // rebuilt on every timed delta. By the due instant, not the minutes left: the list then
    // stays the same as the clock runs, and the board counts each order's time left itself.
    const orders: (Omit<OrderLive, 'due'> & { due: number })[] = [];
    const before = (a: { due: number; ticket: string }, due: number, id: string) =>
      due < a.due || (due === a.due && id < a.ticket);
    for (const t of this.tickets.values()) {
      if (t.created === null || t.created > now) continue;
      const state = ticketState(t, now);
      if (state === 'closed') continue;
      open[state]++;
      const times = ticketTimes(t as TicketRec & { created: number }, this.q, zone, now);
      const left = times.due - now;
      const w = ticketWarnings(t, this.q, zone, now);
      // Near a limit: any of its timers has run out (sign, reply, extension), or the due time is close.
      if (left <= 0) overdue++;
      else if (w.length > 0 || left <= this.q.near_limit_s * 1000) nearLimit++;
      const time_left_s = timeLeftS(times.due, now);
      const last = orders[ORDERS_SHOWN - 1];
      if (last && !before(last, times.due, t.ticket)) continue;
      const worst =
        w.find((x) => x.kind === 'ticket_overdue') ??
        w.find((x) => x.kind === 'ticket_late_extension') ??
        w[0];
      let i = Math.min(orders.length, ORDERS_SHOWN - 1);
      while (i > 0 && before(orders[i - 1] as (typeof orders)[number], times.due, t.ticket)) i--;
      orders.splice(i, 0, {
        ticket: t.ticket,
        category: t.category,
        class: t.class,
        state,
        department: t.department,
        due: times.due,
        time_left_s,
        warning: worst?.kind ?? null,
      });
      if (orders.length > ORDERS_SHOWN) orders.pop();
    }
    const day = operatingDay(now, zone, this.cfg.day_start);
    const rows = this.figures('site', day.start, day.end, now);
    const r = rows[0];
    const t = this.q.targets;
    const fig = (
      value: number | null,
      target: number,
      goal: 'min' | 'max',
      formula: string,
      text: string,
      n: number,
      d: number,
    ): QualityFigure => ({
      value,
      target,
      goal,
      explain: { formula, text, numerator: n, denominator: d },
    });
    return {
      open,
      open_total: open.new + open.signed + open.dispatched + open.replied,
      near_limit: nearLimit,
      overdue,
      orders: orders.map((o) => ({ ...o, due: isoZ(o.due, zone) })),
      today: {
        on_time: fig(
          r?.on_time_rate ?? null,
          t.on_time,
          'min',
          'on_time',
          'orders closed by their due time / orders closed today',
          r?.closed_on_time ?? 0,
          r?.closed ?? 0,
        ),
        follow_up: fig(
          r?.follow_up_rate ?? null,
          t.follow_up,
          'min',
          'follow_up',
          'closed orders followed up / orders closed today',
          r?.followed_up ?? 0,
          r?.closed ?? 0,
        ),
        repeat: fig(
          r?.repeat_rate ?? null,
          t.repeat_max,
          'max',
          'repeat',
          `complaints whose caller complained in the previous ${this.q.repeat_days} days / complaints with a caller today`,
          r?.repeat_complaints ?? 0,
          r?.complaints ?? 0,
        ),
        satisfaction: fig(
          r?.satisfaction ?? null,
          t.satisfaction,
          'min',
          'satisfaction',
          `surveys satisfied (yes, or score ≥ ${this.q.satisfied_min_score}) / surveys today`,
          r?.satisfied ?? 0,
          r?.surveys ?? 0,
        ),
        mean_score: r?.mean_score ?? null,
        fcr: fig(
          r?.fcr ?? null,
          t.fcr,
          'min',
          'fcr',
          `calls whose caller did not call again within ${this.q.fcr_days} days / calls with a caller today`,
          r?.resolved_first ?? 0,
          r?.calls ?? 0,
        ),
      },
      incidents: this.activeIncidents(zone),
      fcr_days: this.q.fcr_days,
      repeat_days: this.q.repeat_days,
    };
  }

  private activeIncidents(zone: string): IncidentLive[] {
    const out: IncidentLive[] = [];
    for (const i of this.incidents.values()) {
      if (i.resolved_at !== null) continue;
      out.push({
        id: i.id,
        title: i.title,
        users_affected: i.users_affected,
        services: [...i.services],
        kind: i.kind,
        level: i.level,
        start: isoZ(i.start, zone),
        bulletin: i.bulletin,
        bulletin_due: isoZ(i.bulletin_due, zone),
        bulletin_on_time: bulletinOnTime(i),
      });
    }
    return out;
  }

  /** Event-derived state for a checkpoint (live objects: serialise them in the same turn). */
  exportState(): QualityCheckpoint {
    return {
      tickets: this.tickets,
      agents: this.agents.state(),
      calls: this.calls.columns(),
      surveys: this.surveys.columns(),
      callerComplaints: this.callerComplaints,
      complaintSeen: this.complaintSeen,
      teams: this.teams,
      volume: this.volume,
    };
  }

  /**
   * Replaces the event-derived state with a checkpoint's. Incidents are not events: they stay
   * as loaded from the store. Work-order events the store loaded before this are in the
   * checkpoint too (applying one twice changes nothing).
   */
  importState(c: QualityCheckpoint): void {
    // Each order remembers its due time with the configuration it was computed for, compared
    // by identity; the checkpoint's copy of an equal configuration is made this one again, or
    // the first evaluation computes every order's due time anew (a luxon walk each).
    const same = new Map<QualityConfig, boolean>();
    const mine = JSON.stringify(this.q);
    for (const t of c.tickets.values()) {
      const m = t.memo;
      if (!m) continue;
      let eq = same.get(m.q);
      if (eq === undefined) same.set(m.q, (eq = JSON.stringify(m.q) === mine));
      if (eq) m.q = this.q;
    }
    this.tickets = c.tickets;
    this.warned = null;
    this.agents = new Keys(c.agents);
    this.calls = CallTable.from(c.calls, this.agents);
    this.surveys = SurveyTable.from(c.surveys, this.agents);
    this.callerComplaints = c.callerComplaints;
    this.complaintSeen = c.complaintSeen;
    this.teams = c.teams;
    this.volume = c.volume;
  }

  /**
   * Drops what no figure or timer needs any more: orders closed more than repeat_days + 1
   * days ago (and their follow-up window), surveys and calls older than fcr_days + 1 days
   * before today, and incidents resolved before today.
   */
  roll(now: number): void {
    const keep = now - (Math.max(this.q.repeat_days, this.q.fcr_days) + 2) * DAY_MS;
    this.warned = null;
    for (const [id, t] of this.tickets) {
      if (t.closed === null || t.closed >= keep) continue;
      this.tickets.delete(id);
      this.complaintSeen.delete(id);
    }
    // Only FCR looks back at calls (for later calls of the same caller), and only today's
    // surveys count: a month of them would be most of a checkpoint.
    const keepCalls = now - (this.q.fcr_days + 2) * DAY_MS;
    this.surveys = this.surveys.without(keepCalls);
    this.calls = this.calls.without(keepCalls);
    for (const [k, list] of this.callerComplaints) {
      const i = list.findIndex((x) => x >= keep);
      if (i === -1) this.callerComplaints.delete(k);
      else if (i > 0) list.splice(0, i);
    }
    for (const m of this.volume.counts.values())
      for (const k of m.keys()) if (k < keep) m.delete(k);
    const day = operatingDay(now, this.cfg.timezone, this.cfg.day_start);
    for (const [id, i] of this.incidents)
      if (i.resolved_at !== null && i.resolved_at < day.start) this.incidents.delete(id);
  }
}
