// The Asterisk queue_log mapping: one row (with the state of the rows before it) to events
// of the contract. Pure: no I/O, no clock; it updates only the state it is given. Event
// semantics follow Asterisk's "Queue Logs" page and app_queue.c, and QueueMetrics' reading
// of queue_log (docs/adapters.md has the table and its sources).
import type { AbandonReason, AgentState } from '../../ingest/src/core/contract.js';
import { type EventBody, type MapOutcome, type OutEvent, skipped } from '../shared/event.js';
import { nthId, recordId } from '../shared/ids.js';
import { agentId, type AgentAliases } from './agent-name.js';
import { rowKey, type QueueLogRow } from './row.js';
import type { AgentTrack, AsteriskState, CallPhase } from './state.js';
import { parseQueueLogTime } from './time.js';

export interface AsteriskOptions {
  site: string;
  /** IANA zone of realtime-table time strings. */
  timezone: string;
  aliases: AgentAliases;
}

const EXITS: Record<string, AbandonReason | undefined> = {
  ABANDON: undefined,
  EXITWITHTIMEOUT: 'timeout',
  EXITWITHKEY: 'key',
  EXITEMPTY: 'empty',
  WITHDRAW: 'withdraw',
};
const COMPLETES = new Set(['COMPLETEAGENT', 'COMPLETECALLER']);
const TRANSFERS = new Set(['TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER']);
const LOGINS = new Set(['ADDMEMBER', 'AGENTLOGIN', 'AGENTCALLBACKLOGIN']);
const LOGOFFS = new Set(['AGENTLOGOFF', 'AGENTCALLBACKLOGOFF']);
const PAUSES = new Set(['PAUSE', 'PAUSEALL']);
const UNPAUSES = new Set(['UNPAUSE', 'UNPAUSEALL']);
const MAPPED = new Set([
  'ENTERQUEUE',
  'CONNECT',
  'RINGNOANSWER',
  'REMOVEMEMBER',
  ...Object.keys(EXITS),
  ...COMPLETES,
  ...TRANSFERS,
  ...LOGINS,
  ...LOGOFFS,
  ...PAUSES,
  ...UNPAUSES,
]);

/** Why an unmapped event is skipped, in words for the import summary. */
function unmapped(event: string): string {
  if (event === 'QUEUESTART' || event === 'CONFIGRELOAD')
    return `${event}: a system event, not a call or agent event`;
  if (event === 'RINGCANCELED')
    return 'RINGCANCELED: the caller hung up while the agent rang (not a missed ring)';
  if (event === 'AGENTDUMP' || event === 'SYSCOMPAT')
    return `${event}: the caller stays in the queue; its next row decides`;
  if (event.startsWith('OUT')) return `${event}: a vendor outbound-call event, not a queue call`;
  return `${event.slice(0, 40) || '(empty)'}: not a queue_log event Floorwatch maps (custom or unknown)`;
}

const KEY_OK = /^[^\u0000-\u001f]{1,64}$/;
const named = (q: string): boolean => q !== '' && q !== 'NONE' && KEY_OK.test(q);

export function mapRow(s: AsteriskState, row: QueueLogRow, o: AsteriskOptions): MapOutcome {
  const ev = row.event.trim();
  if (!MAPPED.has(ev)) return skipped(unmapped(ev));
  if (row.time === null) return skipped('no time (NULL in the time column)');
  const ms = parseQueueLogTime(row.time, o.timezone);
  if (ms === null) return skipped('time is not epoch seconds or YYYY-MM-DD HH:MM:SS[.ffffff]');
  const key = rowKey(row);
  const first = recordId('ast', key);
  const rawAgent = agentId(row.agent, o.aliases);
  const agent = rawAgent !== null && KEY_OK.test(rawAgent) ? rawAgent : null;
  const queue = named(row.queue) ? row.queue : null;
  if (ms > s.maxMs) s.maxMs = ms;

  // Rows of one second (the flat file's resolution) keep their file order: each later one
  // is 1 ms on, since the engine orders events of equal time by id, not by arrival.
  const stamp = (): number => {
    if (ms === s.lastMs) s.seq = Math.min(s.seq + 1, 999);
    else [s.lastMs, s.seq] = [ms, 0];
    return ms + s.seq;
  };
  const out = (ts: number, list: EventBody[]): MapOutcome => ({
    events: list.map((e, i) => ({ ...e, id: nthId(first, i), ts, site: o.site }) as OutEvent),
  });

  if (ev === 'ENTERQUEUE') {
    if (!queue) return skipped('ENTERQUEUE without a queue name');
    const cur = s.calls[row.callid];
    if (cur && cur.offerKey === key) return skipped('repeated line (the same ENTERQUEUE again)');
    let ph: CallPhase;
    if (cur && cur.offerKey === null && cur.queue === queue)
      ph = cur; // its other rows came first
    else ph = newPhase(s, row.callid, queue, cur ? cur.n + 1 : 1, ms);
    ph.offerKey = key;
    ph.lastMs = Math.max(ph.lastMs, ms);
    if (!s.queues.includes(queue)) s.queues.push(queue);
    return out(stamp(), [{ type: 'call.offered', call: callId(row.callid, ph), queue }]);
  }

  if (ev === 'CONNECT') {
    if (!agent) return skipped('CONNECT without an agent');
    const ph = phaseFor(s, row.callid, queue, ms);
    if (!ph) return skipped('CONNECT without a queue name');
    if (ph.answered) return skipped('CONNECT for a call already answered');
    if (ph.ended) return skipped('CONNECT after the caller left the queue');
    ph.answered = true;
    ph.agent = agent;
    const a = track(s, agent, ms);
    a.onCall++;
    return out(stamp(), [
      { type: 'call.answered', call: callId(row.callid, ph), queue: ph.queue, agent },
      { type: 'agent.state', agent, state: 'talking' },
    ]);
  }

  if (ev in EXITS) {
    const ph = phaseFor(s, row.callid, queue, ms);
    if (!ph) return skipped(`${ev} without a queue name`);
    if (ph.answered) return skipped(`${ev} after the call was answered`);
    if (ph.ended) return skipped(`${ev} after the caller already left the queue`);
    ph.ended = true;
    const reason = EXITS[ev];
    return out(stamp(), [
      {
        type: 'call.abandoned',
        call: callId(row.callid, ph),
        queue: ph.queue,
        ...(reason ? { reason } : {}),
      },
    ]);
  }

  if (COMPLETES.has(ev) || TRANSFERS.has(ev)) {
    const ph = phaseFor(s, row.callid, queue, ms);
    if (!ph) return skipped(`${ev} without a queue name`);
    const who = agent ?? ph.agent;
    if (!who) return skipped(`${ev} without an agent`);
    if (ph.ended) return skipped(`${ev} for a call already ended`);
    ph.ended = true;
    const a = track(s, who, ms);
    a.onCall = Math.max(0, a.onCall - 1);
    const call = callId(row.callid, ph);
    const list: EventBody[] = [];
    // No COMPLETE* row follows a transfer, so the call ends for this agent here (AHT counts it).
    if (TRANSFERS.has(ev))
      list.push({
        type: 'call.transferred',
        call,
        queue: ph.queue,
        ...transferTarget(s, ev, row.data, o.aliases),
      });
    list.push({ type: 'call.ended', call, queue: ph.queue, agent: who }, stateOf(who, a));
    return out(stamp(), list);
  }

  if (!agent) return skipped(`${ev} without an agent`);
  const a = track(s, agent, ms);

  if (ev === 'RINGNOANSWER') {
    const ringMs = Number((row.data[0] ?? '').trim());
    if (!Number.isInteger(ringMs) || ringMs < 0)
      return skipped('RINGNOANSWER without a ring time in ms');
    return out(stamp(), [
      {
        type: 'agent.ring_no_answer',
        agent,
        ...(queue ? { queue } : {}),
        ring_ms: Math.min(ringMs, 3_600_000),
      },
    ]);
  }
  if (LOGINS.has(ev)) {
    if (queue && !a.queues.includes(queue)) a.queues.push(queue);
    if (queue && !s.queues.includes(queue)) s.queues.push(queue);
    if (ev === 'ADDMEMBER' && row.data[0] === 'PAUSED') [a.paused, a.reason] = [true, null];
    return out(stamp(), [loginOf(agent, a), stateOf(agent, a)]);
  }
  if (ev === 'REMOVEMEMBER' || LOGOFFS.has(ev)) {
    a.queues = ev === 'REMOVEMEMBER' && queue ? a.queues.filter((q) => q !== queue) : [];
    if (a.queues.length > 0) return out(stamp(), [loginOf(agent, a), stateOf(agent, a)]);
    [a.paused, a.reason] = [false, null];
    return out(stamp(), [{ type: 'agent.logout', agent }]);
  }
  if (PAUSES.has(ev)) {
    const reason = (row.data[0] ?? '')
      .replace(/[\u0000-\u001f]/g, '')
      .trim()
      .slice(0, 64);
    [a.paused, a.reason] = [true, reason || null];
  } else [a.paused, a.reason] = [false, null]; // UNPAUSE / UNPAUSEALL
  return out(stamp(), [stateOf(agent, a)]);
}

function newPhase(
  s: AsteriskState,
  callid: string,
  queue: string,
  n: number,
  ms: number,
): CallPhase {
  const ph: CallPhase = {
    n,
    queue,
    offerKey: null,
    answered: false,
    agent: null,
    ended: false,
    lastMs: ms,
  };
  s.calls[callid] = ph;
  return ph;
}

/** The caller's current phase for a row after ENTERQUEUE; a new one if the row names another queue. */
function phaseFor(
  s: AsteriskState,
  callid: string,
  queue: string | null,
  ms: number,
): CallPhase | null {
  const cur = s.calls[callid];
  if (cur && (queue === null || cur.queue === queue)) {
    cur.lastMs = Math.max(cur.lastMs, ms);
    return cur;
  }
  if (!queue) return null;
  // A row for a queue the caller was not seen entering (the log began mid-call, or the
  // ENTERQUEUE comes later in the file): it opens a phase of its own.
  return newPhase(s, callid, queue, cur ? cur.n + 1 : 1, ms);
}

function callId(callid: string, ph: CallPhase): string {
  return ph.n === 1 ? callid : `${callid}#${ph.n}`;
}

function track(s: AsteriskState, agent: string, ms: number): AgentTrack {
  let a = s.agents[agent];
  if (!a) s.agents[agent] = a = { queues: [], paused: false, reason: null, onCall: 0, lastMs: ms };
  a.lastMs = Math.max(a.lastMs, ms);
  return a;
}

function loginOf(agent: string, a: AgentTrack): EventBody {
  return {
    type: 'agent.login',
    agent,
    ...(a.queues.length ? { queues: a.queues.slice(0, 64) } : {}),
  };
}

/** queue_log logs no agent state: it follows from the agent's calls and pause. */
function stateOf(agent: string, a: AgentTrack): EventBody {
  const state: AgentState = a.onCall > 0 ? 'talking' : a.paused ? 'not_ready' : 'ready';
  return {
    type: 'agent.state',
    agent,
    state,
    ...(state === 'not_ready' && a.reason ? { reason: a.reason } : {}),
  };
}

/**
 * Where a transfer went: BLINDTRANSFER and TRANSFER log extension|context|holdtime|calltime;
 * ATTENDEDTRANSFER logs method|method data (one or two fields)|holdtime|calltime|origposition,
 * so its target fields are all but the last three. A target that names a queue seen in this
 * log is `to_queue`; an extension otherwise is `to_agent`.
 */
function transferTarget(
  s: AsteriskState,
  ev: string,
  data: readonly string[],
  aliases: AgentAliases,
): { to_queue?: string; to_agent?: string } {
  let n = data.length;
  while (n > 0 && data[n - 1] === '') n--;
  const fields = ev === 'ATTENDEDTRANSFER' ? data.slice(1, Math.max(1, n - 3)) : data.slice(0, 1);
  for (const f of fields) {
    const id = agentId(f, aliases);
    if (id !== null && s.queues.includes(id)) return { to_queue: id };
  }
  if (ev !== 'ATTENDEDTRANSFER') {
    const ext = agentId(data[0] ?? '', aliases);
    if (ext !== null && KEY_OK.test(ext)) return { to_agent: ext };
  }
  return {};
}
