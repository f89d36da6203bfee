// The Amazon Connect Agent Event Streams mapping, table-tested: every sample record in
// ../shared/data/connect/records, then each rule on records derived from them (LOGIN, LOGOUT,
// HEART_BEAT, each contact state, custom and Offline statuses, "null" strings, rejects).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { firehoseReply, parseFirehoseRequest } from '../../adapters/amazon-connect/firehose.js';
import {
  mapConnectRecord,
  newConnectState,
  queuesOf,
} from '../../adapters/amazon-connect/mapping.js';
import { decodeRecords } from '../../adapters/amazon-connect/records.js';
import { validateEvent } from '../../ingest/src/core/contract.js';
import { ROOT } from '../helpers/server.js';

const DIR = path.resolve(ROOT, '../shared/data/connect/records');
const load = (f: string) =>
  JSON.parse(readFileSync(path.join(DIR, f), 'utf8')) as Record<string, unknown>;
const now = Date.parse('2026-12-07T00:00:00Z');
const contract = { maxFutureSkewMs: 300_000, maxPastMs: 36500 * 86_400_000 };
const strip = (evs: { id: string; site: string }[]) =>
  evs.map(({ id: _i, site: _s, ...e }) => e as Record<string, unknown>);

const TABLE: Record<string, { events: object[]; warns: number }> = {
  // ENDED contact still in the current snapshot: after-contact work.
  'agent-event-streams.2019-07-19.block0.json': {
    events: [
      {
        type: 'agent.state',
        agent: '(Removed)',
        state: 'wrap_up',
        ts: Date.parse('2018-10-25T18:55:27.027Z'),
      },
    ],
    warns: 0,
  },
  'agent-event-streams.2019-07-19.block1.json': {
    events: [
      {
        type: 'agent.state',
        agent: '(Removed)',
        state: 'ready',
        ts: Date.parse('2018-10-25T18:55:32.032Z'),
      },
    ],
    warns: 0,
  },
  'determine-acw-time.block0.json': {
    events: [
      {
        type: 'agent.state',
        agent: '(Removed)',
        state: 'wrap_up',
        ts: Date.parse('2019-05-25T18:55:27.017Z'),
      },
    ],
    warns: 0,
  },
  'determine-acw-time.block1.json': {
    events: [
      {
        type: 'agent.state',
        agent: '(Removed)',
        state: 'ready',
        ts: Date.parse('2019-05-25T18:55:32.022Z'),
      },
    ],
    warns: 0,
  },
  // The ERROR contact left; the current snapshot is Available with none. "null" strings warned about.
  'ramn-test_krecord.decoded.json': {
    events: [
      {
        type: 'agent.state',
        agent: 'P12288098',
        state: 'ready',
        ts: Date.parse('2019-01-21T09:16:02.002Z'),
      },
    ],
    warns: 1,
  },
};

describe('amazon connect mapping over every sample record', () => {
  it('has a table row for every sample file', () => {
    expect(readdirSync(DIR).sort()).toEqual(Object.keys(TABLE).sort());
  });
  it.each(Object.keys(TABLE))('%s', (file) => {
    const rec = load(file);
    const copy = structuredClone(rec);
    const out = mapConnectRecord(newConnectState(), rec, 's1');
    expect(rec).toEqual(copy);
    expect('reject' in out).toBe(false);
    const want = TABLE[file] as (typeof TABLE)[string];
    expect(strip(out.events)).toEqual(want.events);
    expect(out.warnings.length).toBe(want.warns);
    for (const e of out.events)
      expect(validateEvent(JSON.parse(JSON.stringify(e)), now, contract)).toMatchObject({
        ok: true,
      });
  });
});

const ramn = () => load('ramn-test_krecord.decoded.json');
type Rec = Record<string, any>;

function withContact(state: string | null, status = 'Available'): Rec {
  const r: Rec = structuredClone(ramn());
  r['CurrentAgentSnapshot'].AgentStatus.Name = status;
  r['CurrentAgentSnapshot'].Contacts = state
    ? [{ ...r['PreviousAgentSnapshot'].Contacts[0], State: state }]
    : [];
  return r;
}

describe('amazon connect mapping rules', () => {
  it.each([
    ['INCOMING', 'Available', { state: 'ringing' }],
    ['CONNECTING', 'Available', { state: 'ringing' }],
    ['CONNECTED', 'Available', { state: 'talking' }],
    ['CONNECTED_ONHOLD', 'Available', { state: 'hold' }],
    ['ENDED', 'Available', { state: 'wrap_up' }],
    ['MISSED', 'Available', { state: 'ready' }],
    [null, 'Break', { state: 'not_ready', reason: 'Break' }],
    ['CONNECTED', 'Training', { state: 'talking' }],
  ])('contact %s on status %s', (contact, status, want) => {
    const out = mapConnectRecord(newConnectState(), withContact(contact, status), 's1');
    expect(strip(out.events)).toEqual([
      {
        type: 'agent.state',
        agent: 'P12288098',
        ts: Date.parse('2019-01-21T09:16:02.002Z'),
        ...want,
      },
    ]);
  });

  it('status Offline is a logout', () => {
    expect(
      strip(mapConnectRecord(newConnectState(), withContact(null, 'Offline'), 's1').events),
    ).toEqual([
      { type: 'agent.logout', agent: 'P12288098', ts: Date.parse('2019-01-21T09:16:02.002Z') },
    ]);
  });

  it('LOGIN is a login with the name, and the queues without the personal agent queue', () => {
    const r: Rec = { ...ramn(), EventType: 'LOGIN', PreviousAgentSnapshot: null };
    expect(strip(mapConnectRecord(newConnectState(), r, 's1').events)).toEqual([
      {
        type: 'agent.login',
        agent: 'P12288098',
        name: 'Tracy Brown',
        queues: [
          'Fraud',
          'Fraud Internal',
          'National Accounts',
          'National Accounts Internal',
          'TracyBrown',
        ],
        ts: Date.parse('2019-01-21T09:16:02.002Z'),
      },
    ]);
  });

  it('LOGOUT and HEART_BEAT without a snapshot still name the agent learned from an earlier record', () => {
    const s = newConnectState();
    mapConnectRecord(s, ramn(), 's1');
    const bare = (type: string) => ({
      AgentARN: ramn()['AgentARN'],
      EventId: `e-${type}`,
      EventTimestamp: '2019-01-21T10:00:00.000Z',
      EventType: type,
      Version: '2017-10-01',
    });
    expect(strip(mapConnectRecord(s, bare('HEART_BEAT'), 's1').events)).toEqual([
      { type: 'agent.heartbeat', agent: 'P12288098', ts: Date.parse('2019-01-21T10:00:00.000Z') },
    ]);
    expect(strip(mapConnectRecord(s, bare('LOGOUT'), 's1').events)).toEqual([
      { type: 'agent.logout', agent: 'P12288098', ts: Date.parse('2019-01-21T10:00:00.000Z') },
    ]);
    // Never seen: the ARN's agent id.
    expect(
      strip(mapConnectRecord(newConnectState(), bare('LOGOUT'), 's1').events)[0],
    ).toMatchObject({ agent: '7548134e-7c46-4898-9136-09f1b69fff53' });
  });

  it('a routing profile change in a STATE_CHANGE logs the agent in with the new queues', () => {
    const r: Rec = structuredClone(ramn());
    r['CurrentAgentSnapshot'].Configuration.RoutingProfile.InboundQueues = r[
      'CurrentAgentSnapshot'
    ].Configuration.RoutingProfile.InboundQueues.slice(0, 1);
    expect(strip(mapConnectRecord(newConnectState(), r, 's1').events).map((e) => e.type)).toEqual([
      'agent.login',
      'agent.state',
    ]);
  });

  it('"null" strings are read as null, with a warning naming where', () => {
    const out = mapConnectRecord(newConnectState(), ramn(), 's1');
    expect(out.warnings[0]).toContain('CurrentAgentSnapshot.Configuration.AgentHierarchyGroups');
    expect(queuesOf((ramn() as Rec)['CurrentAgentSnapshot'].Configuration)).not.toContain('null');
  });

  it.each([
    [
      {
        EventType: 'CONTACT_EVENT',
        EventId: 'x',
        EventTimestamp: '2019-01-21T10:00:00Z',
        AgentARN: 'arn:a/agent/1',
      },
      /EventType "CONTACT_EVENT" is not LOGIN/,
    ],
    [
      { EventType: 'LOGIN', EventId: 'x', EventTimestamp: 'yesterday', AgentARN: 'arn:a/agent/1' },
      /EventTimestamp is missing/,
    ],
    [
      { EventType: 'LOGIN', EventTimestamp: '2019-01-21T10:00:00Z', AgentARN: 'arn:a/agent/1' },
      /no EventId/,
    ],
    [
      {
        EventType: 'STATE_CHANGE',
        EventId: 'x',
        EventTimestamp: '2019-01-21T10:00:00Z',
        AgentARN: 'arn:a/agent/1',
      },
      /without CurrentAgentSnapshot/,
    ],
    [
      { EventType: 'LOGIN', EventId: 'x', EventTimestamp: '2019-01-21T10:00:00Z' },
      /names no agent/,
    ],
    [[1, 2], /not a JSON object/],
  ])('rejects %j with a reason', (rec, reason) => {
    const out = mapConnectRecord(newConnectState(), rec, 's1');
    expect(out.events).toEqual([]);
    expect('reject' in out && out.reject).toMatch(reason);
  });

  it('event ids are fixed per record, so a redelivered record is a duplicate', () => {
    const a = mapConnectRecord(newConnectState(), ramn(), 's1').events[0]?.id;
    expect(mapConnectRecord(newConnectState(), ramn(), 's1').events[0]?.id).toBe(a);
    expect(a).toMatch(/^aws-[A-Za-z0-9_-]{24}$/);
  });
});

describe('record envelopes', () => {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');
  it('reads a record, an array, Kinesis records and a Firehose request alike', () => {
    const r = ramn();
    expect(decodeRecords(r).records).toHaveLength(1);
    expect(decodeRecords([r, r]).records).toHaveLength(2);
    expect(decodeRecords({ Records: [{ kinesis: { data: b64(r) } }] }).records[0]?.value).toEqual(
      r,
    );
    expect(decodeRecords([{ Data: b64(r) }]).records[0]?.value).toEqual(r);
    const req = parseFirehoseRequest(
      Buffer.from(
        JSON.stringify({
          requestId: 'rq-1',
          timestamp: 1,
          records: [{ data: b64(r) }, { data: '@@@' }],
        }),
      ),
      {},
      1 << 20,
    );
    expect(req.requestId).toBe('rq-1');
    expect(req.decoded.records[0]?.value).toEqual(r);
    expect(req.decoded.bad).toEqual([{ index: 1, reason: 'data is not base64', raw: '@@@' }]);
    expect(firehoseReply('rq-1', 5)).toEqual({ requestId: 'rq-1', timestamp: 5 });
  });
});
