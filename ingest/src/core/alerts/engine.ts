// The alert engine of one site: collect candidates (conditions that hold now) → apply
// hold-down / clear-down per stable key (hysteresis) → raise, escalate, clear → views.
// Pure: time is `view.now` / `now`; no timers, no I/O. The runtime calls evaluate() on
// every state change and on its clock tick, and persists the returned changes.
import type { AlertChange, AlertsModule, ExternalAlertInput, SiteView } from '../modules.js';
import type { AlertLevelName, SiteConfig } from '../site-config.js';
import type { AlertAction, AlertView } from '../snapshot.js';
import type { Candidate } from './candidate.js';
import { levelRank } from './config.js';
import { overflowCandidate } from './overflow.js';
import {
  DEFAULT_CLEAR_DOWN_S,
  adherence,
  attendance,
  conformance,
  ghostAgents,
  slBelowTarget,
  staleFeed,
} from './sources.js';
import { workStateCandidates } from '../workstate/alerts.js';
import { isoZ, operatingDay } from '../queue/time-buckets.js';

/** One alert's lifecycle, kept in epoch ms; views are rendered in the site's zone. */
interface AlertRec {
  id: string;
  kind: string;
  key: string;
  level: AlertLevelName;
  queue: string | null;
  agent: string | null;
  team: string | null;
  rule: string | null;
  raised: number;
  acked: number | null;
  acked_by: string | null;
  ack_note: string | null;
  cleared: number | null;
  clear_reason: string | null;
  escalated: number | null;
  message: string;
  message_zh: string;
  action: string | null;
  action_zh: string | null;
  action_detail: AlertAction | null;
  external: boolean;
}

/** The level an unacknowledged alert escalates to, step by step. */
const NEXT_LEVEL: Partial<Record<AlertLevelName, AlertLevelName>> = {
  info: 'yellow',
  yellow: 'orange',
  orange: 'red',
};

/** Hysteresis state of one kind+key. */
interface Tracker {
  /** When the condition was first seen true in the current unbroken run (pending hold-down). */
  trueSince: number | null;
  /** When the condition was first seen false while the alert is active (pending clear-down). */
  falseSince: number | null;
  hold_ms: number;
  clear_ms: number;
  clear_reason: string;
  round: number;
}

export interface AlertEngineOptions {
  /** Cleared alerts kept in memory for get()/ack replies; older ones are answered from storage. 1000 covers a busy shift. */
  keepCleared?: number;
  /**
   * The agent and team sources (adherence, ghost agents, attendance, conformance) are
   * re-read at most this often; in between their last candidates stand. 5 s: building the
   * agent list reads every agent of the site (up to 20,000), far too much for every ingest
   * batch, and their thresholds are minutes (adherence 180 s) to hours.
   * Overflow rules, SL and the stale feed are checked on every evaluation.
   */
  peopleEveryMs?: number;
}

/**
 * Kinds about the operating day so far (attendance at its check time, login conformance):
 * once a new day begins their figures start again, so an alert raised before it states a
 * day that has ended and clears at once, not after its clear-down (a pre-roll or a replay
 * across midnight otherwise showed yesterday's "attendance 92.9% at the 10:00 check" at 00:00).
 */
const DAY_KINDS = new Set(['attendance', 'conformance']);

/** Default of AlertEngineOptions.peopleEveryMs. */
export const PEOPLE_EVERY_MS = 5000;

const slot = (kind: string, key: string): string => `${kind}\u0000${key}`;

export function createAlertEngine(
  site: string,
  cfg: SiteConfig,
  opts: AlertEngineOptions = {},
): AlertsModule {
  const keepCleared = opts.keepCleared ?? 1000;
  const peopleEveryMs = opts.peopleEveryMs ?? PEOPLE_EVERY_MS;
  let peopleAt: number | null = null;
  let peopleCache: Candidate[] = [];
  let config = cfg;
  const active = new Map<string, AlertRec>();
  const trackers = new Map<string, Tracker>();
  /** Active and recently cleared alerts by id, in insertion order (oldest first). */
  const byId = new Map<string, AlertRec>();
  let clearedKept = 0;
  let round = 0;
  /** Rules removed or re-pointed by a configure(): their alerts clear at the next evaluation. */
  const orphans = new Set<string>();
  let workStateDue: number | null = null;

  // isoZ, not a luxon DateTime per call: every board delta renders every active alert, and a
  // 20,000-agent site can hold hundreds of them.
  const iso = (ms: number | null): string | null =>
    ms === null ? null : isoZ(ms, config.timezone);

  /**
   * Each alert's view, made again only after the alert changed: a board delta asks for every
   * active alert, and the feed then skips an alert whose view is the same object as before.
   */
  let views = new WeakMap<AlertRec, AlertView>();
  function view(r: AlertRec): AlertView {
    let v = views.get(r);
    if (!v) views.set(r, (v = render(r)));
    return v;
  }
  /** The alert's fields change: its next view is made afresh. */
  function changed(r: AlertRec): AlertRec {
    views.delete(r);
    return r;
  }

  function render(r: AlertRec): AlertView {
    return {
      id: r.id,
      site,
      kind: r.kind,
      level: r.level,
      queue: r.queue,
      agent: r.agent,
      team: r.team,
      raised_at: iso(r.raised) as string,
      acked_at: iso(r.acked),
      acked_by: r.acked_by,
      ack_note: r.ack_note,
      cleared_at: iso(r.cleared),
      clear_reason: r.clear_reason,
      message: r.message,
      action: r.action,
      message_zh: r.message_zh,
      action_zh: r.action_zh,
      action_detail: r.action_detail,
      rule: r.rule,
      escalated_at: iso(r.escalated),
    };
  }

  function escalationOf(r: AlertRec): { after_min: number; level: AlertLevelName } | undefined {
    if (r.kind === 'overflow')
      return config.overflow_rules.find((x) => x.id === r.rule)?.escalation;
    return config.alerts.escalation;
  }

  function clearDownOf(r: AlertRec): number {
    if (r.kind === 'overflow') {
      const rule = config.overflow_rules.find((x) => x.id === r.rule);
      if (rule) return rule.clear_down_s * 1000;
    }
    if (
      r.kind === 'adherence' ||
      r.kind === 'stale_feed' ||
      r.kind === 'ghost_agent' ||
      r.kind === 'break_overrun' ||
      r.kind === 'break_cap'
    )
      return 0;
    return (config.alerts.clear_down_s ?? DEFAULT_CLEAR_DOWN_S) * 1000;
  }

  function remember(r: AlertRec): void {
    byId.set(r.id, r);
  }

  function forgetOldCleared(): void {
    if (clearedKept <= keepCleared) return;
    for (const [id, r] of byId) {
      if (clearedKept <= keepCleared) break;
      if (r.cleared === null) continue;
      byId.delete(id);
      clearedKept--;
    }
  }

  function newId(kind: string, key: string, now: number): string {
    // site:kind:key:raised_ms is unique because one kind+key has at most one active alert;
    // a clear and re-raise within the same millisecond gets a suffix.
    const base = `${site}:${kind}:${key}:${now}`;
    let id = base;
    for (let n = 2; byId.has(id); n++) id = `${base}.${n}`;
    return id;
  }

  function raise(
    c: Omit<Candidate, 'hold_ms' | 'clear_ms' | 'clear_reason'>,
    now: number,
    external: boolean,
  ): AlertChange {
    const r: AlertRec = {
      id: newId(c.kind, c.key, now),
      kind: c.kind,
      key: c.key,
      level: c.level,
      queue: c.queue,
      agent: c.agent,
      team: c.team,
      rule: c.rule,
      raised: now,
      acked: null,
      acked_by: null,
      ack_note: null,
      cleared: null,
      clear_reason: null,
      escalated: null,
      message: c.message,
      message_zh: c.message_zh,
      action: c.action,
      action_zh: c.action_zh,
      action_detail: c.action_detail,
      external,
    };
    active.set(slot(c.kind, c.key), r);
    remember(r);
    return { kind: 'raised', alert: view(r), at: now };
  }

  function clear(s: string, r: AlertRec, reason: string, now: number): AlertChange {
    changed(r).cleared = now;
    r.clear_reason = reason;
    active.delete(s);
    trackers.delete(s);
    clearedKept++;
    forgetOldCleared();
    return { kind: 'cleared', alert: view(r), at: now };
  }

  function candidates(v: SiteView): Candidate[] {
    const out: Candidate[] = [];
    for (const rule of config.overflow_rules) {
      const c = overflowCandidate(rule, v);
      if (c) out.push(c);
    }
    out.push(...slBelowTarget(v), ...staleFeed(v), ...workStateCandidates(v));
    // The next break overrun is due at an exact instant: nextDue() asks for an evaluation then.
    workStateDue = v.workState?.nextDeadline(v.now) ?? null;
    if (v.quality) out.push(...v.quality());
    // A clock step backwards (a replay, a test) re-reads at once rather than waiting.
    if (peopleAt === null || v.now - peopleAt >= peopleEveryMs || v.now < peopleAt) {
      peopleCache = [...adherence(v), ...attendance(v), ...conformance(v), ...ghostAgents(v)];
      peopleAt = v.now;
    }
    out.push(...peopleCache);
    return out;
  }

  return {
    configure(next: SiteConfig): void {
      const rules = new Map(next.overflow_rules.map((r) => [r.id, r]));
      for (const r of active.values()) {
        if (r.kind !== 'overflow') continue;
        const rule = rules.get(r.key);
        if (!rule || rule.queue !== r.queue) orphans.add(slot(r.kind, r.key));
      }
      config = next;
      // The zone may have changed: every view is made again in it.
      views = new WeakMap();
      // New thresholds apply at the next evaluation, not after the people cache expires.
      peopleAt = null;
    },

    evaluate(v: SiteView): AlertChange[] {
      const now = v.now;
      const changes: AlertChange[] = [];
      round++;
      const dayStart = operatingDay(now, config.timezone, config.day_start).start;
      for (const [s, r] of active)
        if (DAY_KINDS.has(r.kind) && !r.external && r.raised < dayStart)
          changes.push(clear(s, r, 'a new operating day began', now));
      for (const c of candidates(v)) {
        const s = slot(c.kind, c.key);
        if (orphans.has(s)) continue;
        let t = trackers.get(s);
        if (!t) {
          t = {
            trueSince: now,
            falseSince: null,
            hold_ms: c.hold_ms,
            clear_ms: c.clear_ms,
            clear_reason: c.clear_reason,
            round,
          };
          trackers.set(s, t);
        }
        t.round = round;
        t.falseSince = null;
        t.hold_ms = c.hold_ms;
        t.clear_ms = c.clear_ms;
        t.clear_reason = c.clear_reason;
        if (active.has(s)) continue; // already raised: the same condition never duplicates
        if (t.trueSince === null) t.trueSince = now;
        if (now - t.trueSince >= c.hold_ms) changes.push(raise(c, now, false));
      }
      for (const [s, t] of trackers) {
        if (t.round === round) continue;
        // Any false sample restarts the hold-down: it needs the conditions to hold unbroken.
        t.trueSince = null;
        const r = active.get(s);
        if (!r) {
          trackers.delete(s);
          continue;
        }
        if (orphans.has(s)) continue;
        if (t.falseSince === null) t.falseSince = now;
        if (now - t.falseSince >= t.clear_ms) changes.push(clear(s, r, t.clear_reason, now));
      }
      for (const s of orphans) {
        const r = active.get(s);
        if (r)
          changes.push(
            clear(
              s,
              r,
              `rule ${r.rule ?? r.key} was removed or changed in the site configuration`,
              now,
            ),
          );
      }
      orphans.clear();
      for (const r of active.values()) {
        if (r.acked !== null) continue;
        const esc = escalationOf(r);
        // A rule's own escalation (one step) comes first; the steps follow from its level.
        if (esc && r.escalated === null && levelRank(esc.level) > levelRank(r.level)) {
          if (now - r.raised < esc.after_min * 60_000) continue;
          changed(r).level = esc.level;
          r.escalated = now;
          changes.push({ kind: 'escalated', alert: view(r), at: now });
          continue;
        }
        // Step by step (alerts.escalate): the time at a level counts from the last change.
        const step = config.alerts.escalate?.[r.level as 'info' | 'yellow' | 'orange'];
        const next = NEXT_LEVEL[r.level];
        if (!step || !next || now - (r.escalated ?? r.raised) < step.after_min * 60_000) continue;
        changed(r).level = next;
        r.escalated = now;
        changes.push({ kind: 'escalated', alert: view(r), at: now });
      }
      return changes;
    },

    active(): AlertView[] {
      return [...active.values()]
        .sort((a, b) => a.raised - b.raised || (a.id < b.id ? -1 : 1))
        .map(view);
    },

    ack(id: string, by: string, ackNote: string | null, now: number): AlertChange | null {
      const r = byId.get(id);
      if (!r || r.cleared !== null || r.acked !== null) return null;
      changed(r).acked = now;
      r.acked_by = by;
      r.ack_note = ackNote;
      return { kind: 'acked', alert: view(r), at: now };
    },

    get(id: string): AlertView | undefined {
      const r = byId.get(id);
      return r ? view(r) : undefined;
    },

    raise(input: ExternalAlertInput, now: number): AlertChange | null {
      if (active.has(slot(input.kind, input.key))) return null;
      return raise(
        {
          kind: input.kind,
          key: input.key,
          level: input.level,
          queue: input.queue ?? null,
          agent: input.agent ?? null,
          team: input.team ?? null,
          rule: input.rule ?? null,
          message: input.message,
          message_zh: input.message_zh ?? input.message,
          action: input.action ?? null,
          action_zh: input.action_zh ?? input.action ?? null,
          action_detail: input.action ? { kind: 'note', text: input.action } : null,
        },
        now,
        true,
      );
    },

    resolve(kind: string, key: string, reason: string, now: number): AlertChange | null {
      const s = slot(kind, key);
      const r = active.get(s);
      return r ? clear(s, r, reason, now) : null;
    },

    nextDue(): number | null {
      let due = workStateDue ?? Infinity;
      for (const [s, t] of trackers) {
        if (active.has(s)) {
          if (t.falseSince !== null) due = Math.min(due, t.falseSince + t.clear_ms);
        } else if (t.trueSince !== null) due = Math.min(due, t.trueSince + t.hold_ms);
      }
      for (const r of active.values()) {
        const esc = escalationOf(r);
        if (
          esc &&
          r.acked === null &&
          r.escalated === null &&
          levelRank(esc.level) > levelRank(r.level)
        )
          due = Math.min(due, r.raised + esc.after_min * 60_000);
      }
      return Number.isFinite(due) ? due : null;
    },

    restore(alerts: readonly AlertView[]): void {
      for (const a of alerts) {
        if (a.site !== site || a.cleared_at !== null || byId.has(a.id)) continue;
        // The key is what sits between "site:kind:" and the final ":raised_ms" of the id.
        const prefix = `${site}:${a.kind}:`;
        const key = a.id.startsWith(prefix)
          ? a.id.slice(prefix.length).replace(/:\d+(\.\d+)?$/, '')
          : (a.rule ?? a.queue ?? a.agent ?? a.team ?? a.id);
        const s = slot(a.kind, key);
        if (active.has(s)) continue;
        const ms = (x: string | null | undefined): number | null => (x ? Date.parse(x) : null);
        const r: AlertRec = {
          id: a.id,
          kind: a.kind,
          key,
          level: a.level,
          queue: a.queue,
          agent: a.agent,
          team: a.team,
          rule: a.rule ?? null,
          raised: Date.parse(a.raised_at),
          acked: ms(a.acked_at),
          acked_by: a.acked_by,
          ack_note: a.ack_note,
          cleared: null,
          clear_reason: null,
          escalated: ms(a.escalated_at),
          message: a.message,
          message_zh: a.message_zh ?? a.message,
          action: a.action,
          action_zh: a.action_zh ?? a.action,
          action_detail: a.action_detail ?? null,
          external: a.kind === 'webhook_failed',
        };
        active.set(s, r);
        remember(r);
        // Rule-driven alerts resume as firing: a false condition now starts their clear-down.
        if (!r.external)
          trackers.set(s, {
            trueSince: null,
            falseSince: null,
            hold_ms: 0,
            clear_ms: clearDownOf(r),
            clear_reason: 'condition no longer holds (after restart)',
            round,
          });
      }
    },
  };
}
