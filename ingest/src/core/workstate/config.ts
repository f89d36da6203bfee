// The `work_state` section of a site configuration (工作状态管理): the longest allowed time
// per not-ready reason (per site, overridable per team), the most agents on break at once
// per team or queue group (a number or a share of those signed in), whether the rule grants
// break requests under the cap, the alert levels, and the leads of each team. Registered
// with site-config.ts so PUT /api/sites/{site} validates it and names every bad key.
import type { AlertLevelName } from '../site-config.js';
import { sectionValidators, type SectionValidator } from '../site-config-validate.js';

/** Minutes, or "rostered": the length of the agent's rostered segment of that activity. */
export type ReasonLimit = number | 'rostered';

/** A cap: at most `max` agents, and/or at most `share` of those signed in (floor), whichever is lower. */
export interface BreakCap {
  max?: number;
  share?: number;
}

export interface CapGroup extends BreakCap {
  name: string;
  /** Agents skilled for any of these queues belong to the group. */
  queues: string[];
}

export interface WorkStateConfig {
  /** Reason -> limit (seconds are minutes x 60). Seeds: break 15, lunch 60, training as rostered. */
  limits_min: Record<string, ReasonLimit>;
  /** Team -> reason -> limit, over limits_min. */
  team_limits_min: Record<string, Record<string, ReasonLimit>>;
  /** Reasons that count as "on break" for the caps. */
  cap_reasons: string[];
  /** Cap of every team without its own; null: no cap. */
  team_cap: BreakCap | null;
  team_caps: Record<string, BreakCap>;
  /** Caps over queue groups (agents skilled for the group's queues, whatever their team). */
  group_caps: CapGroup[];
  /** The rule grants a request at once while the team is under its cap. */
  auto_grant: boolean;
  overrun_level: AlertLevelName;
  cap_level: AlertLevelName;
  /**
   * Team -> user names who lead it. Used to decide who may grant until the identity service
   * says who is a team lead; with it, its team grants are used instead.
   */
  leads: Record<string, string[]>;
}

export const DEFAULT_WORK_STATE: WorkStateConfig = Object.freeze({
  limits_min: { break: 15, lunch: 60, training: 'rostered' },
  team_limits_min: {},
  cap_reasons: ['break', 'lunch'],
  team_cap: null,
  team_caps: {},
  group_caps: [],
  auto_grant: true,
  overrun_level: 'yellow',
  cap_level: 'orange',
  leads: {},
}) as WorkStateConfig;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const KEYS = [
  'limits_min',
  'team_limits_min',
  'cap_reasons',
  'team_cap',
  'team_caps',
  'group_caps',
  'auto_grant',
  'overrun_level',
  'cap_level',
  'leads',
];
const LEVELS: AlertLevelName[] = ['info', 'yellow', 'orange', 'red'];
const NAME_OK = (s: unknown): s is string =>
  typeof s === 'string' && s.length >= 1 && s.length <= 64 && !/[\u0000-\u001f]/.test(s);

function limits(v: unknown, path: string, errors: string[]): Record<string, ReasonLimit> {
  const out: Record<string, ReasonLimit> = {};
  if (!isObj(v)) {
    errors.push(`${path} must be an object: reason -> minutes (1 to 1440) or "rostered"`);
    return out;
  }
  for (const [reason, lim] of Object.entries(v)) {
    if (!NAME_OK(reason))
      errors.push(`${path}: reason "${String(reason).slice(0, 70)}" must be 1 to 64 characters`);
    // 1440 min: a limit of a whole day is no limit; longer is a typing mistake.
    else if (
      lim === 'rostered' ||
      (typeof lim === 'number' && Number.isFinite(lim) && lim >= 1 && lim <= 1440)
    )
      out[reason] = lim;
    else
      errors.push(
        `${path}.${reason} must be minutes from 1 to 1440 or "rostered", got ${JSON.stringify(lim)}`,
      );
  }
  return out;
}

function cap(v: unknown, path: string, errors: string[]): BreakCap | null {
  if (v === null) return null;
  if (!isObj(v)) {
    errors.push(`${path} must be {"max": n} and/or {"share": 0..1}, or null`);
    return null;
  }
  const out: BreakCap = {};
  for (const k of Object.keys(v))
    if (!['max', 'share', 'name', 'queues'].includes(k))
      errors.push(`${path}.${k} is not a known key (known: max, share)`);
  if (v['max'] !== undefined) {
    if (
      typeof v['max'] !== 'number' ||
      !Number.isInteger(v['max']) ||
      v['max'] < 0 ||
      v['max'] > 100_000
    )
      errors.push(`${path}.max must be a whole number from 0 to 100000`);
    else out.max = v['max'];
  }
  if (v['share'] !== undefined) {
    if (typeof v['share'] !== 'number' || !(v['share'] >= 0 && v['share'] <= 1))
      errors.push(
        `${path}.share must be a fraction from 0 to 1 (e.g. 0.2 for 20% of those signed in)`,
      );
    else out.share = v['share'];
  }
  if (out.max === undefined && out.share === undefined)
    errors.push(`${path} must set max, share or both`);
  return out;
}

function nameList(v: unknown, path: string, errors: string[], max = 200): string[] | null {
  if (!Array.isArray(v) || v.length > max || !v.every(NAME_OK)) {
    errors.push(`${path} must be a list of at most ${max} names of 1 to 64 characters`);
    return null;
  }
  return [...new Set(v as string[])];
}

export const validateWorkState: SectionValidator<WorkStateConfig> = (v, path, errors, base) => {
  if (!isObj(v)) {
    errors.push(`${path} must be an object`);
    return base;
  }
  for (const k of Object.keys(v))
    if (!KEYS.includes(k))
      errors.push(`${path}.${k} is not a known key (known: ${KEYS.join(', ')})`);
  const out: WorkStateConfig = structuredClone(base ?? DEFAULT_WORK_STATE);
  // Reason limits merge over the current ones so a site can change one reason alone.
  if (v['limits_min'] !== undefined)
    out.limits_min = {
      ...out.limits_min,
      ...limits(v['limits_min'], `${path}.limits_min`, errors),
    };
  if (v['team_limits_min'] !== undefined) {
    const t = v['team_limits_min'];
    if (!isObj(t))
      errors.push(`${path}.team_limits_min must be an object: team -> {reason: minutes}`);
    else {
      out.team_limits_min = {};
      for (const [team, l] of Object.entries(t))
        out.team_limits_min[team] = limits(l, `${path}.team_limits_min.${team}`, errors);
    }
  }
  if (v['cap_reasons'] !== undefined)
    out.cap_reasons =
      nameList(v['cap_reasons'], `${path}.cap_reasons`, errors, 32) ?? out.cap_reasons;
  if (v['team_cap'] !== undefined) out.team_cap = cap(v['team_cap'], `${path}.team_cap`, errors);
  if (v['team_caps'] !== undefined) {
    const t = v['team_caps'];
    if (!isObj(t)) errors.push(`${path}.team_caps must be an object: team -> {max, share}`);
    else {
      out.team_caps = {};
      for (const [team, c] of Object.entries(t)) {
        const parsed = cap(c, `${path}.team_caps.${team}`, errors);
        if (parsed) out.team_caps[team] = parsed;
      }
    }
  }
  if (v['group_caps'] !== undefined) {
    const g = v['group_caps'];
    if (!Array.isArray(g) || g.length > 100)
      errors.push(
        `${path}.group_caps must be a list of at most 100 groups {name, queues, max, share}`,
      );
    else {
      out.group_caps = [];
      g.forEach((x, i) => {
        const p = `${path}.group_caps[${i}]`;
        if (!isObj(x)) return errors.push(`${p} must be an object {name, queues, max, share}`);
        if (!NAME_OK(x['name'])) errors.push(`${p}.name must be 1 to 64 characters`);
        const queues = nameList(x['queues'], `${p}.queues`, errors);
        const c = cap(x, p, errors);
        if (NAME_OK(x['name']) && queues && c)
          out.group_caps.push({ name: x['name'], queues, ...c });
      });
    }
  }
  if (v['auto_grant'] !== undefined) {
    if (typeof v['auto_grant'] !== 'boolean')
      errors.push(`${path}.auto_grant must be true or false`);
    else out.auto_grant = v['auto_grant'];
  }
  for (const k of ['overrun_level', 'cap_level'] as const) {
    if (v[k] === undefined) continue;
    if (!LEVELS.includes(v[k] as AlertLevelName))
      errors.push(`${path}.${k} must be one of ${LEVELS.join(', ')}`);
    else out[k] = v[k] as AlertLevelName;
  }
  if (v['leads'] !== undefined) {
    const l = v['leads'];
    if (!isObj(l)) errors.push(`${path}.leads must be an object: team -> [user names]`);
    else {
      out.leads = {};
      for (const [team, users] of Object.entries(l))
        out.leads[team] = nameList(users, `${path}.leads.${team}`, errors, 50) ?? [];
    }
  }
  return out;
};

/** The limit of a reason for an agent of `team`, or undefined when the reason has none. */
export function limitFor(
  cfg: WorkStateConfig,
  team: string,
  reason: string,
): ReasonLimit | undefined {
  return cfg.team_limits_min[team]?.[reason] ?? cfg.limits_min[reason];
}

/** The cap in agents for `signedIn` members: the lower of max and floor(share x signedIn). */
export function capValue(c: BreakCap, signedIn: number): number {
  let v = Infinity;
  if (c.max !== undefined) v = Math.min(v, c.max);
  if (c.share !== undefined) v = Math.min(v, Math.floor(c.share * signedIn + 1e-9));
  return v;
}

export function registerWorkStateConfigValidator(): void {
  sectionValidators.work_state = validateWorkState;
}

registerWorkStateConfigValidator();
