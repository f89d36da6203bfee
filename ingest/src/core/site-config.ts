// Site configuration: the shape PUT /api/sites/{site} takes, its defaults, and the
// validation that names every bad key. Sections for overflow rules, alerts and workforce
// are validated by their own modules and composed here.
import { IANAZone } from 'luxon';
import type { WorkStateConfig } from './workstate/config.js';
import type { StaffingConfig } from './staffing/config.js';
import type { QualityConfig } from './quality/config.js';
import { validateBoards, type BoardLayout } from './boards/layouts.js';
import { validateMetricThresholds, type MetricThresholds } from './display-thresholds.js';

export type SlVariant = 'default' | 'answered' | 'with_abandons' | 'live';

export interface QueueConfig {
  /** Service-level threshold T in seconds. */
  threshold_s: number;
  /** Target as a fraction, e.g. 0.8. */
  target: number;
  variant: SlVariant;
  /** Abandons with wait < this many seconds are short abandons. */
  short_abandon_s: number;
  /** Optional display name per language. */
  label?: string;
  label_zh?: string;
}

/** A team's display names (teams are keyed by the id agents log in with). */
export interface TeamLabel {
  label?: string;
  label_zh?: string;
}

export type ConditionMode = 'all' | 'any';
export type AlertLevelName = 'info' | 'yellow' | 'orange' | 'red';

export interface OverflowRule {
  id: string;
  queue: string;
  /** Each condition is optional; at least one must be set. */
  conditions: {
    waiting_gte?: number;
    longest_wait_gte_s?: number;
    rolling_sl_lt?: { window_min: number; below: number };
    waiting_no_ready?: boolean;
  };
  mode: ConditionMode;
  hold_down_s: number;
  clear_down_s: number;
  level: AlertLevelName;
  action: { kind: 'overflow'; to: string } | { kind: 'merge'; groups: string[]; into?: string };
  escalation?: { after_min: number; level: AlertLevelName };
  webhook?: { url: string; secret: string };
}

export interface AlertThresholds {
  /** Raise when the current interval's SL is below the queue target (after this many answered+abandoned calls). */
  sl_below_target: { enabled: boolean; min_calls: number; level: AlertLevelName };
  /** Continuous out-of-adherence time before an alert, seconds (design.md: 3 min). */
  adherence_out_s: number;
  /** Attendance below this at the check time raises an alert (glossary: 95%). */
  attendance: { below: number; check_time: string; level: AlertLevelName };
  /** Team login conformance so far today below this raises an alert (glossary: 92%). */
  conformance: { below: number; level: AlertLevelName; min_scheduled_s?: number };
  /** Site feed silent this many seconds is a stale feed. */
  stale_feed_s: number;
  /** Ghost agents: logged in, no event for this many seconds. */
  ghost_agent_s: number;
  /** Levels of the sources that have no level of their own (alerts engine defaults: adherence yellow, stale feed red, ghost agent info, webhook failure orange). */
  levels?: Partial<
    Record<'adherence' | 'stale_feed' | 'ghost_agent' | 'webhook_failed', AlertLevelName>
  >;
  /** Seconds a non-rule source's condition must stay false before its alert clears (default 60). */
  clear_down_s?: number;
  /** Escalation for non-rule alerts left unacknowledged (default none). */
  escalation?: { after_min: number; level: AlertLevelName };
  /**
   * Step-by-step escalation of any unacknowledged alert: after `after_min` minutes at a level
   * (since raised, or since its last escalation) it moves to the next level up, e.g.
   * {"yellow": {"after_min": 15}, "orange": {"after_min": 10}} (default none).
   */
  escalate?: Partial<Record<'info' | 'yellow' | 'orange', { after_min: number }>>;
  /**
   * Per-agent alerts of one kind are shown as one grouped alert ("12 agents out of
   * adherence") on the board once this many are active (default 5; core/alerts/group.ts).
   */
  group_at?: number;
}

export interface WorkforceConfig {
  /** Activity names allowed in rosters; extensible per site. */
  activities: string[];
  /** Activities that count as scheduled work for login conformance. */
  work_activities: string[];
  /**
   * Adherence mapping: activity -> allowed states. A state is "ready", "talking", … ,
   * "not_ready:<reason>" or "logged_out". "neutral" makes the activity count neither in nor out.
   */
  adherence: Record<string, string[] | 'neutral'>;
  /** Sign-in/out grace for the late/early flags, seconds (提前签入5分钟,错后5分钟签出). */
  sign_in_early_s: number;
  sign_out_late_s: number;
  /** Monthly absence days above which an agent is flagged (缺勤天数5天以上需报备). */
  absence_days_flag: number;
}

export interface SiteConfig {
  site: string;
  timezone: string;
  interval_minutes: 15 | 30 | 60;
  /** Operating day starts at this local time (HH:mm), default 00:00. */
  day_start: string;
  queues: Record<string, QueueConfig>;
  /** Used for queues not listed in `queues`. */
  default_queue: QueueConfig;
  overflow_rules: OverflowRule[];
  alerts: AlertThresholds;
  workforce: WorkforceConfig;
  /** Display names of teams, by team id (optional; the board shows the id otherwise). */
  teams?: Record<string, TeamLabel>;
  /** Service quality (#21): work-order limits, incidents, targets; defaults in core/quality/config.ts when absent. */
  quality?: QualityConfig;
  /** Colour thresholds for board tiles (fractions of target). */
  display: {
    sl_warn: number;
    waiting_warn: number;
    waiting_alarm: number;
    /** Colour thresholds per metric for every queue (core/display-thresholds.ts). */
    metrics?: MetricThresholds;
    /** Per queue, overriding `metrics`. */
    queues?: Record<string, MetricThresholds>;
  };
  /** Work-state rules (工作状态管理): not-ready limits, break caps, break requests (core/workstate/config.ts). */
  work_state?: WorkStateConfig;
  /** Intraday staffing: forecast weeks, patience source (core/staffing/config.ts). */
  staffing?: StaffingConfig;
  /**
   * A call with no answer or abandon within this many seconds of its offer is expired: it
   * leaves the waiting count (docs/definitions.md, "Live queue figures"). Default 3600.
   */
  call_expiry_s?: number;
  /** Named board layouts per audience (core/boards/layouts.ts), opened at /site/{site}/board/{name}. */
  boards?: Record<string, BoardLayout>;
}

/** Default of `call_expiry_s`: no real caller waits an hour, and a lost end event must not wait all day. */
export const DEFAULT_CALL_EXPIRY_S = 3600;

/** The site's call expiry in ms. */
export const callExpiryMs = (cfg: SiteConfig): number =>
  (cfg.call_expiry_s ?? DEFAULT_CALL_EXPIRY_S) * 1000;

export const DEFAULT_QUEUE: QueueConfig = Object.freeze({
  threshold_s: 20,
  target: 0.8,
  variant: 'default',
  short_abandon_s: 5,
});

export const DEFAULT_WORKFORCE: WorkforceConfig = Object.freeze({
  activities: ['work', 'break', 'lunch', 'training', 'meeting', 'off'],
  work_activities: ['work'],
  adherence: {
    work: ['ready', 'ringing', 'talking', 'hold', 'wrap_up', 'outbound'],
    break: ['not_ready:break', 'logged_out'],
    lunch: ['not_ready:lunch', 'logged_out'],
    training: ['not_ready:training'],
    meeting: ['not_ready:meeting'],
    off: ['logged_out'],
  },
  sign_in_early_s: 300,
  sign_out_late_s: 300,
  absence_days_flag: 5,
}) as WorkforceConfig;

export const DEFAULT_ALERTS: AlertThresholds = Object.freeze({
  sl_below_target: { enabled: true, min_calls: 10, level: 'yellow' },
  adherence_out_s: 180,
  attendance: { below: 0.95, check_time: '10:00', level: 'orange' },
  conformance: { below: 0.92, level: 'yellow' },
  stale_feed_s: 60,
  ghost_agent_s: 7200,
}) as AlertThresholds;

export function defaultSiteConfig(site: string): SiteConfig {
  return {
    site,
    timezone: 'UTC',
    interval_minutes: 15,
    day_start: '00:00',
    queues: {},
    default_queue: { ...DEFAULT_QUEUE },
    overflow_rules: [],
    alerts: structuredClone(DEFAULT_ALERTS),
    workforce: structuredClone(DEFAULT_WORKFORCE),
    display: { sl_warn: 0.9, waiting_warn: 5, waiting_alarm: 15 },
  };
}

export function queueConfig(cfg: SiteConfig, queue: string): QueueConfig {
  return cfg.queues[queue] ?? cfg.default_queue;
}

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
