// The live side of every site (the SiteDirectory routes and ingest see): one SiteRuntime
// per site, created on first use from the factories; site configurations loaded from and
// saved to ClickHouse and applied live; the 1 s clock; the board publisher; and the
// restart rebuild that replays today's stored events before the server listens.
import type { AppContext, SiteDirectory } from '../app-context.js';
import { SiteConfigStore } from '../../../queries/site-configs.js';
import type { FwEvent } from '../core/contract.js';
import type {
  AlertChange,
  AlertsModule,
  HeldCalls,
  IntervalRow,
  QueueEngineModule,
  WorkforceModule,
} from '../core/modules.js';
import { defaultSiteConfig, type SiteConfig } from '../core/site-config.js';
import { SiteRuntime } from '../core/site-runtime.js';
import type { QualityEngine } from '../core/quality/engine.js';
import type { LiveSnapshot, SnapshotMessage } from '../core/snapshot.js';
import { knownSites, sitesWithEventsSince } from '../../../queries/runtime.js';
import { BoardPublisher, type BoardSink } from './board-publisher.js';
import { replaySite } from './replay.js';
import type { Checkpoints, Restored } from './checkpoints.js';
import type { SeriesBody } from '../core/feed/live-series.js';
import type { RequestChange, WorkStateModule } from '../core/workstate/engine.js';

export interface RuntimeFactories {
  createQueue(
    site: string,
    cfg: SiteConfig,
    opts: { latenessMs: number; maxHeldCalls?: number; maxHeldBytes?: number },
  ): QueueEngineModule;
  createWorkforce?(site: string, cfg: SiteConfig): WorkforceModule;
  createAlerts?(site: string, cfg: SiteConfig): AlertsModule;
  createWorkState?(site: string, cfg: SiteConfig): WorkStateModule;
  createQuality?(site: string, cfg: SiteConfig): QualityEngine;
}

export interface SiteRegistryOptions {
  factories: RuntimeFactories;
  /** Alert lifecycle changes (raised, escalated, acked, cleared), e.g. to store them. */
  onAlertChanges?(site: string, changes: AlertChange[]): void;
  /** Break-request steps (requested, granted by the rule, started), e.g. to store them. */
  onRequestChanges?(site: string, changes: RequestChange[]): void;
  /** Loads state kept elsewhere (rosters, excused time, open alerts) into a runtime during rebuild, before the replay. */
  hydrate?(site: string, rt: SiteRuntime, now: number): Promise<void>;
  /**
   * Loads event-derived state older than the replay covers (work orders of the last weeks)
   * during rebuild, after the checkpoint import and before the replay: only the events that
   * arrived after `receivedAfter` (0 without a checkpoint), as the checkpoint holds the rest.
   */
  hydrateEvents?(site: string, rt: SiteRuntime, now: number, receivedAfter: number): Promise<void>;
  /** Sites with state kept elsewhere (e.g. a roster) but perhaps no config or recent events; hydrated at rebuild too. */
  moreSites?(now: number): Promise<string[]>;
  /**
   * Live-state checkpoints: at rebuild a site's checkpoint is imported after the stored state
   * is loaded, and only the events that arrived after it are replayed.
   */
  checkpoints?: Checkpoints;
  /** Clock tick; 1 s: stale feed, adherence and hold-down timers are whole seconds. */
  tickMs?: number;
  /**
   * Alerts are evaluated on a batch at most this often per site (default 250 ms); a batch in
   * between leaves the evaluation to a timer. Hold-down and clear-down times are whole seconds,
   * so this moves no raise or clear by more than 250 ms, while a very large site (20,000
   * agents: one evaluation reads every agent) is not evaluated on every one of ~20 batches/s.
   */
  minEvalGapMs?: number;
}

export interface RebuildReport {
  sites: number;
  /** Loading the stored state (rosters, excused time, requests, open alerts) of every site. */
  hydrate_ms: number;
  replayed: {
    site: string;
    /** Newest arrival (ms) of the checkpoint the site started from, or null (whole day). */
    checkpoint: number | null;
    events: number;
    pages: number;
    read_ms: number;
    decode_ms: number;
    apply_ms: number;
    /** Reading, decoding and importing the checkpoint (or finding there is none to use). */
    checkpoint_ms: number;
    /** Loading older event-derived state (work orders), before the replay. */
    older_ms: number;
    /** finishReplay: the day's roll and the first alert evaluation. */
    finish_ms: number;
  }[];
  ms: number;
}

/**
 * Events from the last 50 h are enough to find every site whose operating day (any zone,
 * UTC-12..+14, 24 h long) plus the 6 h replay lookback contains now.
 */
const RECENT_SITES_MS = 50 * 3_600_000;

/**
 * A site whose newest event is this far behind the clock while batches keep coming is
 * catching up on a backlog, and its alerts are judged at its events' time (SiteRuntime's
 * catchUpMs). 30 s: three times the default lateness window, so a live feed never qualifies.
 */
const CATCH_UP_MS = 30_000;

export class SiteRegistry implements SiteDirectory {
  private readonly runtimes = new Map<string, SiteRuntime>();
  private readonly configs = new Map<string, SiteConfig>();
  /** Sites with stored events (read at rebuild) — listed by GET /api/sites. */
  private readonly withEvents = new Set<string>();
  private readonly configStore: SiteConfigStore;
  private readonly publisher: BoardPublisher;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly evalTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Per site: a timer for the alert engine's next hold-down/clear-down end within the next tick. */
  private readonly dueTimers = new Map<
    string,
    { at: number; timer: ReturnType<typeof setTimeout> }
  >();
  private readonly minEvalGapMs: number;

  constructor(
    private readonly ctx: Pick<AppContext, 'config' | 'store' | 'log' | 'now'>,
    private readonly opts: SiteRegistryOptions,
  ) {
    this.configStore = new SiteConfigStore(ctx.store);
    this.minEvalGapMs = opts.minEvalGapMs ?? 250;
    this.publisher = new BoardPublisher(
      ctx.config.boardHz,
      (site) => this.runtime(site),
      ctx.now,
      (site, e) => ctx.log.error({ err: e, site }, 'building the board message failed'),
    );
  }

  /** The runtime of a site, created with the site's configuration on first use. */
  runtime(site: string): SiteRuntime {
    let rt = this.runtimes.get(site);
    if (rt) return rt;
    const cfg = this.config(site);
    const f = this.opts.factories;
    rt = new SiteRuntime(
      site,
      cfg,
      {
        queue: f.createQueue(site, cfg, {
          latenessMs: this.ctx.config.latenessMs,
          maxHeldCalls: this.ctx.config.maxHeldCalls,
          maxHeldBytes: this.ctx.config.maxHeldBytes,
        }),
        workforce: f.createWorkforce?.(site, cfg),
        alerts: f.createAlerts?.(site, cfg),
        workState: f.createWorkState?.(site, cfg),
        quality: f.createQuality?.(site, cfg),
      },
      { minEvalGapMs: this.minEvalGapMs, catchUpMs: CATCH_UP_MS },
    );
    this.runtimes.set(site, rt);
    return rt;
  }

  has(site: string): boolean {
    return this.runtimes.has(site);
  }

  config(site: string): SiteConfig {
    return this.configs.get(site) ?? defaultSiteConfig(site);
  }

  isConfigured(site: string): boolean {
    return this.configs.has(site);
  }

  async setConfig(site: string, cfg: SiteConfig): Promise<void> {
    await this.configStore.save(cfg, this.ctx.now());
    this.configs.set(site, cfg);
    const rt = this.runtimes.get(site);
    if (rt) {
      rt.configure(cfg);
      this.publisher.request(site, 'full');
    }
  }

  configHistory(
    site: string,
    limit?: number,
  ): Promise<{ saved_at: number; saved_by: string; config: string }[]> {
    return this.configStore.history(site, limit);
  }

  workforce(site: string): WorkforceModule | undefined {
    return this.runtime(site).modules.workforce;
  }

  alerts(site: string): AlertsModule | undefined {
    return this.runtime(site).modules.alerts;
  }

  workState(site: string): WorkStateModule | undefined {
    return this.runtime(site).modules.workState;
  }

  quality(site: string): QualityEngine | undefined {
    return this.runtime(site).modules.quality;
  }

  refresh(site: string): void {
    const rt = this.runtime(site);
    this.notify(site, rt.tick(this.ctx.now()));
    rt.touch();
    this.publisher.request(site, 'full');
  }

  applyCommitted(events: readonly FwEvent[], now: number): void {
    const bySite = new Map<string, FwEvent[]>();
    for (const ev of events) {
      let list = bySite.get(ev.site);
      if (!list) bySite.set(ev.site, (list = []));
      list.push(ev);
    }
    for (const [site, list] of bySite) {
      // One site's engine failing must not stop the others (the events are stored already).
      try {
        const rt = this.runtime(site);
        this.notify(site, rt.apply(list, now));
        if (rt.hasPendingEvaluation) this.scheduleEvaluation(site);
        this.withEvents.add(site);
      } catch (e) {
        this.ctx.log.error(
          { err: e, site, events: list.length },
          'applying events to the live engines failed',
        );
      }
      this.publisher.request(site);
    }
  }

  private scheduleEvaluation(site: string): void {
    if (this.evalTimers.has(site)) return;
    const t = setTimeout(() => {
      this.evalTimers.delete(site);
      try {
        const changes = this.runtime(site).evaluatePending(this.ctx.now());
        this.notify(site, changes);
        if (changes.length) this.publisher.request(site);
      } catch (e) {
        this.ctx.log.error({ err: e, site }, 'evaluating alerts failed');
      }
    }, this.minEvalGapMs);
    this.evalTimers.set(site, t);
  }

  snapshot(site: string, now: number): LiveSnapshot {
    return this.runtime(site).snapshot(now);
  }

  /** The "last hours" chart of `site` (all queues, or those named). */
  series(site: string, queues?: readonly string[], from?: number): SeriesBody {
    return this.runtime(site).series.body(queues, from);
  }

  intervals(site: string, now: number): IntervalRow[] {
    return this.runtime(site).modules.queue.intervals(now);
  }

  touch(site: string): void {
    this.runtime(site).touch();
    this.publisher.request(site, 'full');
  }

  /** Configured sites and sites with events, sorted. */
  /** Held call records over all sites, the early folds, and the narrowest fold horizon. */
  held(): HeldCalls {
    const out: HeldCalls = { calls: 0, earlyFolded: 0, horizonMs: Infinity };
    for (const rt of this.runtimes.values()) {
      const h = rt.modules.queue.held?.();
      if (!h) continue;
      out.calls += h.calls;
      out.earlyFolded += h.earlyFolded;
      out.horizonMs = Math.min(out.horizonMs, h.horizonMs);
    }
    return out;
  }

  sites(): string[] {
    const out = new Set<string>([...this.configs.keys(), ...this.withEvents]);
    for (const [site, rt] of this.runtimes) if (rt.lastEventAt() !== null) out.add(site);
    return [...out].sort();
  }

  // ---- board feed ----

  attachBoard(sink: BoardSink): void {
    this.publisher.attach(sink);
  }

  /** The snapshot a board gets on connect or resync, with the topic's current seq. */
  boardSnapshot(site: string): SnapshotMessage {
    return this.publisher.snapshotFor(site);
  }

  /**
   * boardSnapshot as JSON text, shared by boards connecting at the same seq within 1 s;
   * without signed-out agents when `signedOut` is false (core/feed/signed-out.ts).
   */
  boardSnapshotJson(site: string, signedOut = true): string {
    return this.publisher.snapshotJsonFor(site, signedOut);
  }

  /** Called when a board connects, so the next window publishes (and the clock keeps it fresh). */
  boardConnected(site: string): void {
    this.publisher.request(site);
  }

  // ---- clock and lifecycle ----

  private notify(site: string, changes: AlertChange[]): void {
    this.scheduleDue(site);
    const steps = this.runtimes.get(site)?.takeRequestChanges() ?? [];
    if (steps.length && this.opts.onRequestChanges) {
      try {
        this.opts.onRequestChanges(site, steps);
      } catch (e) {
        this.ctx.log.error({ err: e, site }, 'handling break-request changes failed');
      }
    }
    if (changes.length === 0 || !this.opts.onAlertChanges) return;
    try {
      this.opts.onAlertChanges(site, changes);
    } catch (e) {
      this.ctx.log.error({ err: e, site }, 'handling alert changes failed');
    }
  }

  /**
   * An overflow rule's hold-down may end between two ticks: evaluate at that instant, so the
   * alert is raised at its hold-down's end rather than up to one tick (1 s) later.
   */
  private scheduleDue(site: string): void {
    const due = this.runtimes.get(site)?.modules.alerts?.nextDue?.() ?? null;
    if (due === null || this.timer === null) return;
    const wait = due - this.ctx.now();
    // Further than a tick away: the clock gets there first.
    if (wait >= (this.opts.tickMs ?? 1000)) return;
    const cur = this.dueTimers.get(site);
    if (cur && cur.at <= due) return;
    if (cur) clearTimeout(cur.timer);
    const timer = setTimeout(
      () => {
        this.dueTimers.delete(site);
        try {
          const changes = this.runtime(site).tick(this.ctx.now());
          this.notify(site, changes);
          if (changes.length) this.publisher.request(site);
        } catch (e) {
          this.ctx.log.error({ err: e, site }, 'evaluating alerts failed');
        }
      },
      Math.max(0, wait),
    );
    this.dueTimers.set(site, { at: due, timer });
  }

  /** One clock step for every site: day roll, time-driven alerts, and a board check. */
  tick(now = this.ctx.now()): void {
    for (const [site, rt] of this.runtimes) {
      try {
        this.notify(site, rt.tick(now));
      } catch (e) {
        this.ctx.log.error({ err: e, site }, 'clock tick failed');
      }
      // Clock check: longest waits, adherence timers, stale flags and interval rolls move with time.
      this.publisher.request(site, 'timed');
    }
  }

  /** Starts the clock (after rebuild). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.opts.tickMs ?? 1000);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const t of this.evalTimers.values()) clearTimeout(t);
    this.evalTimers.clear();
    for (const d of this.dueTimers.values()) clearTimeout(d.timer);
    this.dueTimers.clear();
    this.publisher.stop();
  }

  private async restoreCheckpoint(
    rt: SiteRuntime,
    now: number,
  ): Promise<Restored | null | 'failed'> {
    const ck = this.opts.checkpoints;
    if (!ck) return null;
    try {
      return await ck.restore(rt, now);
    } catch (e) {
      this.ctx.log.warn(
        { err: e, site: rt.site },
        'importing the checkpoint failed; replaying the whole day',
      );
      return 'failed';
    }
  }

  /** A site's runtime built again (after a failed import left it half-filled), stored state loaded. */
  private async freshRuntime(site: string, now: number): Promise<SiteRuntime> {
    this.runtimes.delete(site);
    const rt = this.runtime(site);
    if (this.opts.hydrate) await this.opts.hydrate(site, rt, now);
    return rt;
  }

  /** Every site's runtime (for checkpoints). */
  allRuntimes(): IterableIterator<SiteRuntime> {
    return this.runtimes.values();
  }

  /**
   * Start-up: loads every site's configuration, then replays the stored events of each
   * site's current operating day through fresh engines. Await it before listening.
   */
  async rebuild(): Promise<RebuildReport> {
    const t0 = performance.now();
    const now = this.ctx.now();
    const store = this.ctx.store;
    const loaded = await this.configStore.loadAll();
    for (const p of loaded.problems)
      this.ctx.log.warn(
        p,
        'a stored site configuration could not be read; the site runs on defaults',
      );
    for (const [site, cfg] of loaded.configs) {
      this.configs.set(site, cfg);
      this.runtimes.get(site)?.configure(cfg);
    }
    for (const site of await knownSites(store)) this.withEvents.add(site);
    const recent = await sitesWithEventsSince(store, now - RECENT_SITES_MS);
    const more = this.opts.moreSites ? await this.opts.moreSites(now) : [];
    const sites = new Set([...this.configs.keys(), ...recent.map((r) => r.site), ...more]);
    const th = performance.now();
    if (this.opts.hydrate)
      for (const site of sites) await this.opts.hydrate(site, this.runtime(site), now);
    const hydrateMs = Math.round(performance.now() - th);
    const replayed: RebuildReport['replayed'] = [];
    const replaying = new Set(recent.map((r) => r.site));
    // Sites without events to replay still get their older event-derived state.
    for (const site of sites)
      if (!replaying.has(site)) await this.opts.hydrateEvents?.(site, this.runtime(site), now, 0);
    for (const { site, last_ts } of recent) {
      let rt = this.runtime(site);
      const tc = performance.now();
      const restored = await this.restoreCheckpoint(rt, now);
      if (restored === 'failed') rt = await this.freshRuntime(site, now);
      const used = restored === null || restored === 'failed' ? null : restored;
      const checkpoint = used?.received ?? null;
      const to = performance.now();
      await this.opts.hydrateEvents?.(site, rt, now, checkpoint ?? 0);
      const olderMs = Math.round(performance.now() - to);
      const r = await replaySite(store, rt, now, last_ts, {
        pageRows: this.ctx.config.replayPageRows,
        receivedAfter: checkpoint ?? 0,
      });
      if (used !== null) {
        const { received, bytes, read_ms, decode_ms, import_ms } = used;
        this.ctx.log.info(
          {
            site,
            checkpoint_received: received,
            bytes,
            read_ms,
            decode_ms,
            import_ms,
            replayed: r.events,
          },
          'live state restored from a checkpoint',
        );
        if (r.events === 0) this.opts.checkpoints?.markSaved(rt);
      }
      const tf = performance.now();
      this.notify(site, rt.finishReplay(now));
      replayed.push({
        site,
        checkpoint,
        events: r.events,
        pages: r.pages,
        read_ms: r.read_ms,
        decode_ms: r.decode_ms,
        apply_ms: r.apply_ms,
        checkpoint_ms: Math.round(to - tc),
        older_ms: olderMs,
        finish_ms: Math.round(performance.now() - tf),
      });
    }
    const report = {
      sites: sites.size,
      hydrate_ms: hydrateMs,
      replayed,
      ms: Math.round(performance.now() - t0),
    };
    this.ctx.log.info(report, 'live state rebuilt from stored events');
    return report;
  }
}
