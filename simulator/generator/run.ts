// Drives an Engine to an output: an NDJSON stream as fast as it can be written, or a
// Floorwatch server over WS /ws/ingest in real time, accelerated, or as a back-fill. The
// engine is synchronous; these loops advance it in slices and apply backpressure between.
import type { Writable } from 'node:stream';
import { checkEvent, type CheckMode } from '../output/check.js';
import type { IngestClient } from '../output/ingest-client.js';
import { Progress } from '../output/progress.js';
import { Engine } from './engine.js';
import type { SimConfig } from './model.js';

/** Simulated time advanced per slice when not real time: 60 s keeps a slice of a 20,000-agent day near 10k events. */
const SLICE_MS = 60_000;

export interface RunOptions {
  check: CheckMode;
  progress: boolean;
  /** Returns true to stop early (Ctrl-C). */
  stopped?: () => boolean;
}

export interface RunSummary {
  events: number;
  offered: number;
  answered: number;
  abandoned: number;
  overflowed: number;
  simulatedTo: number;
}

function collector(check: CheckMode): {
  lines: string[];
  sink: (ev: Parameters<typeof checkEvent>[0]) => void;
} {
  const lines: string[] = [];
  return {
    lines,
    sink: (ev) => {
      checkEvent(ev, check);
      lines.push(JSON.stringify(ev));
    },
  };
}

function summary(engine: Engine): RunSummary {
  const s = engine.stats;
  return {
    events: s.events,
    offered: s.offered,
    answered: s.answered,
    abandoned: s.abandoned,
    overflowed: s.overflowed,
    simulatedTo: engine.now,
  };
}

/** Writes the whole span to `out` as NDJSON, waiting for 'drain' when the stream is full. */
export async function runToStream(
  cfg: SimConfig,
  out: Writable,
  opts: RunOptions,
): Promise<RunSummary> {
  const { lines, sink } = collector(opts.check);
  const engine = new Engine(cfg, sink);
  const progress = new Progress(opts.progress, cfg.from, cfg.to, (t) => engine.clock.iso(t));
  let done = false;
  while (!done && !opts.stopped?.()) {
    done = engine.runUntil(engine.now + SLICE_MS);
    if (lines.length) {
      const ok = out.write(lines.join('\n') + '\n');
      lines.length = 0;
      if (!ok) await new Promise<void>((res) => out.once('drain', res));
    }
    progress.update(engine.now, engine.stats.events);
  }
  progress.finish(engine.now, engine.stats.events);
  return summary(engine);
}

export interface StreamOptions extends RunOptions {
  /** Simulated seconds per wall second; Infinity: as fast as acknowledgements allow. */
  speed: number;
  /** Events per WebSocket message. */
  batch: number;
  /** Wall-clock tick for real-time runs, ms. */
  tickMs?: number;
  /**
   * Simulated instant that maps to the moment streaming starts (default `cfg.from`). Earlier
   * than that is a pre-roll: sent at once, as fast as acknowledgements allow.
   */
  liveFrom?: number;
  /** Called once per slice with the engine's clock (for the demo's status line). */
  onSlice?: (engine: Engine) => void;
}

/** Streams the span to a server. Real time maps wall time since start onto `cfg.from`. */
export async function runToServer(
  cfg: SimConfig,
  client: IngestClient,
  opts: StreamOptions,
): Promise<RunSummary> {
  const { lines, sink } = collector(opts.check);
  const engine = new Engine(cfg, sink);
  const progress = new Progress(opts.progress, cfg.from, cfg.to, (t) => engine.clock.iso(t));
  const wall0 = performance.now();
  const tick = opts.tickMs ?? 100;
  let done = false;
  while (!done && !opts.stopped?.()) {
    const live = Number.isFinite(opts.speed);
    if (live)
      done = engine.runUntil(
        (opts.liveFrom ?? cfg.from) + (performance.now() - wall0) * opts.speed,
      );
    // A back-fill fills whole batches: each message costs the server a commit round trip.
    else
      while (!done && lines.length < opts.batch && !opts.stopped?.())
        done = engine.runUntil(engine.now + SLICE_MS);
    let i = 0;
    for (
      ;
      i + opts.batch <= lines.length || (i < lines.length && (live || done || opts.stopped?.()));
      i += opts.batch
    ) {
      await client.send(lines.slice(i, i + opts.batch));
    }
    lines.splice(0, Math.min(i, lines.length));
    opts.onSlice?.(engine);
    const t = client.totals;
    progress.update(
      engine.now,
      engine.stats.events,
      `acked ${t.accepted + t.duplicates} rejected ${t.rejected}`,
    );
    if (Number.isFinite(opts.speed) && !done) await new Promise((r) => setTimeout(r, tick));
  }
  await client.drain();
  const t = client.totals;
  progress.finish(
    engine.now,
    engine.stats.events,
    `acked ${t.accepted + t.duplicates} rejected ${t.rejected}`,
  );
  return summary(engine);
}
