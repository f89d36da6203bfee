// The `staffing` section of a site configuration: how many past weeks the forecast reads,
// where the queues' patience comes from (Erlang A) and the queue groups staffed together.
import { sectionValidators, type SectionValidator } from '../site-config-validate.js';

export interface StaffingConfig {
  /** Same weekday over this many previous weeks (default 4). */
  forecast_weeks: number;
  /**
   * "history": mean patience estimated from the queue's past abandons (Erlang A when known);
   * "none": Erlang C always; a number: that mean patience in seconds for every queue.
   */
  patience: 'history' | 'none' | number;
  /** Queue groups staffed as one (合大组 already in place): name -> queues. */
  groups: Record<string, string[]>;
}

export const DEFAULT_STAFFING: StaffingConfig = Object.freeze({
  forecast_weeks: 4,
  patience: 'history',
  groups: {},
}) as StaffingConfig;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const validateStaffing: SectionValidator<StaffingConfig> = (v, path, errors, base) => {
  const out: StaffingConfig = structuredClone(base ?? DEFAULT_STAFFING);
  if (!isObj(v)) {
    errors.push(`${path} must be an object {forecast_weeks, patience, groups}`);
    return out;
  }
  for (const k of Object.keys(v))
    if (!['forecast_weeks', 'patience', 'groups'].includes(k))
      errors.push(`${path}.${k} is not a known key (known: forecast_weeks, patience, groups)`);
  const w = v['forecast_weeks'];
  // 1 to 12 weeks: older weeks describe a different season.
  if (w !== undefined) {
    if (typeof w !== 'number' || !Number.isInteger(w) || w < 1 || w > 12)
      errors.push(`${path}.forecast_weeks must be a whole number from 1 to 12`);
    else out.forecast_weeks = w;
  }
  const p = v['patience'];
  if (p !== undefined) {
    if (p === 'history' || p === 'none') out.patience = p;
    else if (typeof p === 'number' && p >= 1 && p <= 3600) out.patience = p;
    else errors.push(`${path}.patience must be "history", "none" or seconds from 1 to 3600`);
  }
  const g = v['groups'];
  if (g !== undefined) {
    if (!isObj(g)) errors.push(`${path}.groups must be an object: group name -> [queues]`);
    else {
      out.groups = {};
      for (const [name, qs] of Object.entries(g)) {
        if (name.length < 1 || name.length > 64)
          errors.push(`${path}.groups: name "${name.slice(0, 70)}" must be 1 to 64 characters`);
        else if (
          !Array.isArray(qs) ||
          qs.length < 1 ||
          qs.length > 50 ||
          !qs.every((q) => typeof q === 'string' && q.length >= 1 && q.length <= 64)
        ) {
          errors.push(`${path}.groups.${name} must be a list of 1 to 50 queue names`);
        } else out.groups[name] = [...new Set(qs as string[])];
      }
    }
  }
  return out;
};

export function registerStaffingConfigValidator(): void {
  sectionValidators.staffing = validateStaffing;
}

registerStaffingConfigValidator();
