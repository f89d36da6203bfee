// Runs a set of producer processes together and sums what they saw.
import type { ProducerConfig, ProducerResult } from '../workers/producer.js';
import { forkWorker } from './proc.js';

export interface LoadResult {
  /** Acknowledged events per second over the run, all producers together. */
  ackedPerSec: number;
  sentPerSec: number;
  acked: number;
  /** Batches still unacknowledged after the grace period (their latency is a lower bound). */
  censored: number;
  errors: number;
  firstError: string | null;
  lat: number[];
  probes: [number, number][];
}

export async function runProducers(cfgs: ProducerConfig[]): Promise<LoadResult> {
  const ws = cfgs.map((c) => forkWorker<ProducerResult>('producer', c));
  try {
    await Promise.all(ws.map((w) => w.ready));
    for (const w of ws) w.go();
    const rs = await Promise.all(ws.map((w) => w.result));
    // Throughput counts the acks that came back within the run, over the run's length.
    const elapsed = Math.max(...rs.map((r) => r.elapsedMs)) / 1000;
    const lat: number[] = [];
    const probes: [number, number][] = [];
    for (const r of rs) {
      for (const l of r.lat) lat.push(l);
      for (const p of r.probes) probes.push(p);
    }
    return {
      ackedPerSec: rs.reduce((s, r) => s + r.ackedInWindow, 0) / elapsed,
      censored: rs.reduce((s, r) => s + r.censored, 0),
      sentPerSec: rs.reduce((s, r) => s + r.sentEvents, 0) / elapsed,
      acked: rs.reduce((s, r) => s + r.ackedEvents, 0),
      errors: rs.reduce((s, r) => s + r.errors, 0),
      firstError: rs.find((r) => r.firstError)?.firstError ?? null,
      lat,
      probes,
    };
  } finally {
    for (const w of ws) w.kill();
  }
}

/** Batches kept in flight by a closed-loop producer: ~8k events whatever the batch size
 * (3 producers keep ~2.4 default flushes of 10k rows queued); the server allows 16,384
 * unacknowledged messages per socket. */
export function windowFor(batch: number): number {
  return Math.max(2, Math.min(8_000, Math.ceil(8_000 / batch)));
}
