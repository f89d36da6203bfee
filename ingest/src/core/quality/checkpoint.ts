// The quality engine's event-derived state as a checkpoint (ingest/src/runtime/checkpoints.ts).
// Calls, surveys and each caller's contact times go column by column: a 20,000-agent day holds
// about a million of each, and v8.deserialize rebuilds one small object per record (with its
// keys) several times slower than a few long arrays.
import type { CallRec, SurveyRec } from './figures.js';
import type { TicketRec } from './tickets.js';

export interface QualityState {
  tickets: Map<string, TicketRec>;
  surveys: Map<string, SurveyRec>;
  calls: Map<string, CallRec>;
  callerCalls: Map<string, number[]>;
  callerComplaints: Map<string, number[]>;
  complaintSeen: Set<string>;
  teams: Map<string, { team: string; ts: number }>;
  volume: { counts: Map<string, Map<number, number>>; since: number | null };
}

export interface QualityCheckpoint extends Omit<QualityState, 'surveys' | 'calls' | 'callerCalls'> {
  calls: { call: string[]; ts: number[]; caller: string[]; agent: string[] };
  surveys: {
    id: string[];
    call: string[];
    ts: number[];
    score: (number | null)[];
    satisfied: (boolean | null)[];
    agent: string[];
  };
  /** Callers, how many contact times each has, and the times one caller after another. */
  callerCalls: { caller: string[]; n: number[]; ts: number[] };
}

/** A copy in columns of what is flat; the rest are the live objects (serialise at once). */
export function exportQuality(s: QualityState): QualityCheckpoint {
  const calls: QualityCheckpoint['calls'] = { call: [], ts: [], caller: [], agent: [] };
  for (const c of s.calls.values()) {
    calls.call.push(c.call);
    calls.ts.push(c.ts);
    calls.caller.push(c.caller);
    calls.agent.push(c.agent);
  }
  const surveys: QualityCheckpoint['surveys'] = {
    id: [],
    call: [],
    ts: [],
    score: [],
    satisfied: [],
    agent: [],
  };
  for (const v of s.surveys.values()) {
    surveys.id.push(v.id);
    surveys.call.push(v.call);
    surveys.ts.push(v.ts);
    surveys.score.push(v.score);
    surveys.satisfied.push(v.satisfied);
    surveys.agent.push(v.agent);
  }
  const callerCalls: QualityCheckpoint['callerCalls'] = { caller: [], n: [], ts: [] };
  for (const [caller, list] of s.callerCalls) {
    callerCalls.caller.push(caller);
    callerCalls.n.push(list.length);
    for (const t of list) callerCalls.ts.push(t);
  }
  return { ...s, calls, surveys, callerCalls };
}

export function importQuality(c: QualityCheckpoint): QualityState {
  const calls = new Map<string, CallRec>();
  c.calls.call.forEach((call, i) =>
    calls.set(call, {
      call,
      ts: c.calls.ts[i] as number,
      caller: c.calls.caller[i] as string,
      agent: c.calls.agent[i] as string,
    }),
  );
  const surveys = new Map<string, SurveyRec>();
  const v = c.surveys;
  v.id.forEach((id, i) =>
    surveys.set(id, {
      id,
      call: v.call[i] as string,
      ts: v.ts[i] as number,
      score: v.score[i] ?? null,
      satisfied: v.satisfied[i] ?? null,
      agent: v.agent[i] as string,
    }),
  );
  const callerCalls = new Map<string, number[]>();
  let at = 0;
  c.callerCalls.caller.forEach((caller, i) => {
    const n = c.callerCalls.n[i] as number;
    callerCalls.set(caller, c.callerCalls.ts.slice(at, at + n));
    at += n;
  });
  return { ...c, calls, surveys, callerCalls };
}
