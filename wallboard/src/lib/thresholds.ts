// Tile colours from the site's `display` thresholds: SL against its target (sl_warn is a
// fraction of target, 0.9 → amber below 90% of target) and calls waiting against counts.
import type { MetricThresholds } from '../../../ingest/src/core/display-thresholds.js';

export type Tone = 'ok' | 'warn' | 'alarm' | 'none';

export interface DisplayThresholds {
  sl_warn: number;
  waiting_warn: number;
  waiting_alarm: number;
  /** Per-metric colour thresholds for every queue, and per queue (core/display-thresholds.ts). */
  metrics?: MetricThresholds;
  queues?: Record<string, MetricThresholds>;
}

export const DEFAULT_DISPLAY: DisplayThresholds = {
  sl_warn: 0.9,
  waiting_warn: 5,
  waiting_alarm: 15,
};

/** 1e-9 slack: 0.8 × 0.9 is 0.7200000000000001 in floating point, and 72% must read amber. */
const EPS = 1e-9;

export function slTone(value: number | null, target: number, d: DisplayThresholds): Tone {
  if (value === null) return 'none';
  if (value >= target - EPS) return 'ok';
  if (value >= target * d.sl_warn - EPS) return 'warn';
  return 'alarm';
}

export function waitingTone(waiting: number, d: DisplayThresholds): Tone {
  if (waiting >= d.waiting_alarm) return 'alarm';
  if (waiting >= d.waiting_warn) return 'warn';
  return 'ok';
}

/**
 * Longest current wait against the queue's SL threshold T: past T that call already misses
 * the service level (amber); past 3×T it is likely to abandon (red).
 */
export function longestWaitTone(seconds: number, thresholdS: number): Tone {
  if (seconds >= 3 * thresholdS) return 'alarm';
  if (seconds >= thresholdS) return 'warn';
  return 'ok';
}

/** A ratio against a floor standard (conformance 0.92, attendance 0.95). */
export function standardTone(value: number | null, standard: number): Tone {
  if (value === null) return 'none';
  return value >= standard - EPS ? 'ok' : value >= standard - 0.05 - EPS ? 'warn' : 'alarm';
}

export {
  metricRule,
  metricTone,
  HIGHER_IS_WORSE,
} from '../../../ingest/src/core/display-thresholds.js';
