// The quality engine's event-derived state as a checkpoint (ingest/src/runtime/checkpoints.ts).
// Calls and surveys are already columns (typed arrays, and keys as one text with a hash table),
// so the file holds them as they are; work orders, complaints and teams (tens of thousands) are the live objects.
import type { CallColumns } from './calls.js';
import type { KeysState } from './keys.js';
import type { SurveyColumns } from './surveys.js';
import type { TicketRec } from './tickets.js';

export interface QualityCheckpoint {
  tickets: Map<string, TicketRec>;
  /** The agent table the calls' and surveys' agent ids refer to. */
  agents: KeysState;
  calls: CallColumns;
  surveys: SurveyColumns;
  callerComplaints: Map<string, number[]>;
  complaintSeen: Set<string>;
  teams: Map<string, { team: string; ts: number }>;
  volume: { counts: Map<string, Map<number, number>>; since: number | null };
}
