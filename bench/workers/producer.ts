// A WebSocket load generator: connects to /ws/ingest (or the raw sink) and sends NDJSON
// batches, either closed-loop (keep `window` batches unacknowledged, as fast as acks come
// back) or open-loop at a fixed offered rate (one tick every 10 ms). It records each
// batch's sent → ack latency and, open-loop, the send time of one probe event per tick.
import WebSocket from 'ws';
import { LineGen, probeLine } from '../lib/lines.js';
import { config, fail, finish, ready, waitGo, wallNow } from './ipc.js';
import { benchAuth } from '../lib/token.js';

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
  // An all-zero masking key: ws then skips masking (and its random key per frame). RFC 6455
  // asks browsers for unpredictable keys to protect proxies; a load generator on loopback
  // needs none, and the server unmasks every frame the same way whatever the key. The
  // generator's CPU is the server's loss on a 2-core machine, so it is kept low.
  const ws = new WebSocket(c.url, {
    perMessageDeflate: false,
    headers: benchAuth(),
    generateMask: (mask: Buffer) => void mask.fill(0),
  });
  await new Promise<void>((res, rej) => {
    ws.once('open', () => res());
    ws.once('error', rej);
  });
  const gen = new LineGen({ site: c.site, prefix: c.prefix, agents: c.agents, queues: c.queues });
  // seq -> send time in µs since t0 (a small integer: no boxed number or object per batch).
  const sentAt = new Map<number, number>();
  let base = wallNow();
  const micros = (t: number): number => Math.round((t - base) * 1000);
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

  // The time acks are read, taken once per turn of the loop (acks arrive together in chunks).
  let ackNow = 0;
  ws.on('message', (data: Buffer) => {
    // Replies are small and fixed-shape: their two numbers are read off the bytes, and a
    // full JSON.parse runs only when one carries an error, so the generator's own CPU
    // stays off the measured path as far as possible.
    let s: number;
    let accepted: number;
    if (data.indexOf('"error"') >= 0) {
      const r = JSON.parse(data.toString()) as { seq?: number; accepted?: number; error?: string };
      s = r.seq ?? 0;
      accepted = r.accepted ?? 0;
      errors++;
      firstError ??= r.error ?? 'error';
    } else {
      s = numberAfter(data, '"seq":');
      accepted = numberAfter(data, '"accepted":');
    }
    if (!pumpQueued) ackNow = wallNow();
    const sentUs = sentAt.get(s);
    if (sentUs !== undefined) {
      sentAt.delete(s);
      lat.push(ackNow - base - sentUs / 1000);
    }
    acked += accepted;
    if (!stopping) ackedInWindow += accepted;
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

  /** Records a batch of `n` events sent at `at` (its seq is the next one). */
  const track = (n: number, at: number) => {
    sentAt.set(++seq, micros(at));
    sent += n;
  };
  const send = (text: string, n: number, at: number) => {
    track(n, at);
    ws.send(text);
  };

  // Closed-loop refills write their frames to the socket themselves (see pump).
  const socket = (ws as unknown as { _socket: { write(b: Buffer): boolean } })._socket;

  ready();
  await waitGo();
  const t0 = wallNow();
  base = t0;
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
      // The whole refill is framed into one buffer and written at once: one write, not one
      // per message, and no per-message work in the ws client (~3 µs a message, which at one
      // event per message took ~0.35 of the machine's 2 cores from the server). The send
      // time is read once per 256 messages (a refill of one-event messages is thousands).
      const texts: string[] = [];
      let at = now;
      for (let k = 1; sentAt.size < c.window; k++) {
        const text = gen.batch(c.batch, ts);
        texts.push(text);
        track(c.batch, at);
        if ((k & 255) === 0) at = wallNow();
      }
      if (texts.length) socket.write(textFrames(texts));
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
              text = text
                ? `${probeLine(c.site, c.prefix, c.probeAgent, probe, ts)}\n${text}`
                : probeLine(c.site, c.prefix, c.probeAgent, probe, ts);
            }
            first = false;
            send(text, n, wallNow());
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
  for (const us of sentAt.values()) lat.push(now - base - us / 1000);
  ws.close();
  finish({
    sentEvents: sent,
    ackedEvents: acked,
    ackedInWindow,
    ackedBatches,
    errors,
    firstError,
    elapsedMs,
    lat,
    censored,
    probes,
  } satisfies ProducerResult);
}

/**
 * Client text frames (FIN, opcode 1) of `texts`, one after another, with the all-zero
 * masking key the ws client is set up with above (so the payload goes unmasked).
 */
function textFrames(texts: readonly string[]): Buffer {
  let size = 0;
  for (const t of texts) size += 14 + 3 * t.length;
  const out = Buffer.allocUnsafe(size);
  let off = 0;
  for (const t of texts) {
    const len = Buffer.byteLength(t);
    out[off++] = 0x81;
    if (len < 126) out[off++] = 0x80 | len;
    else if (len < 65536) {
      out[off++] = 0x80 | 126;
      out.writeUInt16BE(len, off);
      off += 2;
    } else {
      out[off++] = 0x80 | 127;
      out.writeBigUInt64BE(BigInt(len), off);
      off += 8;
    }
    out.writeUInt32BE(0, off);
    off += 4;
    off += out.write(t, off);
  }
  return out.subarray(0, off);
}

/** The non-negative integer right after `key` in a reply's bytes (0 when absent). */
function numberAfter(data: Buffer, key: string): number {
  const at = data.indexOf(key);
  if (at < 0) return 0;
  let v = 0;
  for (let i = at + key.length; i < data.length; i++) {
    const d = (data[i] as number) - 48;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
  }
  return v;
}

main().catch(fail);
