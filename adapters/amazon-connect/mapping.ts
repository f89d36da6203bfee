// The Amazon Connect Agent Event Streams mapping: one record (the JSON Connect writes to
// Kinesis for each agent event) to events of the contract. Pure: no I/O, no clock; the only
// state is the usernames learned per agent ARN (a record without a snapshot still names its
// agent the same way). Fields follow the "Agent event streams data model" page of the
// Amazon Connect administrator guide (docs/adapters.md has the table and its sources).
import type { AgentState } from '../../ingest/src/core/contract.js';
import type { EventBody, OutEvent } from '../shared/event.js';
import { nthId, recordId } from '../shared/ids.js';
import { nullStrings } from './null-strings.js';

export interface ConnectState {
  /** AgentARN → agent id (the username), learned from records that carry the snapshot. */
  names: Map<string, string>;
}

export const newConnectState = (): ConnectState => ({ names: new Map() });

export type ConnectOutcome =
  { events: OutEvent[]; warnings: string[] } | { events: []; warnings: string[]; reject: string };

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : null;
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const KEY_OK = /^[^\u0000-\u001f]{1,64}$/;
const key = (v: unknown): string | null => {
  const s = str(v)?.trim();
  return s && KEY_OK.test(s) ? s : null;
};

/** Contact states, strongest first: what the agent is doing while a contact is in that state. */
const CONTACT_STATES: [string, AgentState][] = [
  ['CONNECTED', 'talking'],
  ['CONNECTED_ONHOLD', 'hold'],
  ['CONNECTING', 'ringing'],
  ['INCOMING', 'ringing'],
  // An ENDED contact stays in the snapshot while the agent does after-contact work.
  ['ENDED', 'wrap_up'],
];

export function mapConnectRecord(s: ConnectState, input: unknown, site: string): ConnectOutcome {
  const { value, paths } = nullStrings(input);
  const warnings = paths.length
    ? [
        `"null" strings read as null at ${paths.slice(0, 8).join(', ')}${paths.length > 8 ? ', …' : ''}`,
      ]
    : [];
  const reject = (reason: string): ConnectOutcome => ({ events: [], warnings, reject: reason });
  const r = obj(value);
  if (!r) return reject('the record is not a JSON object');
  const type = str(r['EventType']);
  if (!type || !['LOGIN', 'LOGOUT', 'STATE_CHANGE', 'HEART_BEAT'].includes(type))
    return reject(
      `EventType ${JSON.stringify(r['EventType'] ?? null).slice(0, 40)} is not LOGIN, LOGOUT, STATE_CHANGE or HEART_BEAT`,
    );
  const eventId = str(r['EventId']);
  if (!eventId) return reject('the record has no EventId');
  const tsText = str(r['EventTimestamp']);
  const ts = tsText ? Date.parse(tsText) : NaN;
  if (!Number.isFinite(ts)) return reject('EventTimestamp is missing or not an ISO-8601 time');
  const arn = str(r['AgentARN']);
  const cur = obj(r['CurrentAgentSnapshot']);
  const cfg = obj(cur?.['Configuration']);
  const username = key(cfg?.['Username']);
  if (arn && username) s.names.set(arn, username);
  const agent = username ?? (arn ? (s.names.get(arn) ?? key(arn.split('/').pop())) : null);
  if (!agent)
    return reject('the record names no agent (no Configuration.Username and no AgentARN)');

  // EventId is a UUID per event; the ARN and time make the key safe even where a sample reuses one.
  const first = recordId('aws', `${eventId}|${arn ?? ''}|${tsText}|${type}`);
  const out = (list: EventBody[]): ConnectOutcome => ({
    events: list.map((e, i) => ({ ...e, id: nthId(first, i), ts, site }) as OutEvent),
    warnings,
  });

  if (type === 'HEART_BEAT') return out([{ type: 'agent.heartbeat', agent }]);
  if (type === 'LOGOUT') return out([{ type: 'agent.logout', agent }]);
  if (type === 'LOGIN') return out([loginOf(agent, cfg)]);

  // STATE_CHANGE follows the current snapshot.
  if (!cur) return reject('STATE_CHANGE without CurrentAgentSnapshot');
  const status = obj(cur['AgentStatus']);
  const name = str(status?.['Name']);
  if (!name) return reject('STATE_CHANGE without CurrentAgentSnapshot.AgentStatus.Name');
  if (name === 'Offline' || status?.['Type'] === 'OFFLINE')
    return out([{ type: 'agent.logout', agent }]);
  const list: EventBody[] = [];
  // A routing-profile or queue change comes as a STATE_CHANGE: the new queue list is a login's.
  const prevCfg = obj(obj(r['PreviousAgentSnapshot'])?.['Configuration']);
  if (prevCfg && queuesOf(prevCfg).join('\n') !== queuesOf(cfg).join('\n'))
    list.push(loginOf(agent, cfg));
  const contacts = Array.isArray(cur['Contacts']) ? (cur['Contacts'] as unknown[]).map(obj) : [];
  const states = new Set(contacts.map((c) => str(c?.['State'])));
  const busy = CONTACT_STATES.find(([cs]) => states.has(cs))?.[1];
  if (name === 'Available') list.push({ type: 'agent.state', agent, state: busy ?? 'ready' });
  // On a custom status (Break, Training…) an agent gets no queue contacts but may place an
  // outbound one: while talking or holding, that is what the agent is doing.
  else if (busy === 'talking' || busy === 'hold')
    list.push({ type: 'agent.state', agent, state: busy });
  else list.push({ type: 'agent.state', agent, state: 'not_ready', reason: name.slice(0, 64) });
  return out(list);
}

/**
 * The agent's queues: the routing profile's inbound queues, without the agent's own
 * personal queue (its ARN is under `/queue/agent/`), which is not a queue on the board.
 */
export function queuesOf(cfg: Obj | null): string[] {
  const rp = obj(cfg?.['RoutingProfile']);
  const list = Array.isArray(rp?.['InboundQueues']) ? (rp['InboundQueues'] as unknown[]) : [];
  const out: string[] = [];
  for (const q of list.map(obj)) {
    if (!q || (str(q['ARN']) ?? '').includes('/queue/agent/')) continue;
    const n = key(q['Name']);
    if (n && !out.includes(n)) out.push(n);
  }
  return out.sort().slice(0, 64);
}

function loginOf(agent: string, cfg: Obj | null): EventBody {
  const first = str(cfg?.['FirstName']);
  const last = str(cfg?.['LastName']);
  const name = [first, last]
    .filter(Boolean)
    .join(' ')
    .replace(/[\u0000-\u001f]/g, '')
    .slice(0, 128);
  const groups = obj(cfg?.['AgentHierarchyGroups']);
  // The team is the agent's most specific hierarchy level.
  const team = ['Level5', 'Level4', 'Level3', 'Level2', 'Level1']
    .map((l) => key(obj(groups?.[l])?.['Name']))
    .find(Boolean);
  const queues = queuesOf(cfg);
  return {
    type: 'agent.login',
    agent,
    ...(name ? { name } : {}),
    ...(team ? { team } : {}),
    ...(queues.length ? { queues } : {}),
  };
}
