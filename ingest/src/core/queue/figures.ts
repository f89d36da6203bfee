// Calculators from per-interval aggregates to the figures of design.md's Definitions,
// each with the formula and counts behind it (explain). Kept apart from the reducer so
// the definitions live in one place and the SQL (queries/reports/intervals.sql) can be
// checked against this file line by line.
import type { QueueConfig, SlVariant } from '../site-config.js';
import { ratio } from '../ratio.js';
import type { Explain, QueueFigures } from '../snapshot.js';

/**
 * One interval of one queue. Waits are kept raw (ms) rather than as within/short counts,
 * so a threshold change re-derives every figure exactly as the SQL does with the new
 * configuration (8 bytes per call; a 1M-call day is 8 MB).
 */
export interface Bucket {
  /** Waits (ms) of calls whose queue phase ended here by answer. */
  ans: number[];
  /** Waits (ms) of calls whose queue phase ended here by abandon. */
  abd: number[];
  /** Handle time (ms) of calls counted here for AHT (see engine.ts for the definition). */
  handleMs: number;
  handled: number;
  /** Calls expired here (see call-record.ts): their deadline fell in this bucket. */
  exp: number;
  cache: Counts | null;
  cacheKey: string;
}

export interface Counts {
  offered: number;
  answered: number;
  within: number;
  abandoned: number;
  short: number;
  waitMs: number;
  handleMs: number;
  handled: number;
  expired: number;
}

export const emptyCounts = (): Counts => ({
  offered: 0,
  answered: 0,
  within: 0,
  abandoned: 0,
  short: 0,
  waitMs: 0,
  handleMs: 0,
  handled: 0,
  expired: 0,
});

export function newBucket(): Bucket {
  return { ans: [], abd: [], handleMs: 0, handled: 0, exp: 0, cache: null, cacheKey: '' };
}

/** Within threshold: wait <= T (design.md). Compared in ms so "exactly T" is exact. */
export const isWithin = (waitMs: number, q: QueueConfig): boolean => waitMs <= q.threshold_s * 1000;
/** Short abandon: wait < short_abandon_s (an abandon at exactly the threshold is not short). */
export const isShort = (waitMs: number, q: QueueConfig): boolean =>
  waitMs < q.short_abandon_s * 1000;

export function bucketCounts(b: Bucket, q: QueueConfig): Counts {
  const key = `${q.threshold_s}|${q.short_abandon_s}`;
  if (b.cache && b.cacheKey === key) return b.cache;
  const c = emptyCounts();
  c.answered = b.ans.length;
  c.abandoned = b.abd.length;
  c.offered = c.answered + c.abandoned;
  for (const w of b.ans) {
    c.waitMs += w;
    if (isWithin(w, q)) c.within++;
  }
  for (const w of b.abd) if (isShort(w, q)) c.short++;
  c.handleMs = b.handleMs;
  c.handled = b.handled;
  c.expired = b.exp;
  b.cache = c;
  b.cacheKey = key;
  return c;
}

export function addCounts(into: Counts, c: Counts): void {
  into.offered += c.offered;
  into.answered += c.answered;
  into.within += c.within;
  into.abandoned += c.abandoned;
  into.short += c.short;
  into.waitMs += c.waitMs;
  into.handleMs += c.handleMs;
  into.handled += c.handled;
  into.expired += c.expired;
}

const SL_TEXT: Record<SlVariant, string> = {
  default: 'answered within T / (answered + abandoned - short abandons)',
  answered: 'answered within T / answered',
  with_abandons: 'answered within T / (answered + abandoned)',
  live: 'answered within T / (answered + abandoned - short abandons + calls still waiting past T)',
};

/**
 * Service level for a variant. `waitingPastT` is only used by the live variant (calls
 * still waiting longer than T right now); the interval report passes 0, so for history
 * the live variant equals the default one.
 */
export function serviceLevel(
  c: Counts,
  variant: SlVariant,
  waitingPastT = 0,
): { value: number | null; explain: Explain } {
  let d: number;
  switch (variant) {
    case 'answered':
      d = c.answered;
      break;
    case 'with_abandons':
      d = c.answered + c.abandoned;
      break;
    case 'live':
      d = c.answered + c.abandoned - c.short + waitingPastT;
      break;
    default:
      d = c.answered + c.abandoned - c.short;
  }
  return {
    value: ratio(c.within, d),
    explain: {
      formula: `sl_${variant}`,
      text: SL_TEXT[variant],
      numerator: c.within,
      denominator: d,
    },
  };
}

export function answerRate(c: Counts): { value: number | null; explain: Explain } {
  const d = c.answered + c.abandoned - c.short;
  return {
    value: ratio(c.answered, d),
    explain: {
      formula: 'answer_rate',
      text: 'answered / (answered + abandoned - short abandons)',
      numerator: c.answered,
      denominator: d,
    },
  };
}

/** ASA in seconds: (sum of answered waits in ms / answered) / 1000, the same float steps as SQL. */
export function asa(c: Counts): { value: number | null; explain: Explain } {
  return {
    value: c.answered > 0 ? c.waitMs / c.answered / 1000 : null,
    explain: {
      formula: 'asa',
      text: 'sum of waits of answered calls (s) / answered calls',
      numerator: c.waitMs / 1000,
      denominator: c.answered,
    },
  };
}

export function aht(c: Counts): { value: number | null; explain: Explain } {
  return {
    value: c.handled > 0 ? c.handleMs / c.handled / 1000 : null,
    explain: {
      formula: 'aht',
      text: 'sum of (talk + hold + wrap-up) (s) of calls ended here, wrap-up finished / those calls',
      numerator: c.handleMs / 1000,
      denominator: c.handled,
    },
  };
}

export function occupancy(
  busyMs: number,
  readyMs: number,
): { value: number | null; explain: Explain } {
  return {
    value: ratio(busyMs, busyMs + readyMs),
    explain: {
      formula: 'occupancy',
      text: 'agent time in talk + hold + wrap-up / (talk + hold + wrap-up + ready)',
      numerator: busyMs / 1000,
      denominator: (busyMs + readyMs) / 1000,
    },
  };
}

export function figures(
  c: Counts,
  q: QueueConfig,
  occ: { busyMs: number; readyMs: number },
  waitingPastT: number | null,
): QueueFigures {
  const sl = serviceLevel(c, q.variant, waitingPastT ?? 0);
  const ar = answerRate(c);
  const as = asa(c);
  const ah = aht(c);
  const oc = occupancy(occ.busyMs, occ.readyMs);
  const f: QueueFigures = {
    offered: c.offered,
    answered: c.answered,
    answered_within_threshold: c.within,
    abandoned: c.abandoned,
    short_abandoned: c.short,
    service_level: sl.value,
    asa_s: as.value,
    aht_s: ah.value,
    answer_rate: ar.value,
    occupancy: oc.value,
    expired: c.expired,
    explain: {
      service_level: sl.explain,
      answer_rate: ar.explain,
      asa_s: as.explain,
      aht_s: ah.explain,
      occupancy: oc.explain,
    },
  };
  if (q.variant === 'live' && waitingPastT !== null) f.waiting_past_threshold = waitingPastT;
  return f;
}
