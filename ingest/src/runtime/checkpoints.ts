// Periodic checkpoints of each site's live state, and their use at start-up, so a restart
// replays only the events stored after the newest checkpoint instead of the whole day.
// Consistency is by arrival: a checkpoint is serialised in a turn where every stamped batch
// is stored and applied (IngestService.quiescentArrival), so it holds exactly the stored
// events with received_at <= R, and the restart replays those with received_at > R.
import type { Logger } from 'pino';
import { operatingDay } from '../core/queue/time-buckets.js';
import type { SiteRuntime } from '../core/site-runtime.js';
import {
  CheckpointError,
  configHash,
  decodeCheckpoint,
  encodeCheckpointParts,
  type CheckpointFiles,
} from './checkpoint-file.js';

/** How often a round looks for a quiescent turn, and for how long before it gives up. */
const POLL_MS = 50;
const WAIT_MS = 3000;

export interface CheckpointRecord {
  site: string;
  bytes: number;
  /** Serialising (the event loop is held for this long) and writing the file. */
  serialize_ms: number;
  write_ms: number;
  received: number;
}

export interface CheckpointsOptions {
  files: CheckpointFiles;
  /** Which store the events are in; a checkpoint of another store is ignored. */
  database: string;
  log: Logger;
  now: () => number;
  onWritten?(rec: CheckpointRecord): void;
}

export interface Restored {
  received: number;
  bytes: number;
  /** The whole restore, and its parts: reading the file, checking and decoding it, importing. */
  ms: number;
  read_ms: number;
  decode_ms: number;
  import_ms: number;
}

export class Checkpoints {
  private timer: ReturnType<typeof setInterval> | null = null;
  private round: Promise<void> | null = null;
  /** Per site, the runtime's change count its newest checkpoint holds. */
  private readonly saved = new Map<string, number>();

  constructor(private readonly o: CheckpointsOptions) {}

  /**
   * Imports the site's checkpoint into `rt` (engines fresh, stored state loaded) when it is
   * for this store, site, operating day and configuration; returns its newest arrival, or
   * null (nothing imported) with the reason logged. Throws only when the import itself
   * failed part-way: the caller then starts the site from scratch.
   */
  async restore(rt: SiteRuntime, now: number): Promise<Restored | null> {
    const t0 = performance.now();
    const site = rt.site;
    const skip = (reason: string, level: 'info' | 'warn' = 'info'): null => {
      this.o.log[level]({ site, reason }, 'checkpoint not used; replaying the whole day');
      return null;
    };
    let buf: Buffer | null;
    try {
      buf = await this.o.files.read(site);
    } catch (e) {
      return skip(`cannot read ${this.o.files.file(site)}: ${(e as Error).message}`, 'warn');
    }
    if (!buf) return skip('no checkpoint file');
    const t1 = performance.now();
    let decoded: ReturnType<typeof decodeCheckpoint>;
    try {
      decoded = decodeCheckpoint(buf);
    } catch (e) {
      if (!(e instanceof CheckpointError)) throw e;
      return skip(`${this.o.files.file(site)} is not a valid checkpoint: ${e.message}`, 'warn');
    }
    const { header, state } = decoded;
    const t2 = performance.now();
    const cfg = rt.config;
    const day = operatingDay(now, cfg.timezone, cfg.day_start).day;
    if (header.database !== this.o.database) return skip(`it is for ${header.database}`, 'warn');
    if (header.site !== site) return skip(`it is for site ${header.site}`, 'warn');
    if (header.day !== day) return skip(`it is of operating day ${header.day}, today is ${day}`);
    if (header.config !== configHash(cfg))
      return skip('the site configuration changed since it was taken');
    if (!rt.importState(state)) return skip('the site runs other engines than it holds', 'warn');
    this.saved.set(site, rt.changeCount);
    const t3 = performance.now();
    return {
      received: header.received,
      bytes: buf.length,
      ms: Math.round(t3 - t0),
      read_ms: Math.round(t1 - t0),
      decode_ms: Math.round(t2 - t1),
      import_ms: Math.round(t3 - t2),
    };
  }

  /** After a rebuild that replayed nothing past the checkpoint: no new one is due yet. */
  markSaved(rt: SiteRuntime): void {
    this.saved.set(rt.site, rt.changeCount);
  }

  /**
   * Every `everyMs`, checkpoints each site whose state changed since its last one.
   * `quiescent` returns the newest arrival R when every stamped batch is stored and applied
   * (for this turn only), else null.
   */
  start(everyMs: number, sites: () => Iterable<SiteRuntime>, quiescent: () => number | null): void {
    if (this.timer || everyMs <= 0) return;
    this.source = { sites, quiescent };
    this.timer = setInterval(() => {
      if (this.round) return;
      this.round = this.runRound(sites, quiescent)
        .catch((e: unknown) => this.o.log.error({ err: e }, 'checkpoint round failed'))
        .finally(() => (this.round = null));
    }, everyMs);
    this.timer.unref();
  }

  /**
   * Stops the clock and waits for a write under way; `final` then checkpoints every changed
   * site once more (on SIGTERM, after ingest has flushed: the next start replays nothing).
   */
  async stop(final = false): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.round;
    const src = this.source;
    this.source = null;
    if (final && src) await this.runRound(src.sites, src.quiescent);
  }
  private source: {
    sites: () => Iterable<SiteRuntime>;
    quiescent: () => number | null;
  } | null = null;

  /** One round now (also what the clock runs). */
  async runRound(
    sites: () => Iterable<SiteRuntime>,
    quiescent: () => number | null,
  ): Promise<void> {
    for (const rt of [...sites()]) {
      if (rt.lastEventAt() === null || this.saved.get(rt.site) === rt.changeCount) continue;
      const taken = await this.whenQuiescent(() => this.take(rt, quiescent));
      if (!taken) {
        this.o.log.debug({ site: rt.site }, 'no quiescent moment for a checkpoint; next round');
        continue;
      }
      const t0 = performance.now();
      await this.o.files.write(rt.site, taken.parts);
      const rec: CheckpointRecord = {
        site: rt.site,
        bytes: taken.parts[0].length + taken.parts[1].length,
        serialize_ms: taken.ms,
        write_ms: Math.round(performance.now() - t0),
        received: taken.received,
      };
      this.o.log.debug(rec, 'checkpoint written');
      this.o.onWritten?.(rec);
    }
  }

  /** Serialises `rt` if this turn is quiescent (synchronously: nothing can apply in between). */
  private take(
    rt: SiteRuntime,
    quiescent: () => number | null,
  ): { parts: [Buffer, Buffer]; ms: number; received: number } | null {
    const received = quiescent();
    if (received === null) return null;
    const day = rt.operatingDay;
    const state = rt.exportState();
    if (day === null || state === null) return null;
    const t0 = performance.now();
    const count = rt.changeCount;
    const parts = encodeCheckpointParts(
      {
        database: this.o.database,
        site: rt.site,
        day,
        received,
        config: configHash(rt.config),
        taken_at: this.o.now(),
      },
      state,
    );
    this.saved.set(rt.site, count);
    return { parts, ms: Math.round(performance.now() - t0), received };
  }

  private async whenQuiescent<T>(attempt: () => T | null): Promise<T | null> {
    const until = performance.now() + WAIT_MS;
    for (;;) {
      const v = attempt();
      if (v !== null || performance.now() >= until) return v;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }
}
