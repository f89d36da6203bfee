// The field checks both alert sections of a site configuration share (config.ts for
// `alerts`, rules-config.ts for `overflow_rules`): each pushes an error naming its key path
// and returns a fallback, so one pass reports every mistake.
import type { AlertLevelName } from '../site-config.js';

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const ALERT_LEVELS: readonly AlertLevelName[] = ['info', 'yellow', 'orange', 'red'];
/** Rank of a level, so escalation can only go up. */
export const levelRank = (l: AlertLevelName): number => ALERT_LEVELS.indexOf(l);

/** Hold-down and clear-down up to one hour; longer would hide an overload for a whole interval or more. */
export const MAX_DOWN_S = 3600;

export function checkKeys(v: Obj, path: string, known: string[], errors: string[]): void {
  for (const k of Object.keys(v))
    if (!known.includes(k))
      errors.push(`${path}.${k} is not a known key (known: ${known.join(', ')})`);
}

export function num(
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

export function level(
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

export function escalation(
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
