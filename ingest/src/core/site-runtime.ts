// One site's live side: composes its queue engine with the optional workforce and alert
// engines, and derives the board's snapshot and deltas from them. Pure: time is `now`,
// there are no timers and no I/O (the registry in ingest/src/runtime/ owns those).
//   apply (committed batch, ts order) → evaluate alerts → snapshot / delta / view
import { isQueueEvent, type FwEvent } from './contract.js';
import { DeltaBuilder, type DeltaBody, type FeedHead } from './feed/delta-builder.js';
import { SiteAgents } from './feed/site-agents.js';
import { lazySiteView } from './feed/site-view.js';
import type {
  AlertChange,
  AlertsModule,
  QueueEngineModule,
  SiteView,
  WorkforceModule,
} from './modules.js';
import { intervalStart, isoZ, operatingDay } from './queue/time-buckets.js';
import type { SiteConfig } from './site-config.js';
import { qualityCandidates } from './quality/alert-source.js';
import { isQualityEvent, readsEvent, type QualityEngine } from './quality/engine.js';
import type { AgentLive, AlertView, LiveSnapshot, QueueLive, TeamLive } from './snapshot.js';
import { groupAlerts } from './alerts/group.js';
import { LiveSeries, SERIES_WINDOW_MS, type SeriesCheckpoint } from './feed/live-series.js';
import type { QualityCheckpoint } from './quality/engine.js';
import type { WorkStateCheckpoint } from './workstate/engine.js';

/** The clock samples the chart this far behind itself when no batch came for as long. */
const SERIES_QUIET_MS = 2000;
import type { RequestChange, WorkStateModule } from './workstate/engine.js';

export interface SiteModules {
  queue: QueueEngineModule;
  workforce?: WorkforceModule | undefined;
  alerts?: AlertsModule | undefined;
  workState?: WorkStateModule | undefined;
  /** Work orders, surveys, incidents (#21). */
  quality?: QualityEngine | undefined;
}

/**
 * Everything events set in a site's engines (ingest/src/runtime/checkpoints.ts saves it).
 * Not in it: rosters, excused time, open alerts and incidents (stored, and loaded at start-up
 * as for a replay), alert hold-down trackers (a replay starts them afresh too), and caches.
 */
export interface SiteState {
  queue: unknown;
  workforce: unknown;
  workState: WorkStateCheckpoint | null;
  quality: QualityCheckpoint | null;
  series: SeriesCheckpoint;
}

export interface SiteRuntimeOptions {
  /**
   * Alerts are evaluated on a batch only if this long (ms of `now`) has passed since the last
   * evaluation; otherwise the evaluation is left pending for evaluatePending() or tick().
   * 0 (the default) evaluates on every batch.
   */
  minEvalGapMs?: number;
  /**
   * Catch-up: while batches keep arriving (the last one less than CATCH_UP_QUIET_MS ago) and
   * the site's newest event is more than this far behind `now`, alerts are judged at that
   * newest event's time, not at `now`. A backlog (the demo's pre-roll, a producer resending
   * after an outage) otherwise reads as hours of silence and absence half-way through: a
   * stale-feed alert, conformance 0% and every agent out of adherence. 0 (the default) is off.
   */
  catchUpMs?: number;
}

/**
 * Batches closer together than this are one backlog being sent. A back-fill's batches come
 * back to back on a quiet machine but seconds apart when inserts slow down on a busy one, and
 * a pre-roll judged at the clock mid-way raises false alerts, so the window covers such
 * stalls. A dead feed is called stale at most this much later than stale_feed_s says.
 */
export const CATCH_UP_QUIET_MS = 10_000;

/**
 * A backlog being caught up is judged at its events' time until its newest event is this
 * close to the clock. Its last batches are seconds behind, well under catchUpMs: judged at
 * the clock they raised what the events not yet sent would have refuted (an agent "5 min out
 * of adherence" who went to lunch in those seconds, in the demo's pre-roll).
 */
export const CATCH_UP_DONE_MS = 1000;

export interface DeltaOptions {
  /** Compare every queue, agent and team in full (after touch or configure). */
  full?: boolean;
  /**
   * The clock check: every queue and team, and the agents whose clock-driven fields (ghost
   * flag, adherence) moved. Cheaper than full: agents are not serialised unless they moved.
   */
  timed?: boolean;
  /** Emit even when nothing changed. */
  heartbeat?: boolean;
}

export class SiteRuntime {
  private cfg: SiteConfig;
  /** Operating day (site zone) of the last roll check; null before the first event or tick. */
  private day: string | null = null;
  private readonly feed = new DeltaBuilder();
  private readonly people: SiteAgents;
  /** Set by configure / touch / day roll: the next delta compares everything. */
  private fullPending = true;
  /** Set by configure and day roll: the board needs a new snapshot (zone or day changed). */
  private snapshotPending = false;
  private lastEvalAt = -Infinity;
  private evalPending = false;
  private readonly minEvalGapMs: number;
  private readonly catchUpMs: number;
  private lastBatchAt = -Infinity;
  /** The last evaluation judged a backlog at its events' time (see CATCH_UP_DONE_MS). */
  private catchingUp = false;
  /** Counts applied batches and imports: a checkpoint is due only when it moved. */
  private changes = 0;
  /** A batch carried service-quality events: the next delta recomputes the quality block. */
  private qualityDirty = false;

  constructor(
    readonly site: string,
    cfg: SiteConfig,
    readonly modules: SiteModules,
    opts: SiteRuntimeOptions = {},
  ) {
    this.cfg = cfg;
    this.people = new SiteAgents(modules.queue, modules.workforce, () => this.cfg);
    this.minEvalGapMs = opts.minEvalGapMs ?? 0;
    const wf = modules.workforce;
    if (modules.workState && wf?.segments)
      modules.workState.setRosterLookup((a) => wf.segments?.(a) ?? []);
    this.catchUpMs = opts.catchUpMs ?? 0;
  }

  /** Break-request steps since the last call (from events, the rule's grants): to be stored. */
  takeRequestChanges(): RequestChange[] {
    const ws = this.modules.workState;
    if (!ws) return [];
    const out = [...this.requestChanges, ...ws.takeChanges()];
    this.requestChanges = [];
    return out;
  }
  private requestChanges: RequestChange[] = [];
  /** The "last hours" chart (feed/live-series.ts). */
  readonly series = new LiveSeries();
  /** During a replay: sample instants before this are passed over (outside the window). */
  private seriesSkipBefore = -Infinity;

  get config(): SiteConfig {
    return this.cfg;
  }

  /** Moves whenever events are applied or a checkpoint imported. */
  get changeCount(): number {
    return this.changes;
  }

  /** The operating day the engines hold (site zone), or null before the first event or tick. */
  get operatingDay(): string | null {
    return this.day;
  }

  configure(cfg: SiteConfig): void {
    this.cfg = cfg;
    this.modules.queue.configure(cfg);
    this.modules.workforce?.configure(cfg);
    this.modules.workState?.configure(cfg);
    this.modules.alerts?.configure(cfg);
    this.modules.quality?.configure(cfg);
    this.people.forget();
    this.people.dropIds();
    this.fullPending = true;
    this.snapshotPending = true;
  }

  /** Marks a change made outside the event flow (roster upload, ack): the next delta checks everything. */
  touch(): void {
    this.people.forget();
    this.fullPending = true;
  }

  /**
   * Applies one committed batch of this site's events in event-time order, then evaluates
   * the alerts. Returns the alert lifecycle changes.
   */
  apply(events: readonly FwEvent[], now: number): AlertChange[] {
    this.checkDay(now);
    this.applyEvents(events);
    this.lastBatchAt = now;
    if (now - this.lastEvalAt >= this.minEvalGapMs) return this.evaluate(now);
    this.evalPending = true;
    return [];
  }

  /** Whether a batch left its alert evaluation pending (see minEvalGapMs). */
  get hasPendingEvaluation(): boolean {
    return this.evalPending;
  }

  /** Runs an evaluation a batch left pending. */
  evaluatePending(now: number): AlertChange[] {
    return this.evalPending ? this.evaluate(now) : [];
  }

  /** Applies stored events during a restart rebuild: no alert evaluation until finishReplay. */
  replay(events: readonly FwEvent[], now?: number): void {
    if (now !== undefined) this.seriesSkipBefore = now - SERIES_WINDOW_MS;
    this.applyEvents(events);
  }

  /**
   * The engines' event-derived state (live objects: serialise them in the same turn), or
   * null when a module cannot export its state (a test's stand-in engine).
   */
  exportState(): SiteState | null {
    const { queue, workforce, workState, quality } = this.modules;
    if (!queue.exportState) return null;
    if (workforce && !workforce.exportState) return null;
    if (workState && !workState.exportState) return null;
    return {
      queue: queue.exportState(),
      workforce: workforce?.exportState?.() ?? null,
      workState: workState?.exportState?.() ?? null,
      quality: quality?.exportState() ?? null,
      series: this.series.exportState(),
    };
  }

  /**
   * Takes a checkpoint's state into fresh engines, after the stored state (rosters, alerts,
   * requests) is loaded and before the replay of the events stored after it; finishReplay
   * follows as after a full replay. False (nothing changed) when the modules do not match.
   */
  importState(st: SiteState): boolean {
    const { queue, workforce, workState, quality } = this.modules;
    if (!queue.importState) return false;
    if ((workforce?.importState ? 1 : 0) !== (st.workforce === null ? 0 : 1)) return false;
    if ((workState?.importState ? 1 : 0) !== (st.workState === null ? 0 : 1)) return false;
    if ((quality ? 1 : 0) !== (st.quality === null ? 0 : 1)) return false;
    queue.importState(st.queue);
    if (st.workforce !== null) workforce?.importState?.(st.workforce);
    if (st.workState !== null) workState?.importState?.(st.workState);
    if (st.quality !== null) quality?.importState(st.quality);
    this.series.importState(st.series);
    this.changes++;
    this.people.forget();
    this.people.dropIds();
    this.fullPending = true;
    this.qualityDirty = true;
    return true;
  }

  /** Ends a replay: drops what belongs to earlier operating days, then evaluates alerts once. */
  finishReplay(now: number): AlertChange[] {
    this.seriesSkipBefore = -Infinity;
    this.day = this.dayOf(now);
    this.modules.queue.roll(now);
    this.modules.workforce?.roll(now);
    this.modules.workState?.roll(now);
    this.modules.quality?.roll(now);
    this.people.dropIds();
    this.fullPending = true;
    return this.evaluate(now);
  }

  /** The clock: day roll and time-driven alerts (stale feed, adherence, hold-down timers). */
  tick(now: number): AlertChange[] {
    this.checkDay(now);
    // A quiet feed: the clock takes the samples no event brought (live-series.ts). While
    // batches arrive (a back-fill too) the events take them at their own times.
    if (this.lastEventAt() !== null && now - this.lastBatchAt >= SERIES_QUIET_MS) {
      if (this.feedStale(now)) this.series.skipTo(now - SERIES_QUIET_MS);
      else this.series.advance(now - SERIES_QUIET_MS, this.queuesAt);
    }
    return this.evaluate(now);
  }

  private applyEvents(events: readonly FwEvent[]): void {
    this.changes++;
    // Stable sort: equal timestamps keep their arrival order.
    const sorted = [...events].sort((a, b) => a.ts - b.ts);
    const { queue, workforce, workState, quality } = this.modules;
    const people = this.people;
    for (const ev of sorted) {
      if (ev.site !== this.site) continue;
      // The chart's samples due before this event (one comparison when none is).
      if (isQueueEvent(ev)) this.series.advance(ev.ts - 1, this.queuesAt, this.seriesSkipBefore);
      if (quality && readsEvent(ev)) {
        quality.apply(ev);
        if (isQualityEvent(ev)) this.qualityDirty = true;
      }
      if (!isQueueEvent(ev)) continue;
      workState?.apply(ev);
      if (ev.type === 'agent.break_requested') continue;
      queue.apply(ev);
      workforce?.apply(ev);
      if ('agent' in ev) people.noteAgent(ev.agent);
    }
  }

  private dayOf(now: number): string {
    return operatingDay(now, this.cfg.timezone, this.cfg.day_start).day;
  }

  private checkDay(now: number): void {
    const day = this.dayOf(now);
    if (day === this.day) return;
    if (this.day !== null) {
      this.modules.queue.roll(now);
      this.modules.workforce?.roll(now);
      this.modules.workState?.roll(now);
      this.modules.quality?.roll(now);
      this.people.dropIds();
      this.snapshotPending = true;
    }
    this.day = day;
    this.fullPending = true;
  }

  /**
   * The instant alerts are judged at: `now`, or the newest event's time while a backlog
   * arrives (see catchUpMs); null before the site's first event when catch-up is on, as a
   * feed that has not started yet (a roster uploaded first, then the events) is not a floor
   * of absent agents.
   */
  alertTime(now: number): number | null {
    if (this.catchUpMs <= 0) return now;
    const last = this.modules.queue.lastEventAt();
    if (last === null) return null;
    if (now - this.lastBatchAt >= CATCH_UP_QUIET_MS) return now;
    const lag = now - last;
    return lag > this.catchUpMs || (this.catchingUp && lag > CATCH_UP_DONE_MS) ? last : now;
  }

  private evaluate(now: number): AlertChange[] {
    this.lastEvalAt = now;
    this.evalPending = false;
    // Deferred break requests are granted by the rule as places under the cap come free.
    const ws = this.modules.workState;
    if (ws) this.requestChanges.push(...ws.sweep(now));
    const alerts = this.modules.alerts;
    if (!alerts) return [];
    const at = this.alertTime(now);
    this.catchingUp = at !== null && at < now;
    if (at === null) return [];
    const changes = alerts.evaluate(this.view(at));
    for (const c of changes) this.feed.noteCleared(c.alert);
    return changes;
  }

  lastEventAt(): number | null {
    return this.modules.queue.lastEventAt();
  }

  /** The feed is stale when the newest event is older than alerts.stale_feed_s (60 s by default). */
  feedStale(now: number): boolean {
    const last = this.modules.queue.lastEventAt();
    return last !== null && now - last > this.cfg.alerts.stale_feed_s * 1000;
  }

  queues(now: number): QueueLive[] {
    return this.modules.queue.queues(now);
  }

  private readonly queuesAt = (at: number): QueueLive[] => this.modules.queue.queues(at);

  /** Every agent with a session, plus rostered agents who have not signed in yet. */
  agents(now: number): AgentLive[] {
    return this.people.all(now);
  }

  /** One agent (live, or rostered and absent), or undefined when the site no longer knows it. */
  agent(id: string, now: number): AgentLive | undefined {
    return this.people.one(id, now);
  }

  teams(now: number): TeamLive[] {
    return this.modules.workforce?.teams(now) ?? [];
  }

  private head(now: number): FeedHead {
    const tz = this.cfg.timezone;
    const last = this.modules.queue.lastEventAt();
    return {
      site: this.site,
      at: isoZ(now, tz),
      last_event_at: last === null ? null : isoZ(last, tz),
      feed_stale: this.feedStale(now),
      interval_start: isoZ(intervalStart(now, tz, this.cfg.interval_minutes), tz),
      operating_day: this.dayOf(now),
    };
  }

  snapshot(now: number): LiveSnapshot {
    const h = this.head(now);
    return {
      site: this.site,
      at: h.at,
      timezone: this.cfg.timezone,
      interval_minutes: this.cfg.interval_minutes,
      interval_start: h.interval_start,
      operating_day: h.operating_day,
      last_event_at: h.last_event_at,
      feed_stale: h.feed_stale,
      queues: this.queues(now),
      agents: this.agents(now),
      teams: this.teams(now),
      alerts: this.boardAlerts(),
      ...(this.modules.quality ? { quality: this.modules.quality.live(now) } : {}),
    };
  }

  /** The active alerts as boards get them: many of one per-agent kind as one group. */
  private boardAlerts(): AlertView[] {
    return groupAlerts(this.site, this.cfg, this.modules.alerts?.active() ?? []);
  }

  /** True once after configure or a day roll: the board should get a whole new snapshot. */
  takeSnapshotNeeded(): boolean {
    const v = this.snapshotPending;
    this.snapshotPending = false;
    return v;
  }

  /**
   * A snapshot that also becomes the base of the next delta (sent on the board topic after a
   * configuration change or day roll, or when the first board client of a site connects).
   */
  baseSnapshot(now: number): LiveSnapshot {
    this.modules.queue.takeDirty();
    const s = this.snapshot(now);
    this.feed.prime(s);
    this.fullPending = false;
    this.snapshotPending = false;
    return s;
  }

  /**
   * The changes since the previous delta: dirty queues/agents from the engine; on a clock
   * check every queue and team and the agents whose timers moved; on a full check
   * everything; the alerts that changed, and the feed fields. Null when nothing changed
   * (unless a heartbeat is asked for).
   */
  delta(now: number, opts: DeltaOptions = {}): DeltaBody | null {
    const dirty = this.modules.queue.takeDirty();
    const full = opts.full === true || this.fullPending;
    const timed = full || opts.timed === true;
    this.fullPending = false;
    const input: Parameters<DeltaBuilder['build']>[0] = {
      head: this.head(now),
      heartbeat: opts.heartbeat === true,
    };
    // An agent's state change moves its queues' agents_by_state too, so queues are compared
    // whenever agents moved (queues are few: at most ~1000 per site).
    if (timed || dirty.queues.size > 0 || dirty.agents.size > 0) input.queues = this.queues(now);
    if (timed) input.teams = this.teams(now);
    if (full) {
      input.agents = this.agents(now);
      input.agentsComplete = true;
    } else {
      const agents: AgentLive[] = [];
      const gone: string[] = [];
      for (const id of dirty.agents) {
        const a = this.agent(id, now);
        if (a) agents.push(a);
        else gone.push(id);
      }
      if (opts.timed) this.people.moved(now, this.feed, dirty.agents, agents, gone);
      input.agents = agents;
      input.goneAgents = gone;
    }
    if (this.modules.alerts) input.alerts = this.boardAlerts();
    if (this.modules.quality && (timed || this.qualityDirty))
      input.quality = this.modules.quality.live(now);
    this.qualityDirty = false;
    return this.feed.build(input);
  }

  /** Forgets pending engine changes when no board is listening (the next client primes a new base). */
  discardChanges(): void {
    this.modules.queue.takeDirty();
  }

  /** What the alert engine sees at `now`; the lists are computed only if it reads them. */
  view(now: number): SiteView {
    const queue = this.modules.queue;
    return lazySiteView(this.site, now, this.cfg, {
      queues: () => this.queues(now),
      agents: () => this.agents(now),
      pickAgents: (pick, withAbsent) => this.people.pick(now, pick, withAbsent),
      teams: () => this.teams(now),
      lastEventAt: queue.lastEventAt(),
      rollingServiceLevel: (q, windowMs) => queue.rollingServiceLevel(q, windowMs, now),
      workState: this.modules.workState,
      ...(this.modules.quality
        ? { quality: () => qualityCandidates(this.modules.quality as QualityEngine, this.cfg, now) }
        : {}),
    });
  }
}
