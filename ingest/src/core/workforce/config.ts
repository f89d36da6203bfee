// The `workforce` section of a site configuration: activity names, which of them are
// work, the adherence mapping, the sign-in/out grace and the absence flag. Registered
// with site-config.ts so PUT /api/sites/{site} validates it and names every bad key.
import type { WorkforceConfig } from '../site-config.js';
import { sectionValidators, type SectionValidator } from '../site-config-validate.js';
import { AGENT_STATES } from '../contract.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_ .-]{0,31}$/;
const KEYS = [
  'activities',
  'work_activities',
  'adherence',
  'sign_in_early_s',
  'sign_out_late_s',
  'absence_days_flag',
];

function int(
  v: unknown,
  path: string,
  errors: string[],
  min: number,
  max: number,
  fallback: number,
): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    errors.push(`${path} must be a whole number from ${min} to ${max}`);
    return fallback;
  }
  return v;
}

function names(v: unknown, path: string, errors: string[]): string[] | null {
  if (
    !Array.isArray(v) ||
    v.length > 64 ||
    !v.every((x) => typeof x === 'string' && NAME.test(x))
  ) {
    errors.push(
      `${path} must be an array of at most 64 names (letters, digits, "_", " ", ".", "-"; up to 32 characters)`,
    );
    return null;
  }
  return [...new Set(v as string[])];
}

function validState(s: string): boolean {
  if (s === 'logged_out' || (AGENT_STATES as readonly string[]).includes(s)) return true;
  return /^not_ready:.{1,64}$/.test(s);
}

export const validateWorkforce: SectionValidator<WorkforceConfig> = (v, path, errors, base) => {
  if (!isObj(v)) {
    errors.push(`${path} must be an object`);
    return base;
  }
  for (const k of Object.keys(v))
    if (!KEYS.includes(k))
      errors.push(`${path}.${k} is not a known key (known: ${KEYS.join(', ')})`);
  const out: WorkforceConfig = structuredClone(base);
  if (v['activities'] !== undefined)
    out.activities = names(v['activities'], `${path}.activities`, errors) ?? out.activities;
  if (v['work_activities'] !== undefined)
    out.work_activities =
      names(v['work_activities'], `${path}.work_activities`, errors) ?? out.work_activities;
  for (const a of out.work_activities)
    if (!out.activities.includes(a))
      errors.push(`${path}.work_activities: "${a}" is not one of the activities`);
  if (v['adherence'] !== undefined) {
    const m = v['adherence'];
    if (!isObj(m))
      errors.push(`${path}.adherence must be an object: activity -> allowed states or "neutral"`);
    else {
      // Merged over the current mapping so a site can change one activity alone.
      for (const [act, allowed] of Object.entries(m)) {
        const p = `${path}.adherence.${act}`;
        if (!out.activities.includes(act))
          errors.push(`${p}: "${act}" is not one of the activities`);
        if (allowed === 'neutral') out.adherence[act] = 'neutral';
        else if (
          Array.isArray(allowed) &&
          allowed.length <= 32 &&
          allowed.every((s) => typeof s === 'string' && validState(s))
        )
          out.adherence[act] = [...(allowed as string[])];
        else
          errors.push(
            `${p} must be "neutral" or an array of states (${[...AGENT_STATES, 'logged_out'].join(', ')}, or "not_ready:<reason>")`,
          );
      }
    }
  }
  out.sign_in_early_s = int(
    v['sign_in_early_s'],
    `${path}.sign_in_early_s`,
    errors,
    0,
    7200,
    out.sign_in_early_s,
  );
  out.sign_out_late_s = int(
    v['sign_out_late_s'],
    `${path}.sign_out_late_s`,
    errors,
    0,
    7200,
    out.sign_out_late_s,
  );
  out.absence_days_flag = int(
    v['absence_days_flag'],
    `${path}.absence_days_flag`,
    errors,
    0,
    31,
    out.absence_days_flag,
  );
  return out;
};

/** Registers the section with site-config.ts; importing the workforce engine does it too. */
export function registerWorkforceConfigValidator(): void {
  sectionValidators.workforce = validateWorkforce;
}

registerWorkforceConfigValidator();
