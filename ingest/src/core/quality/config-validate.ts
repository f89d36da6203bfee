// Validates the `quality` section of PUT /api/sites/{site}, merged over the current section,
// naming every bad key. Registered with site-config.ts like the alerts and workforce sections.
import type { AlertLevelName } from '../site-config.js';
import { sectionValidators, type SectionValidator } from '../site-config-validate.js';
import { DEFAULT_QUALITY, type LimitRule, type QualityConfig } from './config.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const LEVELS: AlertLevelName[] = ['info', 'yellow', 'orange', 'red'];
const NAME = /^[^\u0000-\u001f]{1,64}$/;

function num(
  v: unknown,
  path: string,
  errors: string[],
  min: number,
  max: number,
  fallback: number,
  int = false,
): number {
  if (v === undefined) return fallback;
  if (
    typeof v !== 'number' ||
    !Number.isFinite(v) ||
    v < min ||
    v > max ||
    (int && !Number.isInteger(v))
  ) {
    errors.push(`${path} must be a ${int ? 'whole ' : ''}number from ${min} to ${max}`);
    return fallback;
  }
  return v;
}

function level(
  v: unknown,
  path: string,
  errors: string[],
  fallback: AlertLevelName,
): AlertLevelName {
  if (v === undefined) return fallback;
  if (!LEVELS.includes(v as AlertLevelName)) {
    errors.push(`${path} must be one of ${LEVELS.join(', ')}`);
    return fallback;
  }
  return v as AlertLevelName;
}

function keys(v: Obj, allowed: string[], path: string, errors: string[]): void {
  for (const k of Object.keys(v))
    if (!allowed.includes(k))
      errors.push(`${path}.${k} is not a known key (known: ${allowed.join(', ')})`);
}

function limitRule(v: unknown, path: string, errors: string[]): LimitRule | null {
  if (!isObj(v)) {
    errors.push(`${path} must be an object`);
    return null;
  }
  keys(v, ['class', 'customer_class', 'category', 'hours', 'working_days'], path, errors);
  const r: LimitRule = {};
  for (const k of ['class', 'customer_class', 'category'] as const) {
    if (v[k] === undefined) continue;
    if (typeof v[k] !== 'string' || !NAME.test(v[k]))
      errors.push(`${path}.${k} must be a name of 1 to 64 characters`);
    else r[k] = v[k];
  }
  if ((v['hours'] === undefined) === (v['working_days'] === undefined))
    errors.push(`${path} needs exactly one of hours or working_days`);
  if (v['hours'] !== undefined)
    r.hours = num(v['hours'], `${path}.hours`, errors, 0.1, 24 * 90, 24);
  if (v['working_days'] !== undefined)
    r.working_days = num(v['working_days'], `${path}.working_days`, errors, 1, 60, 3, true);
  return r;
}

export const validateQuality: SectionValidator<QualityConfig> = (v, path, errors, baseIn) => {
  const base = baseIn ?? DEFAULT_QUALITY;
  if (!isObj(v)) {
    errors.push(`${path} must be an object`);
    return base;
  }
  const top = [
    'sign_within_s',
    'reply_share',
    'limits',
    'default_limit_h',
    'fcr_days',
    'repeat_days',
    'satisfied_min_score',
    'targets',
    'incident_bands',
    'bulletin',
    'volume_watch',
    'sources',
    'near_limit_s',
    'categories',
  ];
  keys(v, top, path, errors);
  const out: QualityConfig = structuredClone(base);
  out.sign_within_s = num(
    v['sign_within_s'],
    `${path}.sign_within_s`,
    errors,
    60,
    86_400,
    out.sign_within_s,
    true,
  );
  out.reply_share = num(v['reply_share'], `${path}.reply_share`, errors, 0.05, 1, out.reply_share);
  out.default_limit_h = num(
    v['default_limit_h'],
    `${path}.default_limit_h`,
    errors,
    0.1,
    24 * 90,
    out.default_limit_h,
  );
  out.fcr_days = num(v['fcr_days'], `${path}.fcr_days`, errors, 1, 60, out.fcr_days, true);
  out.repeat_days = num(
    v['repeat_days'],
    `${path}.repeat_days`,
    errors,
    1,
    365,
    out.repeat_days,
    true,
  );
  out.satisfied_min_score = num(
    v['satisfied_min_score'],
    `${path}.satisfied_min_score`,
    errors,
    1,
    5,
    out.satisfied_min_score,
    true,
  );
  out.near_limit_s = num(
    v['near_limit_s'],
    `${path}.near_limit_s`,
    errors,
    0,
    7 * 86_400,
    out.near_limit_s,
    true,
  );
  if (v['limits'] !== undefined) {
    if (!Array.isArray(v['limits']) || v['limits'].length > 200)
      errors.push(`${path}.limits must be an array of at most 200 rules`);
    else
      out.limits = v['limits']
        .map((r, i) => limitRule(r, `${path}.limits[${i}]`, errors))
        .filter((r): r is LimitRule => r !== null);
  }
  if (v['targets'] !== undefined) {
    const t = v['targets'];
    if (!isObj(t)) errors.push(`${path}.targets must be an object`);
    else {
      keys(t, Object.keys(base.targets), `${path}.targets`, errors);
      for (const k of Object.keys(base.targets) as (keyof QualityConfig['targets'])[])
        out.targets[k] = num(t[k], `${path}.targets.${k}`, errors, 0, 1, out.targets[k]);
    }
  }
  if (v['incident_bands'] !== undefined) {
    const b = v['incident_bands'];
    if (!Array.isArray(b) || b.length < 1 || b.length > 10)
      errors.push(`${path}.incident_bands must be an array of 1 to 10 bands`);
    else {
      out.incident_bands = b.map((x, i) => {
        const p = `${path}.incident_bands[${i}]`;
        if (!isObj(x)) {
          errors.push(`${p} must be an object with min_users and level`);
          return { min_users: 0, level: 'info' as AlertLevelName };
        }
        keys(x, ['min_users', 'level'], p, errors);
        return {
          min_users: num(x['min_users'], `${p}.min_users`, errors, 0, 1_000_000_000, 0, true),
          level: level(x['level'], `${p}.level`, errors, 'yellow'),
        };
      });
    }
  }
  if (v['bulletin'] !== undefined) {
    const b = v['bulletin'];
    if (!isObj(b)) errors.push(`${path}.bulletin must be an object`);
    else {
      keys(b, ['sudden_h', 'planned_h'], `${path}.bulletin`, errors);
      out.bulletin = {
        sudden_h: num(
          b['sudden_h'],
          `${path}.bulletin.sudden_h`,
          errors,
          0,
          168,
          out.bulletin.sudden_h,
        ),
        planned_h: num(
          b['planned_h'],
          `${path}.bulletin.planned_h`,
          errors,
          0,
          720,
          out.bulletin.planned_h,
        ),
      };
    }
  }
  if (v['volume_watch'] !== undefined) {
    const w = v['volume_watch'];
    if (!isObj(w)) errors.push(`${path}.volume_watch must be an object`);
    else {
      const p = `${path}.volume_watch`;
      keys(w, ['enabled', 'k', 'weeks', 'min_count', 'level'], p, errors);
      if (w['enabled'] !== undefined && typeof w['enabled'] !== 'boolean')
        errors.push(`${p}.enabled must be true or false`);
      out.volume_watch = {
        enabled: typeof w['enabled'] === 'boolean' ? w['enabled'] : out.volume_watch.enabled,
        k: num(w['k'], `${p}.k`, errors, 0, 10, out.volume_watch.k),
        weeks: num(w['weeks'], `${p}.weeks`, errors, 1, 4, out.volume_watch.weeks, true),
        min_count: num(
          w['min_count'],
          `${p}.min_count`,
          errors,
          1,
          100_000,
          out.volume_watch.min_count,
          true,
        ),
        level: level(w['level'], `${p}.level`, errors, out.volume_watch.level),
      };
    }
  }
  if (v['sources'] !== undefined) {
    const s = v['sources'];
    if (!isObj(s)) errors.push(`${path}.sources must be an object`);
    else {
      const names = Object.keys(base.sources) as (keyof QualityConfig['sources'])[];
      keys(s, names, `${path}.sources`, errors);
      for (const k of names) {
        const x = s[k];
        if (x === undefined) continue;
        const p = `${path}.sources.${k}`;
        if (!isObj(x)) {
          errors.push(`${p} must be an object with enabled and level`);
          continue;
        }
        keys(x, ['enabled', 'level'], p, errors);
        if (x['enabled'] !== undefined && typeof x['enabled'] !== 'boolean')
          errors.push(`${p}.enabled must be true or false`);
        out.sources[k] = {
          enabled: typeof x['enabled'] === 'boolean' ? x['enabled'] : out.sources[k].enabled,
          level: level(x['level'], `${p}.level`, errors, out.sources[k].level),
        };
      }
    }
  }
  if (v['categories'] !== undefined) out.categories = categories(v['categories'], path, errors);
  return out;
};

/** `categories: {"billing": {"label": "Billing", "label_zh": "账务"}}`, each name at most 64 characters. */
function categories(
  c: unknown,
  path: string,
  errors: string[],
): Record<string, { label?: string; label_zh?: string }> {
  const out: Record<string, { label?: string; label_zh?: string }> = {};
  if (!isObj(c) || Object.keys(c).length > 500) {
    errors.push(
      `${path}.categories must be an object of at most 500 categories, e.g. {"billing": {"label": "Billing", "label_zh": "账务"}}`,
    );
    return out;
  }
  for (const [id, x] of Object.entries(c)) {
    const p = `${path}.categories.${id}`;
    if (!isObj(x)) {
      errors.push(`${p} must be an object with label and/or label_zh`);
      continue;
    }
    keys(x, ['label', 'label_zh'], p, errors);
    const l: { label?: string; label_zh?: string } = {};
    for (const k of ['label', 'label_zh'] as const) {
      const s = x[k];
      if (s === undefined) continue;
      if (typeof s !== 'string' || !NAME.test(s))
        errors.push(`${p}.${k} must be a name of 1 to 64 characters`);
      else l[k] = s;
    }
    out[id] = l;
  }
  return out;
}

export function registerQualityConfigValidator(): void {
  sectionValidators.quality = validateQuality;
}
