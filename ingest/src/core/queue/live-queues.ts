// What the board shows now: each queue's live figures (waiting, longest wait, agents by
// state, interval and today's figures with occupancy) and each agent's core fields.
import type { AgentCore } from '../modules.js';
import { callExpiryMs, queueConfig } from '../site-config.js';
import type { QueueLive } from '../snapshot.js';
import type { AgentRec } from './agent-timeline.js';
import { dayOf, grain, type EngineState } from './engine-state.js';
import { addCounts, bucketCounts, emptyCounts, figures, type Counts } from './figures.js';
import { occupancyIn, type Occ } from './occupancy.js';
import { intervalStart, isoZ, nextIntervalStart } from './time-buckets.js';

/** Sums a queue's 15-minute buckets in [from, to). */
export function counts(s: EngineState, q: string, from: number, to: number): Counts {
  const c = emptyCounts();
  const m = s.buckets.get(q);
  if (!m) return c;
  const qc = queueConfig(s.cfg, q);
  for (const [b, bk] of m) if (b >= from && b < to) addCounts(c, bucketCounts(bk, qc));
  return c;
}

export function isStale(s: EngineState, a: AgentRec, now: number): boolean {
  return a.cur.loggedIn && now - a.lastTs > s.cfg.alerts.ghost_agent_s * 1000;
}

export function agentCore(s: EngineState, a: AgentRec, now: number): AgentCore {
  const today = dayOf(s, now).start;
  return {
    agent: a.id,
    name: a.name,
    team: a.team,
    state: a.cur.st,
    reason: a.cur.rs,
    since: isoZ(a.cur.since, s.cfg.timezone),
    stale: isStale(s, a, now),
    current_call: a.active[a.active.length - 1] ?? null,
    calls_today: a.callsDay === today ? a.callsN : 0,
    ring_no_answer_today: a.rnaDay === today ? a.rnaN : 0,
    unreachable_today: a.rnaDay === today ? a.unreachN : 0,
  };
}

/** Calls of `q` waiting longer than its threshold at `now` (expired calls no longer wait). */
export function waitingPast(s: EngineState, q: string, now: number): number {
  const t = queueConfig(s.cfg, q).threshold_s * 1000;
  const x = callExpiryMs(s.cfg);
  let n = 0;
  for (const off of s.waiting.get(q)?.values() ?? []) if (now - off > t && now - off < x) n++;
  return n;
}

/**
 * The calls of `q` still in the queue phase at `now`, and those past their expiry deadline
 * (offer + call_expiry_s <= now) by the 15-minute bucket of the deadline: they no longer
 * wait, and count as expired where the deadline fell.
 */
export function splitWaiting(
  s: EngineState,
  q: string,
  now: number,
): { n: number; oldest: number; expired: Map<number, number> } {
  const x = callExpiryMs(s.cfg);
  let n = 0;
  let oldest = Infinity;
  const expired = new Map<number, number>();
  for (const off of s.waiting.get(q)?.values() ?? []) {
    if (off + x <= now) {
      const b = grain(s, off + x);
      expired.set(b, (expired.get(b) ?? 0) + 1);
      continue;
    }
    n++;
    if (off < oldest) oldest = off;
  }
  return { n, oldest, expired };
}

/** Adds the expired-by-clock calls whose deadline bucket lies in [from, to). */
function withExpired(c: Counts, expired: Map<number, number>, from: number, to: number): Counts {
  for (const [b, k] of expired) if (b >= from && b < to) c.expired += k;
  return c;
}

export function liveQueues(s: EngineState, now: number): QueueLive[] {
  const { cfg } = s;
  const zone = cfg.timezone;
  const cur = intervalStart(now, zone, cfg.interval_minutes);
  const day = dayOf(s, now);
  const windows = [
    { from: cur, to: now + 1 },
    { from: day.start, to: now + 1 },
  ];
  const { occ, byState, ready } =
    s.useTally && (s.maxTs === null || now >= s.maxTs)
      ? fromTally(s, windows, now)
      : byScan(s, windows, now);
  const all = byState.get('*') ?? {};
  const occAll = occ.get('*');
  const out: QueueLive[] = [];
  for (const q of [...s.known].sort()) {
    const qc = queueConfig(cfg, q);
    const w = splitWaiting(s, q, now);
    const oldest = w.oldest;
    const states: Record<string, number> = { ...all };
    for (const [k, v] of Object.entries(byState.get(q) ?? {})) states[k] = (states[k] ?? 0) + v;
    const oq = occ.get(q);
    const occAt = (i: number) => ({
      busyMs: (oq?.[i]?.busy ?? 0) + (occAll?.[i]?.busy ?? 0),
      readyMs: (oq?.[i]?.ready ?? 0) + (occAll?.[i]?.ready ?? 0),
    });
    const past = waitingPast(s, q, now);
    // A ringing agent is offered one call; one who serves several queues counts in each,
    // so the queue's own waiting calls cap it (docs/definitions.md).
    const ringing = Math.min(w.n, states['ringing'] ?? 0);
    const curEnd = nextIntervalStart(cur, zone, cfg.interval_minutes);
    out.push({
      queue: q,
      waiting: w.n,
      queued: w.n - ringing,
      ringing,
      longest_wait_s: oldest === Infinity ? 0 : Math.max(0, (now - oldest) / 1000),
      longest_wait_since: oldest === Infinity ? null : isoZ(oldest, zone),
      ready_agents: (ready.get(q) ?? 0) + (ready.get('*') ?? 0),
      agents_by_state: states,
      threshold_s: qc.threshold_s,
      target: qc.target,
      sl_variant: qc.variant,
      interval: figures(
        withExpired(counts(s, q, cur, curEnd), w.expired, cur, curEnd),
        qc,
        occAt(0),
        past,
      ),
      today: figures(
        withExpired(counts(s, q, day.start, day.end), w.expired, day.start, day.end),
        qc,
        occAt(1),
        past,
      ),
    });
  }
  return out;
}

interface AgentSide {
  occ: Map<string, Occ[]>;
  byState: Map<string, Record<string, number>>;
  ready: Map<string, number>;
}

/** The agent side from the incremental tallies (valid when `now` is at or after every event). */
function fromTally(
  s: EngineState,
  windows: { from: number; to: number }[],
  now: number,
): AgentSide {
  s.tally.update(
    s.agents,
    windows.map((w) => w.from),
  );
  const occ = occupancyIn(s.occSettled, [], windows, now);
  for (const [k, v] of s.tally.occupancy(now)) {
    const o = occ.get(k);
    if (!o) occ.set(k, v);
    else
      v.forEach((x, i) => {
        const y = o[i] as Occ;
        y.busy += x.busy;
        y.ready += x.ready;
      });
  }
  const byState = new Map<string, Record<string, number>>();
  for (const k of s.tally.tallyKeys()) {
    const m = s.tally.states(k);
    if (m && m.size) byState.set(k, Object.fromEntries(m));
  }
  // Ghosts move from their state to "stale"; usually few, but the check needs every agent.
  const ghostMs = s.cfg.alerts.ghost_agent_s * 1000;
  for (const a of s.agents.values()) {
    if (!a.cur.loggedIn || now - a.lastTs <= ghostMs) continue;
    // After update() every agent is counted under its current queues and state.
    const st = a.cur.st;
    for (const k of a.queues.length ? a.queues : ['*']) {
      const r = byState.get(k) as Record<string, number>;
      const n = (r[st] as number) - 1;
      if (n === 0) delete r[st];
      else r[st] = n;
      r['stale'] = (r['stale'] ?? 0) + 1;
    }
  }
  const ready = new Map<string, number>();
  for (const [k, r] of byState) if (r['ready']) ready.set(k, r['ready']);
  return { occ, byState, ready };
}

/** The agent side by scanning every agent (any `now`, also before events already applied). */
function byScan(s: EngineState, windows: { from: number; to: number }[], now: number): AgentSide {
  const occ = occupancyIn(s.occSettled, s.agents.values(), windows, now);
  const byState = new Map<string, Record<string, number>>();
  const ready = new Map<string, number>();
  for (const a of s.agents.values()) {
    if (!a.cur.loggedIn) continue;
    const st = isStale(s, a, now) ? 'stale' : a.cur.st;
    for (const k of a.queues.length ? a.queues : ['*']) {
      const r = byState.get(k) ?? {};
      r[st] = (r[st] ?? 0) + 1;
      byState.set(k, r);
      if (st === 'ready') ready.set(k, (ready.get(k) ?? 0) + 1);
    }
  }
  return { occ, byState, ready };
}
