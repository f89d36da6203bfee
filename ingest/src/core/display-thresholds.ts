// Colour thresholds per metric, for the site and per queue (issue 22): the site
// configuration's display.metrics and display.queues.{queue}. A queue's own setting wins over
// the site's; a metric with neither keeps the board's default colouring. Service level and
// answer rate are worse when lower, abandon rate, ASA and AHT when higher.

export const METRICS = ['service_level', 'answer_rate', 'abandon_rate', 'asa_s', 'aht_s'] as const;
export type Metric = (typeof METRICS)[number];

/** Amber at `warn`, red at `alarm` (fractions for rates, seconds for ASA and AHT). */
export interface MetricThreshold {
  warn: number;
  alarm: number;
}
export type MetricThresholds = Partial<Record<Metric, MetricThreshold>>;

export const HIGHER_IS_WORSE: Record<Metric, boolean> = {
  service_level: false,
  answer_rate: false,
  abandon_rate: true,
  asa_s: true,
  aht_s: true,
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates one set of metric thresholds; errors name the key path and the rule broken. */
export function validateMetricThresholds(
  v: unknown,
  path: string,
  errors: string[],
): MetricThresholds {
  if (!isObj(v)) {
    errors.push(`${path} must be an object such as {"asa_s": {"warn": 20, "alarm": 40}}`);
    return {};
  }
  const out: MetricThresholds = {};
  for (const [k, t] of Object.entries(v)) {
    if (!(METRICS as readonly string[]).includes(k)) {
      errors.push(`${path}.${k} is not a known metric (known: ${METRICS.join(', ')})`);
      continue;
    }
    const m = k as Metric;
    const p = `${path}.${m}`;
    const max = m === 'asa_s' || m === 'aht_s' ? 86_400 : 1;
    if (!isObj(t) || Object.keys(t).some((x) => x !== 'warn' && x !== 'alarm')) {
      errors.push(`${p} must be {"warn": n, "alarm": n}`);
      continue;
    }
    const { warn, alarm } = t;
    if (
      typeof warn !== 'number' ||
      typeof alarm !== 'number' ||
      !(warn >= 0 && warn <= max && alarm >= 0 && alarm <= max)
    ) {
      errors.push(`${p}.warn and .alarm must be numbers from 0 to ${max}`);
      continue;
    }
    if (HIGHER_IS_WORSE[m] ? alarm < warn : alarm > warn) {
      errors.push(
        `${p}: alarm must be ${HIGHER_IS_WORSE[m] ? 'at or above' : 'at or below'} warn (${m} is worse when ${HIGHER_IS_WORSE[m] ? 'higher' : 'lower'})`,
      );
      continue;
    }
    out[m] = { warn, alarm };
  }
  return out;
}

/** The threshold that applies to `metric` of `queue`, and where it comes from; null when none is set. */
export function metricRule(
  display: { metrics?: MetricThresholds; queues?: Record<string, MetricThresholds> },
  queue: string,
  metric: Metric,
): (MetricThreshold & { source: 'queue' | 'site' }) | null {
  const q = display.queues?.[queue]?.[metric];
  if (q) return { ...q, source: 'queue' };
  const s = display.metrics?.[metric];
  return s ? { ...s, source: 'site' } : null;
}

/** 1e-9 slack for values computed in floating point that sit on a threshold. */
const EPS = 1e-9;

export function metricTone(
  value: number | null,
  metric: Metric,
  rule: MetricThreshold,
): 'ok' | 'warn' | 'alarm' | 'none' {
  if (value === null) return 'none';
  if (HIGHER_IS_WORSE[metric])
    return value >= rule.alarm - EPS ? 'alarm' : value >= rule.warn - EPS ? 'warn' : 'ok';
  return value <= rule.alarm + EPS ? 'alarm' : value <= rule.warn + EPS ? 'warn' : 'ok';
}
