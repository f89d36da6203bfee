// The quality engine's calls and surveys as columns: the key lists, first-contact resolution
// in any arrival order (late, re-sent and re-offered calls, calls at the same instant) against
// a direct count from the events, and a checkpoint round trip that goes on as the original.
import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import type { FwEvent } from '../../ingest/src/core/contract.js';
import { QualityEngine } from '../../ingest/src/core/quality/engine.js';
import { satisfiedOf } from '../../ingest/src/core/quality/figures.js';
import { Keys, type KeysState } from '../../ingest/src/core/quality/keys.js';
import { DEFAULT_QUALITY } from '../../ingest/src/core/quality/config.js';
import { defaultSiteConfig, type SiteConfig } from '../../ingest/src/core/site-config.js';
import { Rng } from '../../simulator/distributions/rng.js';

const H = 3_600_000;
const DAY = 24 * H;
const START = Date.parse('2026-11-20T00:00:00.000Z');
const NOW = START + 10 * DAY + 5 * H;
const cfg: SiteConfig = { ...defaultSiteConfig('S'), timezone: 'Asia/Shanghai' };

const roundTrip = <T>(v: T): T => deserialize(serialize(v)) as T;

describe('quality key lists', () => {
  it('finds every key by position, through growth and a round trip', () => {
    const k = new Keys();
    const words = Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? `坐席${i}` : `c-${i}`));
    words.forEach((w, i) => expect(k.id(w)).toBe(i));
    expect(k.id('c-1')).toBe(1);
    expect(k.find('absent')).toBe(-1);
    const back = new Keys(roundTrip<KeysState>(k.state()));
    for (let i = 0; i < words.length; i += 97) {
      expect(back.find(words[i] as string)).toBe(i);
      expect(back.key(i)).toBe(words[i]);
    }
    // Keys added after a load, saved again, and loaded again.
    for (let i = 0; i < 2000; i++) expect(back.id(`late-${i}`)).toBe(3000 + i);
    expect(back.find('c-2999')).toBe(2999);
    const again = new Keys(roundTrip<KeysState>(back.state()));
    expect(again.size).toBe(5000);
    expect(again.find('late-1999')).toBe(4999);
    expect(again.key(4999)).toBe('late-1999');
    expect(again.key(7)).toBe('坐席7');
    expect(again.find('late-2000')).toBe(-1);
  });

  it('splits the saved keys into texts of bounded length', () => {
    const k = new Keys(undefined, 50);
    const words = Array.from({ length: 400 }, (_, i) => `k${i}`.repeat(1 + (i % 3)));
    for (const w of words.slice(0, 150)) k.id(w);
    const first = roundTrip<KeysState>(k.state());
    expect(first.texts.length).toBeGreaterThan(10);
    for (const t of first.texts) expect(t.length).toBeLessThanOrEqual(50);
    const b = new Keys(first, 50);
    for (const w of words.slice(150)) b.id(w);
    const c = new Keys(roundTrip<KeysState>(b.state()), 50);
    words.forEach((w, i) => {
      expect(c.find(w)).toBe(i);
      expect(c.key(i)).toBe(w);
    });
    expect(c.find('k1k1k1')).toBe(-1);
  });
});

/** A day's worth of calls and surveys over ten days: repeat callers, ties, re-offers, re-sends. */
function events(seed: string): FwEvent[] {
  const rng = new Rng(seed);
  let n = 0;
  const out: FwEvent[] = [];
  const ev = (ts: number, body: Record<string, unknown>): void => {
    out.push({ id: `e${n++}`, ts, site: 'S', ...body } as unknown as FwEvent);
  };
  for (let a = 0; a < 6; a++)
    ev(START, { type: 'agent.login', agent: `a${a}`, team: a < 3 ? '甲' : 'B' });
  for (let i = 0; i < 700; i++) {
    const ts = START + Math.floor(rng.next() * 10 * DAY);
    const caller = `h${rng.int(0, 90)}`;
    const call = `c${i}`;
    ev(ts, { type: 'call.offered', call, queue: 'q', caller });
    if (rng.chance(0.1)) ev(ts + 60_000, { type: 'call.offered', call, queue: 'q', caller });
    if (rng.chance(0.1)) ev(ts - 60_000, { type: 'call.offered', call, queue: 'q2', caller });
    if (rng.chance(0.05)) ev(ts, { type: 'call.offered', call: `c${i}t`, queue: 'q', caller }); // same instant
    if (rng.chance(0.05)) ev(ts, { type: 'call.offered', call: `n${i}`, queue: 'q' }); // no caller
    const agent = `a${rng.int(0, 6)}`;
    ev(ts + 30_000, { type: 'call.answered', call, queue: 'q', agent });
    if (rng.chance(0.4)) {
      const body = {
        type: 'call.survey',
        call,
        agent,
        ...(rng.chance(0.7) ? { score: rng.int(1, 6) } : {}),
        ...(rng.chance(0.4) ? { satisfied: rng.chance(0.5) } : {}),
      };
      ev(ts + 120_000, body);
      const sent = out[out.length - 1] as FwEvent;
      if (rng.chance(0.1)) out.push({ ...sent }); // the same survey event again
    }
  }
  // Calls after now are not yet known to the figures.
  ev(NOW + H, { type: 'call.offered', call: 'future', queue: 'q', caller: 'h1' });
  return out;
}

function shuffled<T>(xs: readonly T[], seed: string): T[] {
  const rng = new Rng(seed);
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(0, i + 1);
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
}

function engine(evs: readonly FwEvent[], c = cfg): QualityEngine {
  const e = new QualityEngine('S', c);
  for (const ev of evs) e.apply(ev);
  return e;
}

type Offer = { call: string; ts: number; caller: string };

/** FCR and satisfaction counted straight from the events, as docs/definitions.md says. */
function direct(evs: readonly FwEvent[], from: number, to: number, now: number) {
  const first = new Map<string, Offer>();
  const surveys = new Map<
    string,
    { ts: number; score: number | null; satisfied: boolean | null }
  >();
  for (const e of evs) {
    if (e.type === 'call.offered' && e.caller) {
      const k = first.get(e.call);
      if (!k || e.ts < k.ts) first.set(e.call, { call: e.call, ts: e.ts, caller: e.caller });
    }
    if (e.type === 'call.survey')
      surveys.set(e.id, { ts: e.ts, score: e.score ?? null, satisfied: e.satisfied ?? null });
  }
  const offers = [...first.values()];
  let calls = 0;
  let resolved = 0;
  for (const c of offers) {
    if (c.ts < from || c.ts >= to || c.ts > now) continue;
    calls++;
    const until = Math.min(c.ts + DEFAULT_QUALITY.fcr_days * DAY, now);
    if (!offers.some((d) => d.caller === c.caller && d.ts > c.ts && d.ts <= until)) resolved++;
  }
  let n = 0;
  let satisfied = 0;
  for (const s of surveys.values()) {
    if (s.ts < from || s.ts >= to || s.ts > now) continue;
    n++;
    if (satisfiedOf(s, DEFAULT_QUALITY)) satisfied++;
  }
  return { calls, resolved, surveys: n, satisfied };
}

function totals(e: QualityEngine, from: number, to: number, now: number) {
  const rows = e.figures('site', from, to, now);
  const sum = (f: (r: (typeof rows)[number]) => number): number =>
    rows.reduce((s, r) => s + f(r), 0);
  return {
    calls: sum((r) => r.calls),
    resolved: sum((r) => r.resolved_first),
    surveys: sum((r) => r.surveys),
    satisfied: sum((r) => r.satisfied),
  };
}

describe('quality calls as columns', () => {
  const evs = events('quality-columns');
  const inTime = [...evs].sort((a, b) => a.ts - b.ts);

  it('counts first-contact resolution and satisfaction as the events say, in any order', () => {
    const want = direct(evs, START, NOW + DAY, NOW);
    expect(want.calls).toBeGreaterThan(600);
    expect(want.resolved).toBeGreaterThan(0);
    expect(want.resolved).toBeLessThan(want.calls);
    const a = engine(inTime);
    expect(totals(a, START, NOW + DAY, NOW)).toEqual(want);
    const byDay = a.figures('site', START, NOW + DAY, NOW);
    for (const order of ['one', 'two', 'reversed']) {
      const arrival = order === 'reversed' ? [...inTime].reverse() : shuffled(evs, order);
      const b = engine(arrival);
      expect(b.figures('site', START, NOW + DAY, NOW)).toEqual(byDay);
      // Earlier "now": the later calls do not count as calling again yet.
      const mid = START + 5 * DAY;
      expect(totals(b, START, mid, mid)).toEqual(direct(evs, START, mid, mid));
    }
  });

  it('goes on after a checkpoint round trip exactly as the original', () => {
    const half = Math.floor(evs.length / 2);
    const arrival = shuffled(evs, 'restart');
    const a = engine(arrival.slice(0, half));
    const b = new QualityEngine('S', cfg);
    b.importState(roundTrip(a.exportState()));
    expect(b.figures('team', START, NOW + DAY, NOW)).toEqual(
      a.figures('team', START, NOW + DAY, NOW),
    );
    for (const ev of arrival.slice(half)) {
      a.apply(ev);
      b.apply(ev);
    }
    // Once more, with keys added since the first load.
    const c = new QualityEngine('S', cfg);
    c.importState(roundTrip(b.exportState()));
    const all = engine(arrival);
    for (const e of [a, b, c]) {
      expect(e.figures('team', START, NOW + DAY, NOW)).toEqual(
        all.figures('team', START, NOW + DAY, NOW),
      );
      expect(e.live(NOW)).toEqual(all.live(NOW));
    }
    expect(totals(c, START, NOW + DAY, NOW)).toEqual(direct(evs, START, NOW + DAY, NOW));
  });

  it('drops calls and surveys older than the windows, the rest unchanged', () => {
    const q = DEFAULT_QUALITY;
    const rollAt = NOW + 2 * DAY;
    const keptFrom = rollAt - (q.fcr_days + 2) * DAY;
    const a = engine(shuffled(evs, 'roll'));
    const kept = a.figures('site', keptFrom, NOW + DAY, NOW);
    const whole = totals(a, START, NOW + DAY, NOW);
    a.roll(rollAt);
    expect(a.figures('site', keptFrom, NOW + DAY, NOW)).toEqual(kept);
    expect(totals(a, START, NOW + DAY, NOW).calls).toBeLessThan(whole.calls);
    // A call arriving after the roll still links to its caller's kept calls.
    const late = {
      id: 'late',
      ts: keptFrom + H,
      site: 'S',
      type: 'call.offered',
      call: 'late',
      queue: 'q',
      caller: 'h3',
    } as unknown as FwEvent;
    const b = engine([...shuffled(evs, 'roll'), late]);
    a.apply(late);
    expect(a.figures('site', keptFrom, NOW + DAY, NOW)).toEqual(
      b.figures('site', keptFrom, NOW + DAY, NOW),
    );
  });
});
