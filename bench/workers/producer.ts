// A WebSocket load generator: connects to /ws/ingest (or the raw sink) and sends NDJSON
// batches, either closed-loop (keep `window` batches unacknowledged, as fast as acks come
// back) or open-loop at a fixed offered rate (one tick every 10 ms). It records each
// batch's sent → ack latency and, open-loop, the send time of one probe event per tick.
import WebSocket from 'ws';
import { LineGen, probeLine } from '../lib/lines.js';
import { config, fail, finish, ready, waitGo, wallNow } from './ipc.js';

export interface ProducerConfig {
  url: string;
  site: string;
  prefix: string;
  agents: number;
  queues: number;
  batch: number;
  /** Closed loop: batches in flight. */
  window: number;
  /** Open loop: offered events/s (0 = closed loop). */
  rate: number;
  durationMs: number;
  /** Open loop: the agent whose state carries the probe numbers (none = no probes). */
  probeAgent?: string;
  /** How long to wait for outstanding acks after the run (default 2 s). */
  graceMs?: number;
  /** First probe number - 1: probe numbers must keep rising across runs on one server. */
  probeBase?: number;
}

export interface ProducerResult {
  sentEvents: number;
  ackedEvents: number;
  ackedBatches: number;
  errors: number;
  firstError: string | null;
  elapsedMs: number;
  /** Events acknowledged before the run's end (the throughput figure uses these). */
  ackedInWindow: number;
  /** Sent → ack latency per batch, ms; batches still unacknowledged after the grace period
   * count with their age then, a lower bound (so a stalled server cannot look fast). */
  lat: number[];
  censored: number;
  /** Probe number → wall-clock send time. */
  probes: [number, number][];
}

const c = config<ProducerConfig>();
const TICK_MS = 10;

async function main(): Promise<void> {
  const ws = new WebSocket(c.url, { perMessageDeflate: false });
  await new Promise<void>((res, rej) => {
    ws.once('open', () => res());
    ws.once('error', rej);
  });
  const gen = new LineGen({ site: c.site, prefix: c.prefix, agents: c.agents, queues: c.queues });
  const sentAt = new Map<number, { t: number; n: number }>();
  let seq = 0;
  let acked = 0;
  let ackedInWindow = 0;
  let ackedBatches = 0;
  let errors = 0;
  let firstError: string | null = null;
  let sent = 0;
  const lat: number[] = [];
  const probes: [number, number][] = [];
  let stopping = false;
  let onDrained: (() => void) | null = null;
  let pump: () => void = () => {};
  let pumpQueued = false;
  const runPump = (): void => {
    pumpQueued = false;
    pump();
  };

  ws.on('message', (data: Buffer) => {
    // Replies are small and fixed-shape; a full JSON.parse only when one carries an error,
    // so the generator's own CPU stays off the measured path as far as possible.
    const text = data.toString();
    const r: { seq?: number; accepted?: number; error?: string } = text.includes('"error"')
      ? (JSON.parse(text) as { seq?: number; accepted?: number; error?: string })
      : { seq: Number(/"seq":(\d+)/.exec(text)?.[1] ?? 0), accepted: Number(/"accepted":(\d+)/.exec(text)?.[1] ?? 0) };
    const s = r.seq ?? 0;
    const rec = sentAt.get(s);
    if (rec) {
      sentAt.delete(s);
      lat.push(wallNow() - rec.t);
    }
    if (r.error) {
      errors++;
      firstError ??= r.error;
    }
    acked += r.accepted ?? 0;
    if (!stopping) ackedInWindow += r.accepted ?? 0;
    ackedBatches++;
    if (stopping && sentAt.size === 0) onDrained?.();
    else if (!pumpQueued) {
      // One refill per turn of the loop, after every ack in the chunks just read: at one
      // event per message a refill per ack was one write syscall per message.
      pumpQueued = true;
      setImmediate(runPump);
    }
  });
  ws.on('error', (e) => {
    errors++;
    firstError ??= String(e);
  });

  const send = (text: string, n: number) => {
    const s = ++seq;
    sentAt.set(s, { t: wallNow(), n });
    ws.send(text);
    sent += n;
  };

  ready();
  await waitGo();
  const t0 = wallNow();
  const end = t0 + c.durationMs;

  if (c.rate === 0) {
    // Closed loop: refill the window on every ack; the ts is refreshed once per 5 ms.
    let ts = new Date().toISOString();
    let tsAt = 0;
    pump = () => {
      if (stopping) return;
      const now = wallNow();
      if (now >= end) {
        stopping = true;
        if (sentAt.size === 0) onDrained?.();
        return;
      }
      if (now - tsAt > 5) {
        ts = new Date().toISOString();
        tsAt = now;
      }
      // Cork the socket so a refill of many small messages leaves in one write, not one
      // syscall per message (the ws client's ~6 µs per message is otherwise the limit).
      const sock = (ws as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
      sock?.cork();
      while (sentAt.size < c.window) send(gen.batch(c.batch, ts), c.batch);
      sock?.uncork();
    };
    pump();
    // The loop runs on acks; the run ends at `end` (pump stops refilling from then on).
    await new Promise<void>((r) => setTimeout(r, Math.max(0, end - wallNow())));
    stopping = true;
  } else {
    // Open loop: every tick sends what the rate says is due, in messages of `batch` events,
    // whatever the acks do (a slow server shows up as latency, not as less load).
    let probe = c.probeBase ?? 0;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = wallNow();
        if (now >= end) return resolve();
        const due = Math.floor(((now - t0) * c.rate) / 1000) - sent;
        if (due > 0) {
          const ts = new Date().toISOString();
          let left = due;
          let first = true;
          while (left > 0) {
            const n = Math.min(c.batch, left);
            let text = gen.batch(first && c.probeAgent ? n - 1 : n, ts);
            if (first && c.probeAgent) {
              probe++;
              probes.push([probe, wallNow()]);
              text = text ? `${probeLine(c.site, c.prefix, c.probeAgent, probe, ts)}\n${text}` : probeLine(c.site, c.prefix, c.probeAgent, probe, ts);
            }
            first = false;
            send(text, n);
            left -= n;
          }
        }
        setTimeout(tick, Math.max(0, TICK_MS - (wallNow() - now)));
      };
      tick();
    });
    stopping = true;
  }
  const elapsedMs = wallNow() - t0;
  // Wait a little for the outstanding acks, then count what is left as censored samples.
  if (sentAt.size > 0) {
    await new Promise<void>((resolve) => {
      onDrained = resolve;
      setTimeout(resolve, c.graceMs ?? 2000);
    });
  }
  const now = wallNow();
  const censored = sentAt.size;
  for (const rec of sentAt.values()) lat.push(now - rec.t);
  ws.close();
  finish({ sentEvents: sent, ackedEvents: acked, ackedInWindow, ackedBatches, errors, firstError, elapsedMs, lat, censored, probes } satisfies ProducerResult);
}

main().catch(fail);
