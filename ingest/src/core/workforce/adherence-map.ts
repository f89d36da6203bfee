// The adherence mapping: which agent states each scheduled activity allows. A state key
// is "ready", "talking", … , "not_ready" or "not_ready:<reason>", or "logged_out". An
// allowed entry "not_ready" (no reason) accepts not-ready with any reason.
import type { WorkforceConfig } from '../site-config.js';

export type SegmentStatus = 'in' | 'out' | 'neutral';

export const LOGGED_OUT = 'logged_out';

/** The state key the mapping is written in. */
export function stateKey(state: string, reason: string | null | undefined): string {
  if (state === 'not_ready' && reason) return `not_ready:${reason}`;
  return state;
}

export function allows(allowed: readonly string[], key: string): boolean {
  if (allowed.includes(key)) return true;
  return key.startsWith('not_ready:') && allowed.includes('not_ready');
}

/** In, out or neutral for an agent in state `key` during `activity`; an unmapped activity is neutral. */
export function segmentStatus(wf: WorkforceConfig, activity: string, key: string): SegmentStatus {
  const m = wf.adherence[activity];
  if (m === undefined || m === 'neutral') return 'neutral';
  return allows(m, key) ? 'in' : 'out';
}

/**
 * State keys that every activity treats alike fold into one class, so a timeline of
 * classes changes only at login, logout, break and lunch: with the default mapping a
 * whole call cycle (ringing, talking, wrap_up, ready) is one class. That keeps a day's
 * timeline to a few dozen runs per agent instead of hundreds of state changes.
 */
export class StateClasses {
  private readonly ids = new Map<string, number>();
  private readonly byKey = new Map<string, number>();
  constructor(private readonly wf: WorkforceConfig) {}

  classOf(key: string): number {
    let c = this.byKey.get(key);
    if (c !== undefined) return c;
    // logged_out always stands alone: conformance needs logged-in vs not, whatever the mapping says.
    const sig =
      key === LOGGED_OUT
        ? 'L'
        : Object.keys(this.wf.adherence)
            .map((a) => segmentStatus(this.wf, a, key)[0])
            .join('');
    c = this.ids.get(sig);
    if (c === undefined) {
      c = this.ids.size;
      this.ids.set(sig, c);
    }
    this.byKey.set(key, c);
    return c;
  }
}
