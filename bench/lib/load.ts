// Runs a set of producer processes together and sums what they saw.
import type { ProducerConfig, ProducerResult } from '../workers/producer.js';
import { forkWorker } from './proc.js';

export interface LoadResult {
  /** Acknowledged events per second over the run, all producers together. */
  ackedPerSec: number;
  sentPerSec: number;
  acked: number;
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
    const elapsed = Math.max(...rs.map((r) => r.elapsedMs)) / 1000;
    const lat: number[] = [];
    const probes: [number, number][] = [];
    for (const r of rs) {
      for (const l of r.lat) lat.push(l);
      for (const p of r.probes) probes.push(p);
    }
    return {
      ackedPerSec: rs.reduce((s, r) => s + r.ackedEvents, 0) / elapsed,
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

/** Batches kept in flight by a closed-loop producer: ~16k events, at most 1,000 messages. */
export function windowFor(batch: number): number {
  return Math.max(2, Math.min(1000, Math.ceil(16_000 / batch)));
}
