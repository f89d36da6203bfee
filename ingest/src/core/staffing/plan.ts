// Required vs staffed agents per queue (or queue group) and interval: required from the
// forecast by Erlang C, or Erlang A when the queue's patience is known; staffed from who is
// signed in and skilled (now) or rostered to work (future intervals). Pure.
import { requiredAgents } from './erlang.js';
import type { ForecastCell } from './forecast.js';

export interface StaffingRow {
  queue: string;
  slot: number;
  forecast_calls: number;
  actual_calls: number | null;
  aht_s: number | null;
  source: ForecastCell['source'];
  model: 'erlang_c' | 'erlang_a' | null;
  patience_s: number | null;
  required: number | null;
  /** SL the model predicts with the required agents. */
  predicted_sl: number | null;
  staffed: number | null;
  /** staffed - required: negative is short. */
  gap: number | null;
}

export interface PlanInput {
  cells: readonly ForecastCell[];
  slotMs: number;
  target(queue: string): { thresholdS: number; target: number };
  /** Mean patience of the queue in seconds, or null (Erlang C). */
  patience(queue: string): number | null;
  /** Agents for the queue in the interval starting at `slot`, or null when unknown (past). */
  staffed(queue: string, slot: number): number | null;
  /** AHT to use when history has none (the queue's AHT today, or the site's). */
  fallbackAhtS: number;
}

export function planStaffing(input: PlanInput): StaffingRow[] {
  return input.cells.map((c) => {
    const aht = c.ahtS ?? input.fallbackAhtS;
    const t = input.target(c.queue);
    const patience = input.patience(c.queue);
    const staffed = input.staffed(c.queue, c.slot);
    let required: number | null = null;
    let sl: number | null = null;
    if (c.calls > 0 && aht > 0) {
      const r = requiredAgents({
        calls: c.calls,
        intervalS: input.slotMs / 1000,
        ahtS: aht,
        thresholdS: t.thresholdS,
        target: t.target,
        patienceS: patience,
      });
      required = r.agents;
      sl = r.figures.sl;
    } else if (c.source !== 'none') required = 0;
    return {
      queue: c.queue,
      slot: c.slot,
      forecast_calls: c.calls,
      actual_calls: c.actual,
      aht_s: c.ahtS,
      source: c.source,
      model: required === null ? null : patience !== null ? 'erlang_a' : 'erlang_c',
      patience_s: patience,
      required,
      predicted_sl: sl,
      staffed,
      gap: required !== null && staffed !== null ? staffed - required : null,
    };
  });
}

/** Mean patience from history: total time waited by every caller / abandons (exponential patience, answered calls censored). Null under `minAbandons`. */
export function patienceEstimate(
  totalWaitS: number,
  abandons: number,
  minAbandons = 10,
): number | null {
  return abandons >= minAbandons ? totalWaitS / abandons : null;
}
