// design.md's Definitions, one table row per boundary, through the live engine.
import { describe, expect, it } from 'vitest';
import { createQueueEngine } from '../../ingest/src/core/queue/index.js';
import type { SlVariant } from '../../ingest/src/core/site-config.js';
import { Ev, SITE, T0, siteConfig } from './queue-helpers.js';

const S = 1000;

describe('wait, threshold and short abandon boundaries', () => {
  // T = 20 s, short abandon < 5 s.
  const cases: {
    name: string;
    kind: 'answered' | 'abandoned';
    waitMs: number;
    within: number;
    short: number;
  }[] = [
    {
      name: 'answered at exactly T is within',
      kind: 'answered',
      waitMs: 20 * S,
      within: 1,
      short: 0,
    },
    {
      name: 'answered 1 ms past T is not within',
      kind: 'answered',
      waitMs: 20 * S + 1,
      within: 0,
      short: 0,
    },
    { name: 'answered at once is within', kind: 'answered', waitMs: 0, within: 1, short: 0 },
    {
      name: 'abandoned at exactly the short threshold is not short',
      kind: 'abandoned',
      waitMs: 5 * S,
      within: 0,
      short: 0,
    },
    {
      name: 'abandoned 1 ms before the short threshold is short',
      kind: 'abandoned',
      waitMs: 5 * S - 1,
      within: 0,
      short: 1,
    },
    {
      name: 'abandoned after T counts as abandoned, not short',
      kind: 'abandoned',
      waitMs: 60 * S,
      within: 0,
      short: 0,
    },
  ];
  it.each(cases)('$name', ({ kind, waitMs, within, short }) => {
    const e = new Ev();
    e.offered('c1', 'q', T0 + 1000);
    if (kind === 'answered') e.answered('c1', 'q', 'a1', T0 + 1000 + waitMs);
    else e.abandoned('c1', 'q', T0 + 1000 + waitMs);
    const eng = createQueueEngine(SITE, siteConfig(), { latenessMs: 10_000 });
    for (const ev of e.list) eng.apply(ev);
    const [row] = eng.intervals(T0 + 600_000);
    expect(row).toMatchObject({
      offered: 1,
      answered: kind === 'answered' ? 1 : 0,
      abandoned: kind === 'abandoned' ? 1 : 0,
      answered_within_threshold: within,
      short_abandoned: short,
      asa_s: kind === 'answered' ? waitMs / 1000 : null,
    });
  });
});

describe('service level variants', () => {
  // 3 answered (waits 10 s, 20 s, 30 s: 2 within), 2 abandoned (2 s short, 40 s), and one
  // call still waiting for 50 s at `now`.
  function run(variant: SlVariant) {
    const e = new Ev();
    const waits = [10, 20, 30];
    waits.forEach((w, i) => {
      e.offered(`a${i}`, 'q', T0 + i * 1000);
      e.answered(`a${i}`, 'q', 'ag', T0 + i * 1000 + w * S);
    });
    e.offered('b0', 'q', T0);
    e.abandoned('b0', 'q', T0 + 2 * S);
    e.offered('b1', 'q', T0);
    e.abandoned('b1', 'q', T0 + 40 * S);
    e.offered('w', 'q', T0 + 60 * S);
    const eng = createQueueEngine(SITE, siteConfig({}, { q: { variant } }), { latenessMs: 10_000 });
    for (const ev of e.list) eng.apply(ev);
    return { eng, now: T0 + 110 * S };
  }
  const cases: { variant: SlVariant; num: number; den: number; formula: string }[] = [
    { variant: 'default', num: 2, den: 4, formula: 'sl_default' },
    { variant: 'answered', num: 2, den: 3, formula: 'sl_answered' },
    { variant: 'with_abandons', num: 2, den: 5, formula: 'sl_with_abandons' },
    { variant: 'live', num: 2, den: 5, formula: 'sl_live' },
  ];
  it.each(cases)('$variant = $num / $den', ({ variant, num, den, formula }) => {
    const { eng, now } = run(variant);
    const q = eng.queues(now).find((x) => x.queue === 'q');
    expect(q?.interval.service_level).toBe(num / den);
    expect(q?.interval.explain['service_level']).toMatchObject({
      formula,
      numerator: num,
      denominator: den,
    });
    expect(q?.today.service_level).toBe(num / den);
    expect(q?.interval.answer_rate).toBe(3 / 4);
    expect(q?.interval.asa_s).toBe(20);
    expect(eng.rollingServiceLevel('q', 3_600_000, now).value).toBe(num / den);
    // History has no waiting calls: the live variant's report row equals the default.
    const [row] = eng.intervals(now);
    expect(row?.service_level).toBe(variant === 'live' ? 2 / 4 : num / den);
  });

  it('rolling service level follows a held call whose queue phase moves, and counts it the same once folded', () => {
    // x: offered, abandoned after 40 s, then a late answer 10 s in takes the phase back
    // (the earliest end wins): answered within T. y: abandoned after 30 s, unchanged.
    const eng = createQueueEngine(SITE, siteConfig(), { latenessMs: 10_000 });
    const e = new Ev();
    e.offered('x', 'q', T0);
    e.abandoned('x', 'q', T0 + 40 * S);
    e.offered('y', 'q', T0);
    e.abandoned('y', 'q', T0 + 30 * S);
    for (const ev of e.list) eng.apply(ev);
    const now = T0 + 60 * S;
    expect(eng.rollingServiceLevel('q', 3_600_000, now).value).toBe(0);
    const late = new Ev();
    late.answered('x', 'q', 'a1', T0 + 10 * S);
    late.ended('x', 'q', 'a1', T0 + 20 * S);
    late.state('a1', T0 + 20 * S, 'ready');
    for (const ev of late.list) eng.apply(ev);
    const held = eng.rollingServiceLevel('q', 3_600_000, now);
    expect(held.value).toBe(1 / 2);
    expect(held.explain).toMatchObject({ numerator: 1, denominator: 2 });
    // An hour of event time later both calls are folded: the same figure from their compact form.
    const later = new Ev();
    later.state('a1', T0 + 40 * 60 * S, 'not_ready');
    for (const ev of later.list) eng.apply(ev);
    expect(eng.stats().calls).toBe(0);
    expect(eng.rollingServiceLevel('q', 3_600_000, now).value).toBe(1 / 2);
    expect(eng.intervals(now)[0]).toMatchObject({
      offered: 2,
      answered: 1,
      abandoned: 1,
      answered_within_threshold: 1,
    });
  });

  it('ratios are null when their denominator is 0', () => {
    const eng = createQueueEngine(SITE, siteConfig(), { latenessMs: 10_000 });
    const e = new Ev();
    e.offered('c', 'q', T0);
    e.abandoned('c', 'q', T0 + 1000); // short: excluded from SL and answer rate
    for (const ev of e.list) eng.apply(ev);
    const q = eng.queues(T0 + 60_000)[0];
    expect(q?.interval).toMatchObject({
      offered: 1,
      short_abandoned: 1,
      service_level: null,
      answer_rate: null,
      asa_s: null,
      aht_s: null,
      occupancy: null,
    });
  });
});

describe('which interval and queue a call counts in', () => {
  it('a call offered in one interval and answered in the next counts (offered too) in the next', () => {
    const e = new Ev();
    e.offered('c', 'q', T0 + 14 * 60 * S + 50 * S); // 09:14:50
    e.answered('c', 'q', 'a', T0 + 15 * 60 * S + 5 * S); // 09:15:05, wait 15 s
    const eng = createQueueEngine(SITE, siteConfig(), { latenessMs: 10_000 });
    for (const ev of e.list) eng.apply(ev);
    const rows = eng.intervals(T0 + 3_600_000);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      interval_start: '2026-11-23T09:15:00.000Z',
      offered: 1,
      answered: 1,
      answered_within_threshold: 1,
      asa_s: 15,
    });
    // While it waited, the call was not counted anywhere yet.
    const eng2 = createQueueEngine(SITE, siteConfig(), { latenessMs: 10_000 });
    eng2.apply(e.list[0]!);
    expect(eng2.intervals(T0 + 3_600_000)).toEqual([]);
    expect(eng2.queues(T0 + 15 * 60 * S)[0]).toMatchObject({ waiting: 1, longest_wait_s: 10 });
  });

  it('an overflowed call keeps its first offered time and counts in the queue that answered it', () => {
    const e = new Ev();
    e.offered('c', 'A', T0);
    e.overflowed('c', 'A', 'B', T0 + 30 * S);
    e.offered('c', 'B', T0 + 30 * S);
    const eng = createQueueEngine(SITE, siteConfig(), { latenessMs: 10_000 });
    for (const ev of e.list) eng.apply(ev);
    const live = eng.queues(T0 + 40 * S);
    expect(live.find((q) => q.queue === 'A')?.waiting).toBe(0);
    expect(live.find((q) => q.queue === 'B')).toMatchObject({ waiting: 1, longest_wait_s: 40 });
    eng.apply(e.answered('c', 'B', 'a', T0 + 45 * S));
    expect(eng.intervals(T0 + 60 * S)).toEqual([
      expect.objectContaining({
        queue: 'B',
        offered: 1,
        answered: 1,
        answered_within_threshold: 0,
        asa_s: 45,
      }),
    ]);
  });

  it('intervals follow the site zone across the New York spring-forward change', () => {
    const e = new Ev();
    const at = Date.parse('2026-03-08T06:59:50Z'); // 01:59:50 EST
    e.offered('c1', 'q', at);
    e.answered('c1', 'q', 'a', at + 65 * S); // 07:00:55 UTC = 03:00:55 EDT
    e.offered('c2', 'q', at - 5 * 60 * S);
    e.answered('c2', 'q', 'a', at - 4 * 60 * S);
    const eng = createQueueEngine(
      SITE,
      siteConfig({ timezone: 'America/New_York', interval_minutes: 60 }),
      { latenessMs: 10_000 },
    );
    for (const ev of e.list) eng.apply(ev);
    expect(eng.intervals(at).map((r) => [r.interval_start, r.offered])).toEqual([
      ['2026-03-08T01:00:00.000-05:00', 1],
      ['2026-03-08T03:00:00.000-04:00', 1],
    ]);
  });
});

describe('AHT: talk + hold + wrap-up, counted once wrap-up is over', () => {
  function call(e: Ev) {
    e.login('a', T0);
    e.state('a', T0 + 1 * S, 'ready');
    e.offered('c', 'q', T0 + 2 * S);
    e.answered('c', 'q', 'a', T0 + 4 * S);
    e.state('a', T0 + 4 * S, 'talking');
    e.state('a', T0 + 30 * S, 'hold');
    e.state('a', T0 + 40 * S, 'talking');
    e.ended('c', 'q', 'a', T0 + 64 * S);
  }
  it('with wrap-up: (ended - answered) + wrap_up until the next agent event', () => {
    const e = new Ev();
    call(e);
    e.state('a', T0 + 64 * S, 'wrap_up');
    const eng = createQueueEngine(SITE, siteConfig(), { latenessMs: 10_000 });
    for (const ev of e.list) eng.apply(ev);
    expect(eng.intervals(T0 + 90 * S)[0]?.aht_s).toBeNull(); // wrap-up still open
    expect(eng.agent('a', T0 + 90 * S)).toMatchObject({
      state: 'wrap_up',
      current_call: null,
      calls_today: 1,
    });
    eng.apply(e.state('a', T0 + 79 * S, 'ready'));
    expect(eng.intervals(T0 + 90 * S)[0]?.aht_s).toBe(60 + 15);
    const q = eng.queues(T0 + 90 * S)[0];
    expect(q?.interval.explain['aht_s']).toMatchObject({ numerator: 75, denominator: 1 });
    // Occupancy: busy 4..79 s = 75 s; ready 1..4 s and 79..90 s = 14 s.
    expect(q?.interval.occupancy).toBeCloseTo(75 / 89, 12);
  });
  it('without wrap-up: the next agent event is not wrap_up, so wrap-up is 0', () => {
    const e = new Ev();
    call(e);
    e.state('a', T0 + 70 * S, 'ready');
    const eng = createQueueEngine(SITE, siteConfig(), { latenessMs: 10_000 });
    for (const ev of e.list) eng.apply(ev);
    expect(eng.intervals(T0 + 90 * S)[0]?.aht_s).toBe(60);
  });
  it('a wrap_up arriving late (out of order) is placed in event-time order', () => {
    const e = new Ev();
    call(e);
    const wrap = e.state('a', T0 + 64 * S, 'wrap_up');
    const ready = e.state('a', T0 + 80 * S, 'ready');
    const eng = createQueueEngine(SITE, siteConfig(), { latenessMs: 10_000 });
    for (const ev of e.list) if (ev !== wrap) eng.apply(ev);
    expect(eng.intervals(T0 + 90 * S)[0]?.aht_s).toBe(60);
    eng.apply(wrap);
    expect(eng.intervals(T0 + 90 * S)[0]?.aht_s).toBe(76);
    expect(eng.agent('a', T0 + 90 * S)).toMatchObject({
      state: 'ready',
      since: '2026-11-23T09:01:20.000Z',
    });
    void ready;
  });
});
