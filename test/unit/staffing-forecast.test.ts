// The pure forecast and plan: scaling by today so far (clamped), uploaded intervals, MAPE,
// and the required agents / gap per interval from the Erlang module.
import { describe, expect, it } from 'vitest';
import { forecastDay, mape, type QueueSeries } from '../../ingest/src/core/staffing/forecast.js';
import { patienceEstimate, planStaffing } from '../../ingest/src/core/staffing/plan.js';
import { requiredAgents } from '../../ingest/src/core/staffing/erlang.js';

const S = 900_000;
const series = (q: string, pairs: [number, number, number | null][]): QueueSeries =>
  new Map([[q, new Map(pairs.map(([slot, calls, aht]) => [slot * S, { calls, ahtS: aht }]))]]);
const slots = [0, 1, 2, 3].map((i) => i * S);

describe('forecastDay', () => {
  it.each([
    { name: 'on plan', today: 10, factor: 1 },
    { name: 'twice as busy', today: 20, factor: 2 },
    { name: 'quiet, clamped at 0.25', today: 1, factor: 0.25 },
    { name: 'a burst, clamped at 4', today: 90, factor: 4 },
  ])('scales the mean of past weeks by today so far: $name', ({ today, factor }) => {
    const weeks = [
      series('q', [
        [0, 8, 100],
        [2, 30, 200],
      ]),
      series('q', [
        [0, 12, 300],
        [2, 10, 200],
      ]),
    ];
    const input = {
      queues: ['q'],
      slots,
      slotMs: S,
      weeks,
      today: series('q', [[0, today, 100]]),
      nowOffset: S + 1,
    };
    const frozen = JSON.stringify([...input.weeks[0]!.get('q')!]);
    const f = forecastDay(input);
    expect(f.factor['q']).toBeCloseTo(factor, 9);
    const c2 = f.cells.find((c) => c.slot === 2 * S)!;
    expect(c2).toMatchObject({ base: 20, source: 'history', actual: null });
    expect(c2.calls).toBeCloseTo(20 * factor, 9);
    // AHT weighted by calls: (8 x 100 + 12 x 300) / 20.
    expect(f.cells.find((c) => c.slot === 0)!.ahtS).toBeCloseTo(220, 9);
    expect(JSON.stringify([...input.weeks[0]!.get('q')!])).toBe(frozen);
  });

  it('an uploaded interval replaces history; no history is labelled none and never scaled', () => {
    const f = forecastDay({
      queues: ['q'],
      slots,
      slotMs: S,
      weeks: [],
      today: new Map(),
      nowOffset: 0,
      uploaded: series('q', [[3, 42, 240]]),
    });
    expect(f.factor['q']).toBe(1);
    expect(f.cells.map((c) => [c.source, c.calls])).toEqual([
      ['none', 0],
      ['none', 0],
      ['none', 0],
      ['uploaded', 42],
    ]);
  });
});

describe('mape', () => {
  it('is the mean of |A - F| / A over intervals with calls', () => {
    expect(
      mape([
        { actual: 10, forecast: 8 },
        { actual: 20, forecast: 25 },
        { actual: 0, forecast: 3 },
      ]),
    ).toEqual({ mape: (0.2 + 0.25) / 2, intervals: 2 });
    expect(mape([{ actual: 0, forecast: 1 }])).toEqual({ mape: null, intervals: 0 });
  });
});

describe('planStaffing', () => {
  it('required by Erlang C, or Erlang A with patience; gap = staffed - required; past intervals have no staffed', () => {
    const f = forecastDay({
      queues: ['q'],
      slots,
      slotMs: S,
      weeks: [
        series('q', [
          [1, 100, 180],
          [2, 100, 180],
        ]),
      ],
      today: new Map(),
      nowOffset: 0,
    });
    const rows = planStaffing({
      cells: f.cells,
      slotMs: S,
      target: () => ({ thresholdS: 20, target: 0.8 }),
      patience: () => null,
      staffed: (_q, slot) => (slot === 0 ? null : 20),
      fallbackAhtS: 180,
    });
    const want = requiredAgents({
      calls: 100,
      intervalS: 900,
      ahtS: 180,
      thresholdS: 20,
      target: 0.8,
    }).agents;
    expect(rows[1]).toMatchObject({
      model: 'erlang_c',
      required: want,
      staffed: 20,
      gap: 20 - want,
    });
    expect(rows[0]).toMatchObject({ required: 0, staffed: null, gap: null });
    const withA = planStaffing({
      cells: f.cells,
      slotMs: S,
      target: () => ({ thresholdS: 20, target: 0.8 }),
      patience: () => 120,
      staffed: () => 20,
      fallbackAhtS: 180,
    });
    expect(withA[1]!.model).toBe('erlang_a');
    expect(withA[1]!.required!).toBeLessThanOrEqual(want);
  });

  it('patience needs at least 10 abandons', () => {
    expect(patienceEstimate(900, 9)).toBeNull();
    expect(patienceEstimate(1200, 10)).toBe(120);
  });
});
