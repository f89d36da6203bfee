// Live state of one site's board: the merged feed (replaced, never mutated, in $state.raw),
// connection status, when the server was last heard from, and the sampled series for charts.
import type { SiteConfig } from '../../../ingest/src/core/site-config.js';
import { getSeries, getSiteConfig, getSites } from './api.js';
import {
  applyMessage,
  figuresAt,
  staleness,
  SILENCE_STALE_MS,
  type FeedState,
  type Staleness,
} from './feed-state.js';
import {
  appendSample,
  fromServer,
  mergeSeries,
  SAMPLE_EVERY_MS,
  takeSample,
  type Sample,
} from './series.js';
import { BoardSocket, boardUrl } from './socket.js';
import { clock } from './clock.svelte.js';
import { names } from './names.svelte.js';
import { session } from './session.svelte.js';
import { onFloor } from '../../../ingest/src/core/feed/signed-out.js';

/** Silent but "connected" for 3× the stale limit: treat the socket as half-open and reconnect. */
const HALF_OPEN_MS = 3 * SILENCE_STALE_MS;

export class LiveBoard {
  feed = $state.raw<FeedState | null>(null);
  config = $state.raw<SiteConfig | null>(null);
  connected = $state(false);
  lastMessageAt = $state<number | null>(null);
  series = $state.raw<Sample[]>([]);
  resyncs = $state(0);
  /** Whether the server knows the site (configured or has sent events); null until asked. */
  known = $state<boolean | null>(null);
  /** The credential ended (kiosk link revoked, signed out, session expired): no more reconnects. */
  ended = $state(false);
  /**
   * Whether the board holds signed-out agents too. Off by default: late in a large site's day
   * they are most of the rows (19,000 of 20,000), and the board then loads and sorts only the
   * floor; the agent grid's switch turns them on (a new socket, a whole snapshot).
   */
  signedOut = $state(false);

  readonly staleness: Staleness = $derived(
    staleness(clock.now, this.lastMessageAt, this.connected, this.feed?.snapshot ?? null),
  );
  /** The instant durations are counted to: the clock while live, frozen when the figures went stale. */
  readonly figuresNow: number = $derived(figuresAt(clock.now, this.staleness));

  private socket: BoardSocket | null = null;
  private timers: ReturnType<typeof setInterval>[] = [];

  constructor(
    readonly site: string,
    signedOut = false,
  ) {
    this.signedOut = signedOut;
  }

  start(): void {
    this.connect();
    void this.loadConfig();
    void this.checkKnown();
    void this.loadSeries();
    this.timers.push(
      setInterval(() => this.sample(), SAMPLE_EVERY_MS),
      setInterval(() => {
        if (
          this.connected &&
          this.lastMessageAt !== null &&
          Date.now() - this.lastMessageAt > HALF_OPEN_MS
        )
          this.socket?.reconnect();
      }, 1000),
      // Config changes (targets, colours) are rare; a minute is soon enough for a wallboard.
      setInterval(() => {
        void this.loadConfig();
        if (this.known === false) void this.checkKnown();
      }, 60_000),
    );
  }

  /** Shows or hides signed-out agents: a socket for the other feed, whose snapshot replaces the list. */
  showSignedOut(on: boolean): void {
    if (on === this.signedOut || this.ended) return;
    this.signedOut = on;
    this.socket?.stop();
    this.connect();
  }

  private connect(): void {
    const keep = this.signedOut ? undefined : onFloor;
    this.socket = new BoardSocket(boardUrl(location, this.site, this.signedOut), {
      message: (msg) => {
        this.lastMessageAt = Date.now();
        const out = applyMessage(this.feed, msg, keep);
        if (out.kind === 'applied') this.feed = out.state;
        if (out.kind === 'gap') {
          this.resyncs++;
          return 'resync';
        }
        return 'ok';
      },
      status: (connected) => {
        this.connected = connected;
      },
      closed: (why) => {
        if (why === 'revoked') this.end();
        // A refused or dropped socket may mean the credential went while the socket was down.
        else
          void session.stillSignedIn().then((ok) => {
            if (ok === false) this.end();
          });
      },
    });
    this.socket.start();
  }

  private end(): void {
    this.ended = true;
    this.socket?.stop();
  }

  stop(): void {
    this.socket?.stop();
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  /** Asks GET /api/sites whether this site exists; a site unknown now may appear with its first event. */
  async checkKnown(): Promise<void> {
    try {
      const sites = await getSites();
      this.known = sites.some((s) => s.site === this.site);
    } catch {
      /* unknown: say nothing rather than something wrong */
    }
  }

  async loadConfig(): Promise<void> {
    try {
      this.config = await getSiteConfig(this.site);
      names.set(this.config);
    } catch {
      /* keep the last config; tiles fall back to default thresholds */
    }
  }

  /** The chart so far, from the server: a reload or a TV reboot keeps the last hours. */
  async loadSeries(): Promise<void> {
    try {
      this.series = mergeSeries(fromServer(await getSeries(this.site)), this.series);
    } catch {
      /* an older server keeps no series: the board samples from now on */
    }
  }

  private sample(): void {
    const feed = this.feed;
    // Only live figures are sampled: a stale stretch shows as a gap, not as flat old numbers.
    if (!feed || this.staleness.stale) return;
    this.series = appendSample(this.series, takeSample(feed.snapshot, Date.now()));
  }
}
