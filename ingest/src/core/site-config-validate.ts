// Validation of a site configuration body (PUT /api/sites/{site}), merged over the current
// configuration: every bad key is named with its path. Sections for overflow rules, alerts,
// workforce, work state, staffing and quality are validated by their own modules, which
// register here, and composed by parseSiteConfig.
import { IANAZone } from 'luxon';
import type { WorkStateConfig } from './workstate/config.js';
import type { StaffingConfig } from './staffing/config.js';
import type { QualityConfig } from './quality/config.js';
import { validateBoards } from './boards/layouts.js';
import { validateMetricThresholds } from './display-thresholds.js';
import {
  defaultSiteConfig,
  type AlertThresholds,
  type OverflowRule,
  type QueueConfig,
  type SiteConfig,
  type SlVariant,
  type TeamLabel,
  type WorkforceConfig,
} from './site-config.js';

export class ConfigError extends Error {
  readonly code = 'invalid_config';
  constructor(readonly errors: string[]) {
    super(errors.join('; '));
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A section validator appends plain-words errors naming the key path, and returns the parsed section. */
export type SectionValidator<T> = (value: unknown, path: string, errors: string[], base: T) => T;

function num(
  v: unknown,
  path: string,
  errors: string[],
  min: number,
  max: number,
  fallback: number,
): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    errors.push(`${path} must be a number from ${min} to ${max}`);
    return fallback;
  }
  return v;
}

const VARIANTS: SlVariant[] = ['default', 'answered', 'with_abandons', 'live'];

export const validateQueue: SectionValidator<QueueConfig> = (v, path, errors, base) => {
  if (!isObj(v)) {
    errors.push(`${path} must be an object`);
    return base;
  }
  for (const k of Object.keys(v)) {
    if (!['threshold_s', 'target', 'variant', 'short_abandon_s', 'label', 'label_zh'].includes(k))
      errors.push(`${path}.${k} is not a known key`);
  }
  const variant = v['variant'] ?? base.variant;
  if (!VARIANTS.includes(variant as SlVariant))
    errors.push(`${path}.variant must be one of ${VARIANTS.join(', ')}`);
  const out: QueueConfig = {
    threshold_s: num(v['threshold_s'], `${path}.threshold_s`, errors, 1, 3600, base.threshold_s),
    target: num(v['target'], `${path}.target`, errors, 0, 1, base.target),
    variant: variant as SlVariant,
    short_abandon_s: num(
      v['short_abandon_s'],
      `${path}.short_abandon_s`,
      errors,
      0,
      600,
      base.short_abandon_s,
    ),
  };
  Object.assign(out, labels(v, path, errors));
  return out;
};

/** The optional `label` / `label_zh` display names of a queue or team, each at most 64 characters. */
function labels(v: Obj, path: string, errors: string[]): TeamLabel {
  const out: TeamLabel = {};
  for (const k of ['label', 'label_zh'] as const) {
    if (v[k] === undefined) continue;
    const x = v[k];
    if (typeof x !== 'string' || x.length > 64)
      errors.push(`${path}.${k} must be a string of at most 64 characters`);
    else out[k] = x;
  }
  return out;
}

/** Sections owned by other modules register themselves here (overflow rules, alerts, workforce). */
export const sectionValidators: {
  overflow_rules?: SectionValidator<OverflowRule[]>;
  alerts?: SectionValidator<AlertThresholds>;
  workforce?: SectionValidator<WorkforceConfig>;
  work_state?: SectionValidator<WorkStateConfig>;
  staffing?: SectionValidator<StaffingConfig>;
  quality?: SectionValidator<QualityConfig>;
} = {};

const TOP_KEYS = [
  'site',
  'timezone',
  'interval_minutes',
  'day_start',
  'queues',
  'default_queue',
  'overflow_rules',
  'alerts',
  'workforce',
  'display',
  'work_state',
  'staffing',
  'teams',
  'quality',
  'call_expiry_s',
  'boards',
];

/**
 * Validates a configuration body for `site`, merged over `base` (the current or default
 * configuration). Throws ConfigError listing every problem with its key path.
 */
export function parseSiteConfig(
  site: string,
  body: unknown,
  base: SiteConfig = defaultSiteConfig(site),
): SiteConfig {
  const errors: string[] = [];
  if (!isObj(body)) throw new ConfigError(['the body must be a JSON object']);
  for (const k of Object.keys(body))
    if (!TOP_KEYS.includes(k))
      errors.push(`${k} is not a known key (known: ${TOP_KEYS.join(', ')})`);
  if (body['site'] !== undefined && body['site'] !== site)
    errors.push(`site "${String(body['site'])}" does not match the URL's site "${site}"`);
  const cfg: SiteConfig = structuredClone(base);
  cfg.site = site;
  if (body['timezone'] !== undefined) {
    if (typeof body['timezone'] !== 'string' || !IANAZone.isValidZone(body['timezone'])) {
      errors.push(
        `timezone must be an IANA time zone such as Asia/Shanghai, got ${JSON.stringify(body['timezone'])}`,
      );
    } else cfg.timezone = body['timezone'];
  }
  if (body['interval_minutes'] !== undefined) {
    if (![15, 30, 60].includes(body['interval_minutes'] as number))
      errors.push('interval_minutes must be 15, 30 or 60');
    else cfg.interval_minutes = body['interval_minutes'] as 15 | 30 | 60;
  }
  if (body['day_start'] !== undefined) {
    if (
      typeof body['day_start'] !== 'string' ||
      !/^([01]\d|2[0-3]):[0-5]\d$/.test(body['day_start'])
    )
      errors.push('day_start must be HH:mm');
    else cfg.day_start = body['day_start'];
  }
  if (body['call_expiry_s'] !== undefined) {
    const v = body['call_expiry_s'];
    // At most 6 h: a restart replays events from 6 h before the day starts, so every call
    // whose deadline falls today is still seen after a restart.
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 60 || v > 21_600)
      errors.push('call_expiry_s must be a whole number of seconds from 60 to 21600 (6 h)');
    else cfg.call_expiry_s = v;
  }
  if (body['boards'] !== undefined) cfg.boards = validateBoards(body['boards'], 'boards', errors);
  if (body['default_queue'] !== undefined)
    cfg.default_queue = validateQueue(
      body['default_queue'],
      'default_queue',
      errors,
      cfg.default_queue,
    );
  if (body['queues'] !== undefined) {
    if (!isObj(body['queues'])) errors.push('queues must be an object keyed by queue name');
    else {
      cfg.queues = {};
      const entries = Object.entries(body['queues']);
      if (entries.length > 1000) errors.push('queues may hold at most 1000 queues');
      for (const [name, q] of entries) {
        if (name.length < 1 || name.length > 64)
          errors.push(`queues: queue name "${name.slice(0, 70)}" must be 1 to 64 characters`);
        cfg.queues[name] = validateQueue(
          q,
          `queues.${name}`,
          errors,
          base.queues[name] ?? cfg.default_queue,
        );
      }
    }
  }
  if (body['teams'] !== undefined) {
    const t = body['teams'];
    if (!isObj(t))
      errors.push(
        'teams must be an object keyed by team id, e.g. {"T01": {"label": "Billing 1", "label_zh": "账务一组"}}',
      );
    else {
      const entries = Object.entries(t);
      if (entries.length > 5000) errors.push('teams may hold at most 5000 teams');
      cfg.teams = {};
      for (const [id, v] of entries) {
        if (!isObj(v)) errors.push(`teams.${id} must be an object with label and/or label_zh`);
        else {
          for (const k of Object.keys(v))
            if (k !== 'label' && k !== 'label_zh')
              errors.push(`teams.${id}.${k} is not a known key (known: label, label_zh)`);
          cfg.teams[id] = labels(v, `teams.${id}`, errors);
        }
      }
    }
  }
  if (body['display'] !== undefined) {
    const d = body['display'];
    if (!isObj(d)) errors.push('display must be an object');
    else {
      for (const k of Object.keys(d))
        if (!['sl_warn', 'waiting_warn', 'waiting_alarm', 'metrics', 'queues'].includes(k))
          errors.push(
            `display.${k} is not a known key (known: sl_warn, waiting_warn, waiting_alarm, metrics, queues)`,
          );
      const metrics =
        d['metrics'] === undefined
          ? cfg.display.metrics
          : validateMetricThresholds(d['metrics'], 'display.metrics', errors);
      let queues = cfg.display.queues;
      if (d['queues'] !== undefined) {
        if (!isObj(d['queues']))
          errors.push('display.queues must be an object keyed by queue name');
        else
          queues = Object.fromEntries(
            Object.entries(d['queues']).map(([q, t]) => [
              q,
              validateMetricThresholds(t, `display.queues.${q}`, errors),
            ]),
          );
      }
      cfg.display = {
        ...(metrics ? { metrics } : {}),
        ...(queues ? { queues } : {}),
        sl_warn: num(d['sl_warn'], 'display.sl_warn', errors, 0, 1, cfg.display.sl_warn),
        waiting_warn: num(
          d['waiting_warn'],
          'display.waiting_warn',
          errors,
          0,
          100000,
          cfg.display.waiting_warn,
        ),
        waiting_alarm: num(
          d['waiting_alarm'],
          'display.waiting_alarm',
          errors,
          0,
          100000,
          cfg.display.waiting_alarm,
        ),
      };
    }
  }
  for (const key of [
    'overflow_rules',
    'alerts',
    'workforce',
    'work_state',
    'staffing',
    'quality',
  ] as const) {
    if (body[key] === undefined) continue;
    const v = sectionValidators[key];
    if (!v) errors.push(`${key} is not supported by this server yet`);
    // Each section validator merges over the current section.
    else
      (cfg as unknown as Obj)[key] = (v as SectionValidator<unknown>)(
        body[key],
        key,
        errors,
        cfg[key],
      );
  }
  if (errors.length) throw new ConfigError(errors);
  return cfg;
}
