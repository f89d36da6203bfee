// The intraday forecast of calls per queue and interval: the same weekday's intervals over
// the previous N weeks (their mean), scaled by today's deviation so far (actual / that mean
// over today's complete intervals), or an uploaded forecast where one exists. Pure.

/** One interval's calls and AHT (null when no call ended there). */
export interface SlotCalls {
  calls: number;
  ahtS: number | null;
}

/** queue -> slot offset (ms from the operating day's start) -> figures. */
export type QueueSeries = Map<string, Map<number, SlotCalls>>;

export interface ForecastInput {
  queues: readonly string[];
  /** The day's interval offsets, ms from the day's start, ascending. */
  slots: readonly number[];
  slotMs: number;
  /** The same weekday of each previous week that has data. */
  weeks: readonly QueueSeries[];
  /** Today's actual figures so far. */
  today: QueueSeries;
  /** Now, ms from the day's start: intervals ending at or before it are complete. */
  nowOffset: number;
  uploaded?: QueueSeries;
}

export interface ForecastCell {
  queue: string;
  slot: number;
  /** Mean of the previous weeks (before scaling). */
  base: number;
  /** What staffing uses: uploaded, or base x the queue's factor. */
  calls: number;
  ahtS: number | null;
  actual: number | null;
  source: 'uploaded' | 'history' | 'none';
}

export interface Forecast {
  cells: ForecastCell[];
  /** Per queue: today's actual / base over complete intervals (1 when the base is under 1 call). */
  factor: Record<string, number>;
  weeks: number;
}

/**
 * The factor is clamped to 0.25..4: one quiet first quarter-hour must not forecast a dead
 * day, nor a burst at opening a fourfold day (beyond either the forecast needs a person).
 */
export const FACTOR_MIN = 0.25;
export const FACTOR_MAX = 4;

function meanOf(
  weeks: readonly QueueSeries[],
  queue: string,
  slot: number,
): { calls: number; ahtS: number | null } {
  if (weeks.length === 0) return { calls: 0, ahtS: null };
  let calls = 0;
  let handle = 0;
  let withAht = 0;
  for (const w of weeks) {
    const c = w.get(queue)?.get(slot);
    if (!c) continue;
    calls += c.calls;
    if (c.ahtS !== null && c.calls > 0) {
      handle += c.ahtS * c.calls;
      withAht += c.calls;
    }
  }
  return { calls: calls / weeks.length, ahtS: withAht > 0 ? handle / withAht : null };
}

export function forecastDay(input: ForecastInput): Forecast {
  const factor: Record<string, number> = {};
  const cells: ForecastCell[] = [];
  for (const q of input.queues) {
    let baseSoFar = 0;
    let actualSoFar = 0;
    for (const slot of input.slots) {
      if (slot + input.slotMs > input.nowOffset) break;
      baseSoFar += meanOf(input.weeks, q, slot).calls;
      actualSoFar += input.today.get(q)?.get(slot)?.calls ?? 0;
    }
    const f =
      baseSoFar >= 1 ? Math.min(FACTOR_MAX, Math.max(FACTOR_MIN, actualSoFar / baseSoFar)) : 1;
    factor[q] = f;
    for (const slot of input.slots) {
      const m = meanOf(input.weeks, q, slot);
      const up = input.uploaded?.get(q)?.get(slot);
      const complete = slot + input.slotMs <= input.nowOffset;
      const started = slot <= input.nowOffset;
      const actual = started ? (input.today.get(q)?.get(slot)?.calls ?? 0) : null;
      if (up)
        cells.push({
          queue: q,
          slot,
          base: m.calls,
          calls: up.calls,
          ahtS: up.ahtS,
          actual: complete || started ? actual : null,
          source: 'uploaded',
        });
      else
        cells.push({
          queue: q,
          slot,
          base: m.calls,
          calls: m.calls * f,
          ahtS: m.ahtS,
          actual,
          source: input.weeks.length ? 'history' : 'none',
        });
    }
  }
  return { cells, factor, weeks: input.weeks.length };
}

/**
 * Mean absolute percentage error of one day: mean over intervals with actual calls of
 * |actual - forecast| / actual. Intervals with no actual call are left out (the percentage
 * is undefined there); null when no interval had calls.
 */
export function mape(pairs: readonly { actual: number; forecast: number }[]): {
  mape: number | null;
  intervals: number;
} {
  let sum = 0;
  let n = 0;
  for (const p of pairs) {
    if (p.actual <= 0) continue;
    sum += Math.abs(p.actual - p.forecast) / p.actual;
    n++;
  }
  return { mape: n ? sum / n : null, intervals: n };
}
