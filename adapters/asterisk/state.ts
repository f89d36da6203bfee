// What the Asterisk mapping remembers between rows: each caller's queue phases (for re-entry
// and for refusing an exit after an answer), each agent's queues, pause and calls (agent
// state is derived, queue_log has no agent-state events), and the queue names seen. Plain
// JSON, so --follow saves it with the file offset after each acknowledged batch.

export interface CallPhase {
  /** Phase number: the event call id is the callid, then `callid#2`, `callid#3`, … */
  n: number;
  queue: string;
  /** Key of the ENTERQUEUE row that opened it (a repeat of the same row is not a re-entry). */
  offerKey: string | null;
  answered: boolean;
  agent: string | null;
  /** The caller left the queue: answered-and-completed, transferred, abandoned or exited. */
  ended: boolean;
  /** Newest row time touching it (ms), for forgetting. */
  lastMs: number;
}

export interface AgentTrack {
  queues: string[];
  paused: boolean;
  reason: string | null;
  /** Calls answered and not yet completed. */
  onCall: number;
  lastMs: number;
}

export interface AsteriskState {
  calls: Record<string, CallPhase>;
  agents: Record<string, AgentTrack>;
  queues: string[];
  /** Time of the last mapped row and how many rows shared it (same-ms events get +1 ms each). */
  lastMs: number;
  seq: number;
  /** Newest row time seen (ms). */
  maxMs: number;
}

export function newState(): AsteriskState {
  return { calls: {}, agents: {}, queues: [], lastMs: -1, seq: 0, maxMs: 0 };
}

/** A phase that ended this long ago (row time) is forgotten: 6 h outlasts any re-entry. */
const ENDED_KEEP_MS = 6 * 3_600_000;
/** An open phase with no row for a day is a call whose end was never logged. */
const OPEN_KEEP_MS = 24 * 3_600_000;

/** Drops what can no longer matter, so the state (and the --follow state file) stays small. */
export function pruneState(s: AsteriskState): void {
  for (const [id, p] of Object.entries(s.calls)) {
    if (s.maxMs - p.lastMs > (p.ended ? ENDED_KEEP_MS : OPEN_KEEP_MS)) delete s.calls[id];
  }
}

/** Checks a loaded state's shape (a state file is input too). */
export function isState(v: unknown): v is AsteriskState {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o['calls'] === 'object' &&
    o['calls'] !== null &&
    typeof o['agents'] === 'object' &&
    o['agents'] !== null &&
    Array.isArray(o['queues']) &&
    typeof o['lastMs'] === 'number' &&
    typeof o['seq'] === 'number' &&
    typeof o['maxMs'] === 'number'
  );
}
