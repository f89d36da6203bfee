// The validator of a site configuration's `overflow_rules` section (PUT /api/sites/{site}):
// a list of rules, each checked key by key. Every error names its key path, e.g.
// "overflow_rules[2].hold_down_s". config.ts registers it with site-config.ts.
import type { OverflowRule } from '../site-config.js';
import type { SectionValidator } from '../site-config-validate.js';
import {
  MAX_DOWN_S,
  checkKeys,
  escalation,
  isObj,
  level,
  levelRank,
  num,
} from './config-fields.js';

/** Rule ids become part of alert ids and URLs: keep them to URL-safe characters. */
const RULE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** 200 rules per site: a large centre has ~100 queues; more is a configuration mistake. */
const MAX_RULES = 200;

/** Defaults of a rule when a key is left out: fire after 30 s, clear after 60 s false, orange, any condition. */
export const RULE_DEFAULTS = Object.freeze({
  mode: 'any' as const,
  hold_down_s: 30,
  clear_down_s: 60,
  level: 'orange' as const,
});

function name(v: unknown, path: string, errors: string[]): string | null {
  if (typeof v !== 'string' || v.length < 1 || v.length > 64 || /[\u0000-\u001f]/.test(v)) {
    errors.push(`${path} must be a name of 1 to 64 characters`);
    return null;
  }
  return v;
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
