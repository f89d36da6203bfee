// Validators for the `overflow_rules` and `alerts` sections of a site configuration
// (PUT /api/sites/{site}). Every error names its key path, e.g. "overflow_rules[2].hold_down_s".
import {
  sectionValidators,
  type AlertLevelName,
  type AlertThresholds,
  type OverflowRule,
  type SectionValidator,
} from '../site-config.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const ALERT_LEVELS: readonly AlertLevelName[] = ['info', 'yellow', 'orange', 'red'];
/** Rank of a level, so escalation can only go up. */
export const levelRank = (l: AlertLevelName): number => ALERT_LEVELS.indexOf(l);

/** Rule ids become part of alert ids and URLs: keep them to URL-safe characters. */
const RULE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** 200 rules per site: a large centre has ~100 queues; more is a configuration mistake. */
const MAX_RULES = 200;
/** Hold-down and clear-down up to one hour; longer would hide an overload for a whole interval or more. */
const MAX_DOWN_S = 3600;

/** Defaults of a rule when a key is left out: fire after 30 s, clear after 60 s false, orange, any condition. */
export const RULE_DEFAULTS = Object.freeze({
  mode: 'any' as const,
  hold_down_s: 30,
  clear_down_s: 60,
  level: 'orange' as const,
});

function checkKeys(v: Obj, path: string, known: string[], errors: string[]): void {
  for (const k of Object.keys(v))
    if (!known.includes(k))
      errors.push(`${path}.${k} is not a known key (known: ${known.join(', ')})`);
}

function num(
  v: unknown,
  path: string,
  errors: string[],
  min: number,
  max: number,
  fallback: number,
  integer = false,
): number {
  if (v === undefined) return fallback;
  if (
    typeof v !== 'number' ||
    !Number.isFinite(v) ||
    v < min ||
    v > max ||
    (integer && !Number.isInteger(v))
  ) {
    errors.push(
      `${path} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got ${JSON.stringify(v)}`,
    );
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
  if (!ALERT_LEVELS.includes(v as AlertLevelName)) {
    errors.push(`${path} must be one of ${ALERT_LEVELS.join(', ')}, got ${JSON.stringify(v)}`);
    return fallback;
  }
  return v as AlertLevelName;
}

function name(v: unknown, path: string, errors: string[]): string | null {
  if (typeof v !== 'string' || v.length < 1 || v.length > 64 || /[\u0000-\u001f]/.test(v)) {
    errors.push(`${path} must be a name of 1 to 64 characters`);
    return null;
  }
  return v;
}

function escalation(
  v: unknown,
  path: string,
  errors: string[],
): { after_min: number; level: AlertLevelName } | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) {
    errors.push(`${path} must be an object {after_min, level}`);
    return undefined;
  }
  checkKeys(v, path, ['after_min', 'level'], errors);
  if (v['after_min'] === undefined) errors.push(`${path}.after_min is required`);
  if (v['level'] === undefined) errors.push(`${path}.level is required`);
  // 1440 min: an alert unacknowledged for a day is a process problem, not a level problem.
  return {
    after_min: num(v['after_min'], `${path}.after_min`, errors, 0.1, 1440, 15),
    level: level(v['level'], `${path}.level`, errors, 'red'),
  };
}

function conditions(v: unknown, path: string, errors: string[]): OverflowRule['conditions'] {
  const out: OverflowRule['conditions'] = {};
  if (!isObj(v)) {
    errors.push(
      `${path} must be an object with at least one of waiting_gte, longest_wait_gte_s, rolling_sl_lt, waiting_no_ready`,
    );
    return out;
  }
  checkKeys(
    v,
    path,
    ['waiting_gte', 'longest_wait_gte_s', 'rolling_sl_lt', 'waiting_no_ready'],
    errors,
  );
  if (v['waiting_gte'] !== undefined)
    out.waiting_gte = num(v['waiting_gte'], `${path}.waiting_gte`, errors, 1, 100_000, 1, true);
  if (v['longest_wait_gte_s'] !== undefined)
    out.longest_wait_gte_s = num(
      v['longest_wait_gte_s'],
      `${path}.longest_wait_gte_s`,
      errors,
      1,
      86_400,
      1,
    );
  const sl = v['rolling_sl_lt'];
  if (sl !== undefined) {
    if (!isObj(sl)) errors.push(`${path}.rolling_sl_lt must be an object {window_min, below}`);
    else {
      checkKeys(sl, `${path}.rolling_sl_lt`, ['window_min', 'below'], errors);
      if (sl['below'] === undefined)
        errors.push(`${path}.rolling_sl_lt.below is required (a fraction such as 0.7)`);
      out.rolling_sl_lt = {
        // 1 min to 1 day: the rolling window the queue engine keeps.
        window_min: num(sl['window_min'], `${path}.rolling_sl_lt.window_min`, errors, 1, 1440, 15),
        below: num(sl['below'], `${path}.rolling_sl_lt.below`, errors, 0, 1, 0.8),
      };
    }
  }
  if (v['waiting_no_ready'] !== undefined) {
    if (typeof v['waiting_no_ready'] !== 'boolean')
      errors.push(`${path}.waiting_no_ready must be true or false`);
    else if (v['waiting_no_ready']) out.waiting_no_ready = true;
  }
  if (Object.keys(out).length === 0)
    errors.push(
      `${path} must set at least one condition: waiting_gte, longest_wait_gte_s, rolling_sl_lt or waiting_no_ready`,
    );
  return out;
}

function action(v: unknown, path: string, errors: string[]): OverflowRule['action'] {
  const fallback: OverflowRule['action'] = { kind: 'overflow', to: '?' };
  if (!isObj(v)) {
    errors.push(
      `${path} is required: {"kind":"overflow","to":"<queue or group>"} or {"kind":"merge","groups":[…],"into":"<group>"}`,
    );
    return fallback;
  }
  if (v['kind'] === 'overflow') {
    checkKeys(v, path, ['kind', 'to'], errors);
    const to = name(v['to'], `${path}.to`, errors);
    return to === null ? fallback : { kind: 'overflow', to };
  }
  if (v['kind'] === 'merge') {
    checkKeys(v, path, ['kind', 'groups', 'into'], errors);
    const g = v['groups'];
    if (!Array.isArray(g) || g.length < 2 || g.length > 50) {
      errors.push(`${path}.groups must be a list of 2 to 50 group names to merge (合大组)`);
      return fallback;
    }
    const groups = g
      .map((x, i) => name(x, `${path}.groups[${i}]`, errors))
      .filter((x): x is string => x !== null);
    const out: OverflowRule['action'] = { kind: 'merge', groups };
    if (v['into'] !== undefined) {
      const into = name(v['into'], `${path}.into`, errors);
      if (into !== null) out.into = into;
    }
    return out;
  }
  errors.push(`${path}.kind must be "overflow" or "merge", got ${JSON.stringify(v['kind'])}`);
  return fallback;
}

function webhook(
  v: unknown,
  path: string,
  errors: string[],
): { url: string; secret: string } | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) {
    errors.push(`${path} must be an object {url, secret}`);
    return undefined;
  }
  checkKeys(v, path, ['url', 'secret'], errors);
  let url = '';
  try {
    const u = new URL(String(v['url']));
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
    url = u.toString();
  } catch {
    errors.push(`${path}.url must be an http:// or https:// URL`);
  }
  const secret = v['secret'];
  // 16 characters: an HMAC key much shorter than that can be guessed offline from one signed body.
  if (typeof secret !== 'string' || secret.length < 16 || secret.length > 256)
    errors.push(`${path}.secret must be a string of 16 to 256 characters`);
  return { url, secret: typeof secret === 'string' ? secret : '' };
}

function rule(v: unknown, path: string, errors: string[]): OverflowRule | null {
  if (!isObj(v)) {
    errors.push(`${path} must be an object`);
    return null;
  }
  checkKeys(
    v,
    path,
    [
      'id',
      'queue',
      'conditions',
      'mode',
      'hold_down_s',
      'clear_down_s',
      'level',
      'action',
      'escalation',
      'webhook',
    ],
    errors,
  );
  if (typeof v['id'] !== 'string' || !RULE_ID.test(v['id']))
    errors.push(`${path}.id must be 1 to 64 characters of letters, digits, "_", "." or "-"`);
  const queue = name(v['queue'], `${path}.queue`, errors);
  const mode = v['mode'] ?? RULE_DEFAULTS.mode;
  if (mode !== 'all' && mode !== 'any') errors.push(`${path}.mode must be "all" or "any"`);
  const out: OverflowRule = {
    id: String(v['id']),
    queue: queue ?? '',
    conditions: conditions(v['conditions'], `${path}.conditions`, errors),
    mode: mode === 'all' ? 'all' : 'any',
    hold_down_s: num(
      v['hold_down_s'],
      `${path}.hold_down_s`,
      errors,
      0,
      MAX_DOWN_S,
      RULE_DEFAULTS.hold_down_s,
    ),
    clear_down_s: num(
      v['clear_down_s'],
      `${path}.clear_down_s`,
      errors,
      0,
      MAX_DOWN_S,
      RULE_DEFAULTS.clear_down_s,
    ),
    level: level(v['level'], `${path}.level`, errors, RULE_DEFAULTS.level),
    action: action(v['action'], `${path}.action`, errors),
  };
  const esc = escalation(v['escalation'], `${path}.escalation`, errors);
  if (esc) {
    if (levelRank(esc.level) <= levelRank(out.level))
      errors.push(`${path}.escalation.level must be above the rule's level "${out.level}"`);
    out.escalation = esc;
  }
  const hook = webhook(v['webhook'], `${path}.webhook`, errors);
  if (hook) out.webhook = hook;
  return out;
}

/** The whole list is replaced by the body's list (rules are not merged one by one). */
export const validateOverflowRules: SectionValidator<OverflowRule[]> = (v, path, errors) => {
  if (!Array.isArray(v)) {
    errors.push(`${path} must be a list of rules`);
    return [];
  }
  if (v.length > MAX_RULES) errors.push(`${path} may hold at most ${MAX_RULES} rules`);
  const out: OverflowRule[] = [];
  const ids = new Set<string>();
  v.slice(0, MAX_RULES).forEach((r, i) => {
    const parsed = rule(r, `${path}[${i}]`, errors);
    if (!parsed) return;
    if (ids.has(parsed.id))
      errors.push(
        `${path}[${i}].id "${parsed.id}" is used by an earlier rule; rule ids must be unique`,
      );
    ids.add(parsed.id);
    out.push(parsed);
  });
  return out;
};

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
