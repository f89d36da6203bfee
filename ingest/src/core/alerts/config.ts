// The validator of a site configuration's `alerts` section (PUT /api/sites/{site}), and the
// registration of both alert sections (`overflow_rules`: rules-config.ts) with
// site-config.ts. Every error names its key path, e.g. "alerts.attendance.below".
import type { AlertThresholds } from '../site-config.js';
import { sectionValidators, type SectionValidator } from '../site-config-validate.js';
import { MAX_DOWN_S, checkKeys, escalation, isObj, level, num } from './config-fields.js';
import { validateOverflowRules } from './rules-config.js';

// The alert engine and grouping take levelRank from here: importing this module is also what
// registers the sections (below).
export { levelRank } from './config-fields.js';

const CHECK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const LEVEL_KEYS = ['adherence', 'stale_feed', 'ghost_agent', 'webhook_failed'] as const;

/** Merged key by key over the current section, so a body may change one threshold. */
export const validateAlertThresholds: SectionValidator<AlertThresholds> = (
  v,
  path,
  errors,
  base,
) => {
  if (!isObj(v)) {
    errors.push(`${path} must be an object`);
    return base;
  }
  checkKeys(
    v,
    path,
    [
      'sl_below_target',
      'adherence_out_s',
      'attendance',
      'conformance',
      'stale_feed_s',
      'ghost_agent_s',
      'levels',
      'clear_down_s',
      'escalation',
      'escalate',
      'group_at',
    ],
    errors,
  );
  const out: AlertThresholds = structuredClone(base);
  const sl = v['sl_below_target'];
  if (sl !== undefined) {
    const p = `${path}.sl_below_target`;
    if (!isObj(sl)) errors.push(`${p} must be an object {enabled, min_calls, level}`);
    else {
      checkKeys(sl, p, ['enabled', 'min_calls', 'level'], errors);
      if (sl['enabled'] !== undefined && typeof sl['enabled'] !== 'boolean')
        errors.push(`${p}.enabled must be true or false`);
      out.sl_below_target = {
        enabled: typeof sl['enabled'] === 'boolean' ? sl['enabled'] : base.sl_below_target.enabled,
        min_calls: num(
          sl['min_calls'],
          `${p}.min_calls`,
          errors,
          0,
          100_000,
          base.sl_below_target.min_calls,
          true,
        ),
        level: level(sl['level'], `${p}.level`, errors, base.sl_below_target.level),
      };
    }
  }
  // 10 s to 8 h: shorter is noise from a state change in flight; longer is a whole shift.
  out.adherence_out_s = num(
    v['adherence_out_s'],
    `${path}.adherence_out_s`,
    errors,
    10,
    28_800,
    base.adherence_out_s,
  );
  const att = v['attendance'];
  if (att !== undefined) {
    const p = `${path}.attendance`;
    if (!isObj(att)) errors.push(`${p} must be an object {below, check_time, level}`);
    else {
      checkKeys(att, p, ['below', 'check_time', 'level'], errors);
      let check = base.attendance.check_time;
      if (att['check_time'] !== undefined) {
        if (typeof att['check_time'] !== 'string' || !CHECK_TIME.test(att['check_time']))
          errors.push(`${p}.check_time must be a local time HH:mm such as "10:00"`);
        else check = att['check_time'];
      }
      out.attendance = {
        below: num(att['below'], `${p}.below`, errors, 0, 1, base.attendance.below),
        check_time: check,
        level: level(att['level'], `${p}.level`, errors, base.attendance.level),
      };
    }
  }
  const conf = v['conformance'];
  if (conf !== undefined) {
    const p = `${path}.conformance`;
    if (!isObj(conf)) errors.push(`${p} must be an object {below, level, min_scheduled_s}`);
    else {
      checkKeys(conf, p, ['below', 'level', 'min_scheduled_s'], errors);
      out.conformance = {
        below: num(conf['below'], `${p}.below`, errors, 0, 1, base.conformance.below),
        level: level(conf['level'], `${p}.level`, errors, base.conformance.level),
      };
      const min = conf['min_scheduled_s'] ?? base.conformance.min_scheduled_s;
      if (min !== undefined)
        out.conformance.min_scheduled_s = num(min, `${p}.min_scheduled_s`, errors, 0, 86_400, 3600);
    }
  }
  out.stale_feed_s = num(
    v['stale_feed_s'],
    `${path}.stale_feed_s`,
    errors,
    1,
    86_400,
    base.stale_feed_s,
  );
  out.ghost_agent_s = num(
    v['ghost_agent_s'],
    `${path}.ghost_agent_s`,
    errors,
    60,
    7 * 86_400,
    base.ghost_agent_s,
  );
  const lv = v['levels'];
  if (lv !== undefined) {
    if (!isObj(lv)) errors.push(`${path}.levels must be an object`);
    else {
      checkKeys(lv, `${path}.levels`, [...LEVEL_KEYS], errors);
      const levels = { ...(base.levels ?? {}) };
      for (const k of LEVEL_KEYS)
        if (lv[k] !== undefined) levels[k] = level(lv[k], `${path}.levels.${k}`, errors, 'info');
      out.levels = levels;
    }
  }
  if (v['group_at'] !== undefined)
    out.group_at = num(v['group_at'], `${path}.group_at`, errors, 2, 1_000_000, 5, true);
  if (v['clear_down_s'] !== undefined)
    out.clear_down_s = num(v['clear_down_s'], `${path}.clear_down_s`, errors, 0, MAX_DOWN_S, 60);
  if (v['escalation'] !== undefined) {
    const esc = escalation(v['escalation'], `${path}.escalation`, errors);
    if (esc) out.escalation = esc;
    else delete out.escalation;
  }
  if (v['escalate'] !== undefined) {
    const e = v['escalate'];
    if (e === null) delete out.escalate;
    else if (!isObj(e))
      errors.push(`${path}.escalate must be an object such as {"yellow": {"after_min": 15}}`);
    else {
      checkKeys(e, `${path}.escalate`, ['info', 'yellow', 'orange'], errors);
      const steps: NonNullable<AlertThresholds['escalate']> = {};
      for (const l of ['info', 'yellow', 'orange'] as const) {
        const x = e[l];
        if (x === undefined) continue;
        const p = `${path}.escalate.${l}`;
        if (!isObj(x)) {
          errors.push(`${p} must be an object {after_min}`);
          continue;
        }
        checkKeys(x, p, ['after_min'], errors);
        steps[l] = { after_min: num(x['after_min'], `${p}.after_min`, errors, 0.1, 1440, 15) };
      }
      out.escalate = steps;
    }
  }
  return out;
};

/** Registers both sections with site-config.ts; main.ts calls this once at start-up. */
export function registerAlertConfigValidators(): void {
  sectionValidators.overflow_rules = validateOverflowRules;
  sectionValidators.alerts = validateAlertThresholds;
}

// Importing this module registers the validators too, so any code that parses a config
// after importing the alert engine sees the sections.
registerAlertConfigValidators();
