// The live queue and agent engine of one site: a pure reducer from committed events to
// live state (calls waiting, agents by state) and per-interval aggregates, plus the
// calculators for the board and the interval report. No timers, no I/O: time is `now`.
//
// Definitions (design.md), exactly as queries/reports/intervals.sql computes them:
// - wait = end of the queue phase (earliest call.answered / call.abandoned) minus the
//   earliest call.offered of the call (overflow keeps it); negative waits count as 0.
// - offered/answered/abandoned are counted in the interval (and queue) where the queue
//   phase ended; within threshold = wait <= T; short abandon = wait < short_abandon_s.
// - AHT: handle = (newest call.ended - earliest call.answered) [talk + hold] + wrap-up,
//   where wrap-up is: the ending agent's first event at or after call.ended; if it is a
//   wrap_up state, the time until that agent's next event, else 0. The call counts in the
//   interval and queue of its call.ended once that is known (wrap-up over).
// - Intervals are local wall-clock floors in the site zone (time-buckets.ts). Aggregates
//   are kept in 15-minute buckets and summed to 30/60 at read, so changing
//   interval_minutes needs no rebuild.
//
// Out of order: a call's figures are a function of its record (call-record.ts), so each
// event replaces the call's old contribution with the new one, whatever the arrival
// order. Agent events are placed in event-time order in a short per-agent history.
// Finished calls are folded (record dropped, contribution kept) once the newest event
// time is `foldAfterMs` past everything they depend on. No tombstone per folded call is
// kept (at 20,000 agents a day has ~1M calls: ~50 MB of ids): a call first seen through
// an event older than the horizon is "late-born" and never shown as waiting. An agent
// event older than the agent's settled history is not applied live (SQL still counts
// it) and is counted in stats().tooLate.
import type { FwEvent } from '../contract.js';
import type { AgentCore, IntervalRow, QueueEngineModule } from '../modules.js';
import { queueConfig, type SiteConfig } from '../site-config.js';
import type { Explain, QueueLive } from '../snapshot.js';
import { insertEvent, newAgent, prune, toAgentEv, wrapAfter, type AgentRec } from './agent-timeline.js';
import { foldCallEvent, newCall, sameHandle, samePhase, type CallRec, type Contrib, type Handle, type Phase } from './call-record.js';
import { addCounts, bucketCounts, emptyCounts, figures, newBucket, serviceLevel, type Bucket, type Counts } from './figures.js';
import { occupancyIn, settler, type OccBuckets } from './occupancy.js';
import { intervalStart, isoZ, nextIntervalStart, operatingDay, type OperatingDay } from './time-buckets.js';

/** Aggregation grain: 15 min divides every allowed interval (15/30/60). */
const GRAIN_MIN = 15;
/** Rolling-SL memory: windows up to 3 h (overflow rules use minutes). */
const RECENT_MS = 3 * 3_600_000;
/** Fold sweeps run at most every 10 s of event time. */
const SWEEP_EVERY_MS = 10_000;

export interface QueueEngineOptions {
  latenessMs: number;
  /** How long (event time) a finished call's record is kept for late events; default max(5 min, 30 x lateness). */
  foldAfterMs?: number;
}

export interface QueueEngineStats {
  calls: number;
  agents: number;
  folded: number;
  /** Agent events older than the agent's settled history (not applied live). */
  tooLate: number;
  /** Call records first seen through an event older than the fold horizon. */
  lateCalls: number;
}

export interface QueueEngine extends QueueEngineModule {
  stats(): QueueEngineStats;
}


export function createQueueEngine(site: string, cfgIn: SiteConfig, opts: { latenessMs: number; foldAfterMs?: number }): QueueEngine {
  let cfg = cfgIn;
  const foldAfter = opts.foldAfterMs ?? Math.max(5 * 60_000, 30 * opts.latenessMs);
  const calls = new Map<string, CallRec>();
  let foldedCount = 0;
  const agents = new Map<string, AgentRec>();
  /** queue -> 15-min bucket start -> aggregates. */
  const buckets = new Map<string, Map<number, Bucket>>();
  /** queue (or "*" for agents serving every queue) -> bucket -> settled state time. */
  const occSettled: OccBuckets = new Map();
  const waiting = new Map<string, Map<string, number>>();
  /** queue -> call -> [end ts, kind, wait ms] for rolling service level. */
  const recent = new Map<string, Map<string, [number, 1 | 2, number]>>();
  /**
   * Folded calls' [end ts, signed wait] per queue for rolling SL (wait >= 0 answered,
   * -wait-1 abandoned): two numbers per call instead of a map entry (~16 B vs ~120 B).
   */
  const recentFolded = new Map<string, { ts: number[]; w: number[] }>();
  const known = new Set<string>(Object.keys(cfg.queues));
  const foldable = new Set<string>();
  let dirtyQ = new Set<string>();
  let dirtyA = new Set<string>();
  let maxTs: number | null = null;
  let lastSweep = -Infinity;
  let tooLate = 0;
  let lateCalls = 0;
  let dayCache: OperatingDay | null = null;

  const zone = () => cfg.timezone;
  const grain = (t: number) => intervalStart(t, zone(), GRAIN_MIN);
  function dayOf(t: number): OperatingDay {
    if (!dayCache || t < dayCache.start || t >= dayCache.end) dayCache = operatingDay(t, zone(), cfg.day_start);
    return dayCache;
  }
  function getMap<K, V>(m: Map<string, Map<K, V>>, k: string): Map<K, V> {
    let v = m.get(k);
    if (!v) {
      v = new Map();
      m.set(k, v);
    }
    return v;
  }
  function bucket(q: string, b: number): Bucket {
    const m = getMap(buckets, q);
    let x = m.get(b);
    if (!x) {
      x = newBucket();
      m.set(b, x);
    }
    return x;
  }
  function agentRec(id: string): AgentRec {
    let a = agents.get(id);
    if (!a) {
      a = newAgent(id);
      agents.set(id, a);
    }
    return a;
  }
  function dropValue(arr: number[], v: number): void {
    const i = arr.lastIndexOf(v);
    if (i < 0) return;
    arr[i] = arr[arr.length - 1] as number;
    arr.pop();
  }

  function applyPhase(callId: string, p: Phase, sign: 1 | -1): void {
    const bk = bucket(p.q, p.b);
    const arr = p.kind === 1 ? bk.ans : bk.abd;
    if (sign > 0) arr.push(p.waitMs);
    else dropValue(arr, p.waitMs);
    bk.cache = null;
    const rq = getMap(recent, p.q);
    if (sign > 0) rq.set(callId, [p.endTs, p.kind, p.waitMs]);
    else rq.delete(callId);
    if (p.agent) {
      const a = agentRec(p.agent);
      const day = dayOf(p.endTs).start;
      if (sign > 0 && day > a.callsDay) [a.callsDay, a.callsN] = [day, 0];
      if (day === a.callsDay) a.callsN = Math.max(0, a.callsN + sign);
      dirtyA.add(p.agent);
    }
    dirtyQ.add(p.q);
  }
  function applyHandle(h: Handle, sign: 1 | -1): void {
    const bk = bucket(h.q, h.b);
    bk.handleMs += sign * h.ms;
    bk.handled += sign;
    bk.cache = null;
    dirtyQ.add(h.q);
  }

  function computeHandle(r: CallRec): Handle | null {
    if (Number.isNaN(r.ansTs) || Number.isNaN(r.edTs)) return null;
    const a = agents.get(r.edAgent);
    const w = a ? wrapAfter(a, r.edTs) : undefined;
    if (!w) return null;
    return { q: r.edQ, b: grain(r.edTs), ms: Math.max(0, r.edTs - r.ansTs) + w.wrapMs, until: w.until };
  }

  /** Replaces the call's contribution and live membership with what its record implies now. */
  function refresh(callId: string, r: CallRec): void {
    const phase: Phase | null =
      !Number.isNaN(r.offTs) && r.endKind !== 0
        ? { q: r.endQ, b: grain(r.endTs), kind: r.endKind, waitMs: Math.max(0, r.endTs - r.offTs), endTs: r.endTs, agent: r.endKind === 1 ? r.endAgent : null }
        : null;
    const handle = computeHandle(r);
    const old: Contrib = r.contrib ?? { phase: null, handle: null };
    if (!samePhase(old.phase, phase)) {
      if (old.phase) applyPhase(callId, old.phase, -1);
      if (phase) applyPhase(callId, phase, 1);
    }
    if (!sameHandle(old.handle, handle)) {
      if (old.handle) applyHandle(old.handle, -1);
      if (handle) applyHandle(handle, 1);
    }
    r.contrib = phase || handle ? { phase, handle } : null;

    const wq = !Number.isNaN(r.offTs) && r.endKind === 0 && !r.lateBorn ? r.wq : null;
    if (wq !== r.waitingIn) {
      if (r.waitingIn) {
        waiting.get(r.waitingIn)?.delete(callId);
        dirtyQ.add(r.waitingIn);
      }
      if (wq) {
        getMap(waiting, wq).set(callId, r.offTs);
        dirtyQ.add(wq);
      }
      r.waitingIn = wq;
    }
    const act = r.endKind === 1 && Number.isNaN(r.edTs) ? r.endAgent : null;
    if (act !== r.activeAgent) {
      if (r.activeAgent) {
        const a = agentRec(r.activeAgent);
        a.active = a.active.filter((c) => c !== callId);
        dirtyA.add(r.activeAgent);
      }
      if (act) {
        agentRec(act).active.push(callId);
        dirtyA.add(act);
      }
      r.activeAgent = act;
    }
    const pin = !Number.isNaN(r.ansTs) && !Number.isNaN(r.edTs) ? r.edAgent : null;
    if (r.pinAgent && r.pinAgent !== pin) agents.get(r.pinAgent)?.pins.delete(callId);
    if (pin) agentRec(pin).pins.set(callId, r.edTs);
    r.pinAgent = pin;

    const done = phase !== null && (phase.kind === 2 || handle !== null);
    if (done) foldable.add(callId);
    else foldable.delete(callId);
  }

  const settle = (a: AgentRec) => settler(occSettled, a, zone(), GRAIN_MIN);

  function pruneRecentFolded(before: number): void {
    for (const rf of recentFolded.values()) {
      let n = 0;
      while (n < rf.ts.length && (rf.ts[n] as number) < before) n++;
      if (n > 0) {
        rf.ts.splice(0, n);
        rf.w.splice(0, n);
      }
    }
  }

  function sweep(): void {
    if (maxTs === null) return;
    pruneRecentFolded(maxTs - RECENT_MS);
    const horizon = maxTs - foldAfter;
    for (const id of foldable) {
      const r = calls.get(id);
      if (!r) {
        foldable.delete(id);
        continue;
      }
      const dep = Math.max(r.lastTs, r.contrib?.handle?.until ?? -Infinity);
      if (dep >= horizon) continue;
      if (r.pinAgent) agents.get(r.pinAgent)?.pins.delete(id);
      const p = r.contrib?.phase;
      if (p) {
        recent.get(p.q)?.delete(id);
        if (p.endTs >= maxTs - RECENT_MS) {
          let rf = recentFolded.get(p.q);
          if (!rf) recentFolded.set(p.q, (rf = { ts: [], w: [] }));
          rf.ts.push(p.endTs);
          rf.w.push(p.kind === 1 ? p.waitMs : -p.waitMs - 1);
        }
      }
      calls.delete(id);
      foldable.delete(id);
      foldedCount++;
    }
  }

  function applyCall(ev: Extract<FwEvent, { call: string }>): void {
    let r = calls.get(ev.call);
    if (!r) {
      r = newCall();
      // Born from an event older than the fold horizon: the call may have been folded
      // already, so it never shows as waiting (a phantom); its figures still count, and
      // cannot count twice (a folded call's phase and handle need events it no longer has).
      if (maxTs !== null && ev.ts < maxTs - foldAfter) {
        r.lateBorn = true;
        lateCalls++;
      }
      calls.set(ev.call, r);
    }
    known.add(ev.queue);
    if (ev.type === 'call.overflowed') known.add(ev.to_queue);
    foldCallEvent(r, ev);
    if ('agent' in ev) {
      const a = agentRec(ev.agent);
      if (ev.ts > a.lastTs) a.lastTs = ev.ts;
    }
    refresh(ev.call, r);
  }

  function applyAgent(ev: Extract<FwEvent, { agent: string; call?: never }>): void {
    const a = agentRec(ev.agent);
    if (ev.type === 'agent.login' && ev.ts >= a.loginTs) {
      a.loginTs = ev.ts;
      if (ev.name !== undefined) a.name = ev.name;
      if (ev.team !== undefined) a.team = ev.team;
      a.queues = ev.queues ?? [];
      for (const q of a.queues) known.add(q);
    }
    if (!insertEvent(a, toAgentEv(ev))) {
      tooLate++;
      return;
    }
    dirtyA.add(a.id);
    for (const id of [...a.pins.keys()]) {
      const r = calls.get(id);
      if (r) refresh(id, r);
    }
    if (maxTs !== null) prune(a, maxTs - foldAfter, settle(a));
  }

  function counts(q: string, from: number, to: number): Counts {
    const c = emptyCounts();
    const m = buckets.get(q);
    if (!m) return c;
    const qc = queueConfig(cfg, q);
    for (const [b, bk] of m) if (b >= from && b < to) addCounts(c, bucketCounts(bk, qc));
    return c;
  }

  const occupancyBy = (windows: { from: number; to: number }[], now: number) => occupancyIn(occSettled, agents.values(), windows, now);

  function isStale(a: AgentRec, now: number): boolean {
    return a.cur.loggedIn && now - a.lastTs > cfg.alerts.ghost_agent_s * 1000;
  }

  function core(a: AgentRec, now: number): AgentCore {
    const today = dayOf(now).start;
    return {
      agent: a.id,
      name: a.name,
      team: a.team,
      state: a.cur.st,
      reason: a.cur.rs,
      since: isoZ(a.cur.since, zone()),
      stale: isStale(a, now),
      current_call: a.active[a.active.length - 1] ?? null,
      calls_today: a.callsDay === today ? a.callsN : 0,
    };
  }

  function waitingPast(q: string, now: number): number {
    const t = queueConfig(cfg, q).threshold_s * 1000;
    let n = 0;
    for (const off of waiting.get(q)?.values() ?? []) if (now - off > t) n++;
    return n;
  }

  const engine: QueueEngine = {
    configure(next) {
      cfg = next;
      dayCache = null;
      for (const q of Object.keys(cfg.queues)) known.add(q);
    },
    apply(ev) {
      if (ev.site !== site) return;
      if (maxTs === null || ev.ts > maxTs) maxTs = ev.ts;
      if ('call' in ev) applyCall(ev);
      else applyAgent(ev);
      if (maxTs - lastSweep >= SWEEP_EVERY_MS) {
        lastSweep = maxTs;
        sweep();
      }
    },
    queues(now) {
      const cur = intervalStart(now, zone(), cfg.interval_minutes);
      const day = dayOf(now);
      const occ = occupancyBy([{ from: cur, to: now + 1 }, { from: day.start, to: now + 1 }], now);
      const byState = new Map<string, Record<string, number>>();
      const ready = new Map<string, number>();
      for (const a of agents.values()) {
        if (!a.cur.loggedIn) continue;
        const st = isStale(a, now) ? 'stale' : a.cur.st;
        for (const k of a.queues.length ? a.queues : ['*']) {
          const r = byState.get(k) ?? {};
          r[st] = (r[st] ?? 0) + 1;
          byState.set(k, r);
          if (st === 'ready') ready.set(k, (ready.get(k) ?? 0) + 1);
        }
      }
      const all = byState.get('*') ?? {};
      const occAll = occ.get('*');
      const out: QueueLive[] = [];
      for (const q of [...known].sort()) {
        const qc = queueConfig(cfg, q);
        const w = waiting.get(q);
        let oldest = Infinity;
        for (const t of w?.values() ?? []) if (t < oldest) oldest = t;
        const states: Record<string, number> = { ...all };
        for (const [k, v] of Object.entries(byState.get(q) ?? {})) states[k] = (states[k] ?? 0) + v;
        const oq = occ.get(q);
        const occAt = (i: number) => ({ busyMs: (oq?.[i]?.busy ?? 0) + (occAll?.[i]?.busy ?? 0), readyMs: (oq?.[i]?.ready ?? 0) + (occAll?.[i]?.ready ?? 0) });
        const past = waitingPast(q, now);
        out.push({
          queue: q,
          waiting: w?.size ?? 0,
          longest_wait_s: oldest === Infinity ? 0 : Math.max(0, (now - oldest) / 1000),
          ready_agents: (ready.get(q) ?? 0) + (ready.get('*') ?? 0),
          agents_by_state: states,
          threshold_s: qc.threshold_s,
          target: qc.target,
          sl_variant: qc.variant,
          interval: figures(counts(q, cur, nextIntervalStart(cur, zone(), cfg.interval_minutes)), qc, occAt(0), past),
          today: figures(counts(q, day.start, day.end), qc, occAt(1), past),
        });
      }
      return out;
    },
    agents(now) {
      return [...agents.values()]
        .filter((a) => a.hist.length > 0 || a.cur.loggedIn)
        .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
        .map((a) => core(a, now));
    },
    agent(id, now) {
      const a = agents.get(id);
      return a ? core(a, now) : undefined;
    },
    intervals(now) {
      const day = dayOf(now);
      const rows: (IntervalRow & { ms: number })[] = [];
      const n = cfg.interval_minutes;
      for (const [q, m] of buckets) {
        const qc = queueConfig(cfg, q);
        const per = new Map<number, Counts>();
        for (const [b, bk] of m) {
          if (b < day.start || b >= day.end) continue;
          const s = intervalStart(b, zone(), n);
          const c = per.get(s) ?? emptyCounts();
          addCounts(c, bucketCounts(bk, qc));
          per.set(s, c);
        }
        for (const [s, c] of [...per].sort((x, y) => x[0] - y[0])) {
          if (c.offered === 0 && c.handled === 0) continue;
          const f = figures(c, { ...qc, variant: qc.variant === 'live' ? 'default' : qc.variant }, { busyMs: 0, readyMs: 0 }, null);
          rows.push({
            ms: s,
            interval_start: isoZ(s, zone()),
            queue: q,
            offered: f.offered,
            answered: f.answered,
            answered_within_threshold: f.answered_within_threshold,
            abandoned: f.abandoned,
            short_abandoned: f.short_abandoned,
            service_level: f.service_level,
            asa_s: f.asa_s,
            aht_s: f.aht_s,
            answer_rate: f.answer_rate,
          });
        }
      }
      // By start instant (not its text: on a fall-back day 01:00-05:00 comes after 01:30-04:00), then queue.
      rows.sort((a, b) => a.ms - b.ms || (a.queue < b.queue ? -1 : a.queue > b.queue ? 1 : 0));
      return rows.map(({ ms: _ms, ...r }) => r);
    },
    rollingServiceLevel(queue, windowMs, now): { value: number | null; explain: Explain } {
      const qc = queueConfig(cfg, queue);
      const c = emptyCounts();
      const rf = recentFolded.get(queue);
      const folded: [number, 1 | 2, number][] = [];
      if (rf) for (let i = 0; i < rf.ts.length; i++) {
        const w = rf.w[i] as number;
        folded.push([rf.ts[i] as number, w >= 0 ? 1 : 2, w >= 0 ? w : -w - 1]);
      }
      for (const [ts, kind, w] of [...(recent.get(queue)?.values() ?? []), ...folded]) {
        if (ts <= now - windowMs || ts > now) continue;
        if (kind === 1) {
          c.answered++;
          c.waitMs += w;
          if (w <= qc.threshold_s * 1000) c.within++;
        } else {
          c.abandoned++;
          if (w < qc.short_abandon_s * 1000) c.short++;
        }
      }
      c.offered = c.answered + c.abandoned;
      return serviceLevel(c, qc.variant, qc.variant === 'live' ? waitingPast(queue, now) : 0);
    },
    lastEventAt: () => maxTs,
    takeDirty() {
      const d = { queues: dirtyQ, agents: dirtyA };
      dirtyQ = new Set();
      dirtyA = new Set();
      return d;
    },
    roll(now) {
      const day = dayOf(now);
      for (const m of [...buckets.values(), ...occSettled.values()]) for (const b of [...m.keys()]) if (b < day.start) m.delete(b);
      for (const m of recent.values()) for (const [id, [ts]] of m) if (ts < now - RECENT_MS) m.delete(id);
      pruneRecentFolded(now - RECENT_MS);
      for (const [id, r] of calls) {
        if (r.waitingIn !== null || r.activeAgent !== null || r.lastTs >= day.start) continue;
        if (r.pinAgent) agents.get(r.pinAgent)?.pins.delete(id);
        calls.delete(id);
        foldable.delete(id);
      }
    },
    stats: () => ({ calls: calls.size, agents: agents.size, folded: foldedCount, tooLate, lateCalls }),
  };
  return engine;
}
