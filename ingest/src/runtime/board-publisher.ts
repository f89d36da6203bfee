// Board publishing for every site: numbers each message on a site's topic (seq +1 per
// message, no gaps), sends at most `hz` messages per second per site by coalescing every
// change within a window into one delta, and sends a heartbeat when a second passes in
// silence (boards grey their figures after 5 s without a message).
import type { BoardMessage, SnapshotMessage } from '../core/snapshot.js';
import type { SiteRuntime } from '../core/site-runtime.js';
import { onFloor } from '../core/feed/signed-out.js';

/** Where board messages go (the uWS topic of the site, see adapters/ws/board.ts). */
export interface BoardSink {
  publish(site: string, msg: BoardMessage): void;
  /** Whether any board is connected for the site; with none, no delta is built. */
  hasClients(site: string): boolean;
}

/** 900 ms, not 1000: the 1 s clock tick must find the previous heartbeat due, not 1 ms early. */
const HEARTBEAT_MS = 900;

interface SiteFeed {
  seq: number;
  /** Monotonic ms of the last message on the topic. */
  lastAt: number;
  timer: ReturnType<typeof setTimeout> | null;
  /** The runtime's delta base matches what the topic carried (false while nobody listens). */
  primed: boolean;
  wantFull: boolean;
  wantTimed: boolean;
  /** Monotonic ms the last message took to build. */
  cost: number;
  /** The last connect snapshot, for boards connecting at the same seq (see snapshotJsonFor). */
  snap: {
    seq: number;
    at: number;
    msg: SnapshotMessage;
    /** Its text with every agent, and without signed-out agents, each made when first asked. */
    all?: string;
    floor?: string;
  } | null;
}

/**
 * A connect snapshot is reused for other boards of the site while the topic's seq is unchanged
 * and it is younger than this: after a restart 1,000 boards reconnect within seconds, and a
 * snapshot's build and text grow with the site's agents, so building one per board would hold
 * the main thread past the 250 ms event-to-board budget on a 20,000-agent site.
 */
const SNAPSHOT_REUSE_MS = 1000;

export class BoardPublisher {
  private readonly feeds = new Map<string, SiteFeed>();
  private sink: BoardSink | null = null;
  private readonly gapMs: number;
  private stopped = false;

  constructor(
    hz: number,
    private readonly runtime: (site: string) => SiteRuntime,
    private readonly now: () => number,
    private readonly onError: (site: string, e: unknown) => void,
    private readonly mono: () => number = () => performance.now(),
  ) {
    // 10 Hz by default: one delta per 100 ms window per site at most.
    this.gapMs = 1000 / hz;
  }

  attach(sink: BoardSink): void {
    this.sink = sink;
  }

  private feed(site: string): SiteFeed {
    let f = this.feeds.get(site);
    if (!f)
      this.feeds.set(
        site,
        (f = {
          seq: 0,
          lastAt: -Infinity,
          timer: null,
          primed: false,
          wantFull: false,
          wantTimed: false,
          cost: 0,
          snap: null,
        }),
      );
    return f;
  }

  /** The snapshot a board gets on connect or resync, numbered with the topic's current seq. */
  snapshotFor(site: string): SnapshotMessage {
    const f = this.feed(site);
    const rt = this.runtime(site);
    const now = this.now();
    // The first listener makes the snapshot the base of the deltas that follow.
    if (!f.primed) f.snap = null;
    const s = f.primed ? rt.snapshot(now) : rt.baseSnapshot(now);
    f.primed = true;
    return { type: 'snapshot', seq: f.seq, ...s };
  }

  /**
   * snapshotFor as JSON text, shared by the boards that connect while the topic's seq stays
   * the same (within SNAPSHOT_REUSE_MS). Consistent: a snapshot taken at seq n already holds
   * everything up to message n, and delta n+1 carries every change since message n.
   * `signedOut` false leaves out the agents core/feed/signed-out.ts says a board may skip; the
   * deltas stay the topic's, and the board drops such agents from them.
   */
  snapshotJsonFor(site: string, signedOut = true): string {
    const f = this.feed(site);
    const t = this.mono();
    let c = f.snap;
    if (!c || !f.primed || c.seq !== f.seq || t - c.at >= SNAPSHOT_REUSE_MS) {
      const msg = this.snapshotFor(site);
      c = f.snap = { seq: f.seq, at: t, msg };
    }
    if (signedOut) return (c.all ??= JSON.stringify(c.msg));
    return (c.floor ??= JSON.stringify({ ...c.msg, agents: c.msg.agents.filter(onFloor) }));
  }

  seq(site: string): number {
    return this.feeds.get(site)?.seq ?? 0;
  }

  /**
   * Asks for a message on the site's topic within the current window (coalesced). `check`
   * widens what is compared: 'timed' (the clock: queues, teams, agents whose timers moved)
   * or 'full' (everything, after a change outside the event flow).
   */
  request(site: string, check: 'dirty' | 'timed' | 'full' = 'dirty'): void {
    if (this.stopped) return;
    const f = this.feed(site);
    if (!this.sink?.hasClients(site)) {
      // Nobody listens: drop the pending changes; the next client gets a fresh base.
      this.runtime(site).discardChanges();
      f.primed = false;
      f.snap = null;
      return;
    }
    if (check === 'full') f.wantFull = true;
    if (check === 'timed') f.wantTimed = true;
    if (f.timer) return;
    // A site whose messages are expensive to build (a very large site) gets a longer window:
    // building then takes at most a third of the time.
    const wait = Math.max(0, f.lastAt + Math.max(this.gapMs, 2 * f.cost) - this.mono());
    f.timer = setTimeout(() => this.flush(site), wait);
  }

  private flush(site: string): void {
    const f = this.feed(site);
    f.timer = null;
    const sink = this.sink;
    if (!sink || !sink.hasClients(site)) {
      this.runtime(site).discardChanges();
      f.primed = false;
      f.snap = null;
      return;
    }
    const t0 = this.mono();
    try {
      const rt = this.runtime(site);
      const now = this.now();
      let msg: BoardMessage | null = null;
      if (!f.primed || rt.takeSnapshotNeeded()) {
        // Configuration change or day roll: zone, interval length or day changed under the
        // board, so it gets a whole snapshot, numbered like any other message.
        msg = { type: 'snapshot', seq: f.seq + 1, ...rt.baseSnapshot(now) };
        f.primed = true;
      } else {
        const d = rt.delta(now, {
          full: f.wantFull,
          timed: f.wantTimed,
          heartbeat: t0 - f.lastAt >= HEARTBEAT_MS,
        });
        if (d) msg = { ...d, seq: f.seq + 1 };
      }
      f.wantFull = false;
      f.wantTimed = false;
      f.cost = this.mono() - t0;
      if (!msg) return;
      f.seq = msg.seq;
      f.lastAt = this.mono();
      sink.publish(site, msg);
    } catch (e) {
      this.onError(site, e);
    }
  }

  stop(): void {
    this.stopped = true;
    for (const f of this.feeds.values()) if (f.timer) clearTimeout(f.timer);
  }
}
