// Every event passes the shared contract before it leaves the simulator (the same compiled
// validator the server uses). For a file the time window is checked against the event's own
// time, because a file may be replayed later; for a live server, against the wall clock.
import { validateEvent } from '../../ingest/src/core/contract.js';
import type { SimEvent } from '../generator/emitter.js';

export class ContractViolation extends Error {
  readonly code = 'contract_violation';
  constructor(
    readonly event: SimEvent,
    readonly reason: string,
  ) {
    super(`generated event breaks the contract (${reason}): ${JSON.stringify(event)}`);
  }
}

export type CheckMode = 'off' | 'structure' | 'wall-clock';

export function checkEvent(ev: SimEvent, mode: CheckMode): void {
  if (mode === 'off') return;
  const now =
    mode === 'wall-clock' ? Date.now() : typeof ev.ts === 'number' ? ev.ts : Date.parse(ev.ts);
  const r = validateEvent(ev, now);
  if (!r.ok) throw new ContractViolation(ev, r.error);
}
