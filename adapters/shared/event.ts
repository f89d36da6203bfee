// What an adapter's mapping produces: an event of the contract with `ts` in epoch ms, and
// the reasons it gives for the source records it did not turn into events.
import type { FwEvent } from '../../ingest/src/core/contract.js';

export type OutEvent = FwEvent;

/** An event without its common fields (id, ts, site), per type. */
export type EventBody = FwEvent extends infer E
  ? E extends FwEvent
    ? Omit<E, 'id' | 'ts' | 'site'>
    : never
  : never;

/** One source record's outcome: its events, or why it made none. */
export type MapOutcome =
  { events: OutEvent[] } | { events: []; skip: string } | { events: []; reject: string };

export const skipped = (skip: string): MapOutcome => ({ events: [], skip });
export const rejected = (reject: string): MapOutcome => ({ events: [], reject });
