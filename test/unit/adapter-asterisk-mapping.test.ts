// The Asterisk queue_log mapping, table-tested: every sample file in ../shared/data/queue_log
// (events by type and skipped lines by reason, checked against the counts SOURCES.md gives),
// then row by row for each rule (re-entry, exits, transfers, missed rings, agent names).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentId, stripInterface } from '../../adapters/asterisk/agent-name.js';
import { mapRow } from '../../adapters/asterisk/mapping.js';
import { parsePipeLine } from '../../adapters/asterisk/row.js';
import { readSource } from '../../adapters/asterisk/source.js';
import { newState } from '../../adapters/asterisk/state.js';
import { parseQueueLogTime } from '../../adapters/asterisk/time.js';
import { validateEvent } from '../../ingest/src/core/contract.js';
import { ROOT } from '../helpers/server.js';

const DATA = path.resolve(ROOT, '../shared/data/queue_log');
const OPTS = { site: 's1', timezone: 'UTC', aliases: new Map([['Agent 1', '1000']]) };
const SYSTEM = (e: string) => `${e}: a system event, not a call or agent event`;
const CUSTOM = (e: string) => `${e}: not a queue_log event Floorwatch maps (custom or unknown)`;
const OUT = (e: string) => `${e}: a vendor outbound-call event, not a queue call`;

const TABLE: Record<
  string,
  { types: Record<string, number>; skipped: Record<string, number>; bad?: number }
> = {
  'asterisk2slack_fixture.log': {
    types: {
      'call.offered': 2,
      'agent.ring_no_answer': 3,
      'call.answered': 3,
      'agent.state': 6,
      'call.ended': 3,
    },
    skipped: {
      [CUSTOM('DID')]: 1,
      'repeated line (the same ENTERQUEUE again)': 6,
      'COMPLETEAGENT for a call already ended': 3,
    },
    bad: 2,
  },
  'malariapbx_2023.log': {
    types: {
      'call.offered': 8,
      'call.answered': 2,
      'agent.state': 4,
      'call.ended': 2,
      'agent.ring_no_answer': 2,
      'call.abandoned': 6,
    },
    skipped: {
      [SYSTEM('CONFIGRELOAD')]: 46,
      [SYSTEM('QUEUESTART')]: 18,
      'RINGCANCELED: the caller hung up while the agent rang (not a missed ring)': 1,
    },
  },
  'synk_bug_freepbx.log': {
    types: {
      'call.offered': 2,
      'call.abandoned': 2,
      'agent.login': 7,
      'agent.state': 21,
      'agent.logout': 7,
    },
    skipped: { [SYSTEM('CONFIGRELOAD')]: 142, [SYSTEM('QUEUESTART')]: 28, [CUSTOM('DID')]: 2 },
  },
  // SOURCES.md: CONFIGRELOAD 77, RINGING 60, RINGNOANSWER 53, ENTERQUEUE 38, CONNECT 26, ADDMEMBER 23,
  // COMPLETEAGENT 16, QUEUESTART 13, ABANDON 13 (one with a NULL time), COMPLETECALLER 10, REMOVEMEMBER 7.
  't_report_2013.log': {
    types: {
      'call.offered': 38,
      'call.abandoned': 12,
      'agent.login': 26,
      'agent.state': 78,
      'call.answered': 26,
      'call.ended': 26,
      'agent.logout': 4,
      'agent.ring_no_answer': 53,
    },
    skipped: {
      [SYSTEM('CONFIGRELOAD')]: 77,
      [SYSTEM('QUEUESTART')]: 13,
      [CUSTOM('RINGING')]: 60,
      'no time (NULL in the time column)': 1,
    },
  },
  // SOURCES.md: RINGNOANSWER 360, OUTDIAL 128, ENTERQUEUE 108, CONNECT 93, OUTANSWER 77, COMPLETEAGENT 51, COMPLETECALLER 38,
  // ADDMEMBER 26, OUTCANCEL 24, OUTCHANUNAVAIL 18, AGENTCALLBACKLOGIN 14, ABANDON 12, CONFIGRELOAD 11, REMOVEMEMBER 10,
  // AGENTCALLBACKLOGOFF 10, OUTCONGESTION 9, QUEUESTART 7, OUTTRANSFER 1, ATTENDEDTRANSFER 1, EXITWITHTIMEOUT 1, BLINDTRANSFER 1.
  'voipreports1_queue_log.csv': {
    types: {
      'agent.login': 40,
      'agent.state': 224,
      'call.offered': 108,
      'agent.ring_no_answer': 360,
      'call.answered': 93,
      'call.ended': 91,
      'agent.logout': 20,
      'call.transferred': 2,
      'call.abandoned': 13,
    },
    skipped: {
      [SYSTEM('QUEUESTART')]: 7,
      [SYSTEM('CONFIGRELOAD')]: 11,
      [OUT('OUTDIAL')]: 128,
      [OUT('OUTCANCEL')]: 24,
      [OUT('OUTANSWER')]: 77,
      [OUT('OUTCHANUNAVAIL')]: 18,
      [OUT('OUTTRANSFER')]: 1,
      [OUT('OUTCONGESTION')]: 9,
    },
  },
};
// The dumps give exactly what their flat-file forms give.
TABLE['malariapbx_2023.verbatim.sql'] = TABLE['malariapbx_2023.log'] as (typeof TABLE)[string];
TABLE['t_report_2013.verbatim.sql'] = TABLE['t_report_2013.log'] as (typeof TABLE)[string];

const now = Date.parse('2026-12-07T00:00:00Z');
const contract = { maxFutureSkewMs: 300_000, maxPastMs: 36500 * 86_400_000 };

describe('asterisk mapping over every sample file', () => {
  it('has a table row for every sample file', () => {
    expect(
      readdirSync(DATA)
        .filter((f) => !f.endsWith('.md'))
        .sort(),
    ).toEqual(Object.keys(TABLE).sort());
  });

  it.each(Object.keys(TABLE))('%s', (file) => {
    const src = readSource(readFileSync(path.join(DATA, file), 'utf8'), file);
    const s = newState();
    const types: Record<string, number> = {};
    const skipped: Record<string, number> = {};
    const ids = new Set<string>();
    for (const row of src.rows) {
      const copy = structuredClone(row);
      const out = mapRow(s, row, OPTS);
      expect(row).toEqual(copy);
      if ('skip' in out) skipped[out.skip] = (skipped[out.skip] ?? 0) + 1;
      for (const e of out.events) {
        types[e.type] = (types[e.type] ?? 0) + 1;
        // Every event passes the contract as ingest checks it, and ids are unique.
        expect(validateEvent(JSON.parse(JSON.stringify(e)), now, contract)).toMatchObject({
          ok: true,
        });
        expect(ids.has(e.id)).toBe(false);
        ids.add(e.id);
      }
    }
    const want = TABLE[file] as (typeof TABLE)[string];
    expect(types).toEqual(want.types);
    expect(skipped).toEqual(want.skipped);
    expect(src.bad.length).toBe(want.bad ?? 0);
  });
});

/** Maps lines in order from a fresh state; returns each line's outcome. */
function run(lines: string[], opts = OPTS) {
  const s = newState();
  return lines.map((l, i) =>
    mapRow(s, parsePipeLine(l, i + 1) as NonNullable<ReturnType<typeof parsePipeLine>>, opts),
  );
}
const evs = (o: ReturnType<typeof run>[number]) =>
  o.events.map(({ id: _id, site: _site, ...e }) => e);

describe('asterisk mapping rules', () => {
  it('a caller who leaves one queue and enters another starts a new phase, callid#2', () => {
    // t_report_2013: 1375170738.38 is answered in Billing, then enters Technical.
    const out = run([
      '1375170790|1375170738.38|Billing|NONE|ENTERQUEUE|subq|552|1',
      '1375170823|1375170738.38|Billing|SIP/333|CONNECT|36|1375170819.40|3',
      '1375170915|1375170738.38|Billing|SIP/333|COMPLETECALLER|36|92|1',
      '1375170918|1375170738.38|Technical|NONE|ENTERQUEUE|subq|552|1',
      '1375170926|1375170738.38|Technical|SIP/551|CONNECT|11|1375170918.41|7',
    ]);
    expect(evs(out[0] as ReturnType<typeof run>[number])).toEqual([
      { type: 'call.offered', call: '1375170738.38', queue: 'Billing', ts: 1375170790000 },
    ]);
    expect(evs(out[3] as ReturnType<typeof run>[number])).toEqual([
      { type: 'call.offered', call: '1375170738.38#2', queue: 'Technical', ts: 1375170918000 },
    ]);
    expect(evs(out[4] as ReturnType<typeof run>[number])[0]).toEqual({
      type: 'call.answered',
      call: '1375170738.38#2',
      queue: 'Technical',
      agent: '551',
      ts: 1375170926000,
    });
  });

  it.each([
    ['ABANDON', {}],
    ['EXITWITHTIMEOUT', { reason: 'timeout' }],
    ['EXITEMPTY', { reason: 'empty' }],
  ])('%s is call.abandoned at its own time', (event, extra) => {
    const out = run([
      '1677019401|c9|Support|NONE|ENTERQUEUE||400|1',
      `1677019421|c9|Support|NONE|${event}|1|1|20`,
    ]);
    expect(evs(out[1] as ReturnType<typeof run>[number])).toEqual([
      { type: 'call.abandoned', call: 'c9', queue: 'Support', ts: 1677019421000, ...extra },
    ]);
  });

  it('EXITWITHKEY keeps the key as the reason "key"', () => {
    const out = run([
      '100000000|c1|q|NONE|ENTERQUEUE||1|1',
      '100000009|c1|q|NONE|EXITWITHKEY|5|1|1|9',
    ]);
    expect(evs(out[1] as ReturnType<typeof run>[number])).toEqual([
      { type: 'call.abandoned', call: 'c1', queue: 'q', reason: 'key', ts: 100000009000 },
    ]);
  });

  it('an exit after the answer is skipped (a stray ABANDON after COMPLETEAGENT)', () => {
    const out = run([
      '100000000|c1|q|NONE|ENTERQUEUE||1|1',
      '100000005|c1|q|SIP/1|CONNECT|5|x|1',
      '100000050|c1|q|SIP/1|COMPLETEAGENT|5|45|1',
      '100000050|c1|q|SIP/1|ABANDON|||',
    ]);
    expect(out[3]).toEqual({ events: [], skip: 'ABANDON after the call was answered' });
  });

  it('CONNECT is call.answered at the CONNECT row, not back-dated by its hold time', () => {
    const out = run([
      '100000000|c1|q|NONE|ENTERQUEUE||1|1',
      '100000012|c1|q|Local/551@from-queue/n|CONNECT|15|x|1',
    ]);
    expect(evs(out[1] as ReturnType<typeof run>[number])).toEqual([
      { type: 'call.answered', call: 'c1', queue: 'q', agent: '551', ts: 100000012000 },
      { type: 'agent.state', agent: '551', state: 'talking', ts: 100000012000 },
    ]);
  });

  it.each([
    'BLINDTRANSFER|502|from-internal|10|60|1',
    'ATTENDEDTRANSFER|BRIDGE|1375.9|10|60|1',
    'ATTENDEDTRANSFER|LINK|SIP/1-0001|SIP/2-0002|10|60|1',
    'TRANSFER|502|from-internal|10|60',
  ])('%s ends the call for the agent as well as transferring it', (rest) => {
    const out = run([
      '100000000|c1|q|NONE|ENTERQUEUE||1|1',
      '100000005|c1|q|SIP/1|CONNECT|5|x|1',
      `100000065|c1|q|SIP/1|${rest}`,
    ]);
    const types = evs(out[2] as ReturnType<typeof run>[number]).map((e) => e.type);
    expect(types).toEqual(['call.transferred', 'call.ended', 'agent.state']);
  });

  it('a blind transfer to a queue seen in the log names it as to_queue; to an extension as to_agent', () => {
    const out = run([
      '100000000|c2|sales|NONE|ENTERQUEUE||1|1',
      '100000001|c1|q|NONE|ENTERQUEUE||1|1',
      '100000005|c1|q|SIP/1|CONNECT|5|x|1',
      '100000065|c1|q|SIP/1|BLINDTRANSFER|sales|ext-queues|5|60|1',
    ]);
    expect(evs(out[3] as ReturnType<typeof run>[number])[0]).toEqual({
      type: 'call.transferred',
      call: 'c1',
      queue: 'q',
      to_queue: 'sales',
      ts: 100000065000,
    });
    const out2 = run([
      '100000001|c1|q|NONE|ENTERQUEUE||1|1',
      '100000005|c1|q|SIP/1|CONNECT|5|x|1',
      '100000065|c1|q|SIP/1|BLINDTRANSFER|1142|from-internal|5|60|1',
    ]);
    expect(evs(out2[2] as ReturnType<typeof run>[number])[0]).toMatchObject({ to_agent: '1142' });
  });

  it('RINGNOANSWER is a missed ring with its ring time; RINGNOANSWER|0 (not reachable) carries 0; the call is untouched', () => {
    const out = run([
      '100000000|c1|q|NONE|ENTERQUEUE||1|1',
      '100000015|c1|q|SIP/551|RINGNOANSWER|15000',
      '100000015|c1|q|John Rembold|RINGNOANSWER|0',
      '100000020|c1|q|SIP/552|CONNECT|20|x|5',
    ]);
    expect(evs(out[1] as ReturnType<typeof run>[number])).toEqual([
      { type: 'agent.ring_no_answer', agent: '551', queue: 'q', ring_ms: 15000, ts: 100000015000 },
    ]);
    expect(evs(out[2] as ReturnType<typeof run>[number])).toEqual([
      {
        type: 'agent.ring_no_answer',
        agent: 'John Rembold',
        queue: 'q',
        ring_ms: 0,
        ts: 100000015001,
      },
    ]);
    expect(evs(out[3] as ReturnType<typeof run>[number])[0]).toMatchObject({
      type: 'call.answered',
      call: 'c1',
    });
  });

  it('members log in per queue, pause with a reason, and log out when their last queue is gone', () => {
    const out = run([
      '100000000|MANAGER|500|SIP/1000|ADDMEMBER|',
      '100000000|MANAGER|501|SIP/1000|ADDMEMBER|PAUSED',
      '100000001|NONE|NONE|SIP/1000|PAUSEALL|Lunch',
      '100000002|NONE|NONE|Agent 1|UNPAUSEALL|',
      '100000003|MANAGER|500|SIP/1000|REMOVEMEMBER|',
      '100000004|MANAGER|501|SIP/1000|REMOVEMEMBER|',
    ]);
    expect(out.map((o) => evs(o))).toEqual([
      [
        { type: 'agent.login', agent: '1000', queues: ['500'], ts: 100000000000 },
        { type: 'agent.state', agent: '1000', state: 'ready', ts: 100000000000 },
      ],
      [
        { type: 'agent.login', agent: '1000', queues: ['500', '501'], ts: 100000000001 },
        { type: 'agent.state', agent: '1000', state: 'not_ready', ts: 100000000001 },
      ],
      [
        {
          type: 'agent.state',
          agent: '1000',
          state: 'not_ready',
          reason: 'Lunch',
          ts: 100000001000,
        },
      ],
      [{ type: 'agent.state', agent: '1000', state: 'ready', ts: 100000002000 }],
      [
        { type: 'agent.login', agent: '1000', queues: ['501'], ts: 100000003000 },
        { type: 'agent.state', agent: '1000', state: 'ready', ts: 100000003000 },
      ],
      [{ type: 'agent.logout', agent: '1000', ts: 100000004000 }],
    ]);
  });

  it('rows of the same second keep their order: each later one is 1 ms on, and ids of one row sort in emit order', () => {
    const out = run([
      '100000000|MANAGER|500|SIP/1000|ADDMEMBER|',
      '100000000|NONE|NONE|SIP/1000|UNPAUSEALL|',
    ]);
    const [a, b] = [out[0]?.events ?? [], out[1]?.events ?? []];
    expect(a.map((e) => e.ts)).toEqual([100000000000, 100000000000]);
    expect((a[0]?.id ?? '') < (a[1]?.id ?? '')).toBe(true);
    expect(b[0]?.ts).toBe(100000000001);
  });

  it('event ids come from the row: the same row maps to the same id; another row to another', () => {
    const a = run(['100000000|c1|q|NONE|ENTERQUEUE||1|1'])[0]?.events[0]?.id;
    const b = run(['100000000|c1|q|NONE|ENTERQUEUE||1|1||'])[0]?.events[0]?.id;
    const c = run(['100000001|c1|q|NONE|ENTERQUEUE||1|1'])[0]?.events[0]?.id;
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a).toMatch(/^ast-[A-Za-z0-9_-]{24}$/);
  });

  it('a line that starts with NUL bytes (a file cut by an unclean shutdown) still reads', () => {
    expect(parsePipeLine('\u0000\u0000\u00001665492726|NONE|NONE|NONE|QUEUESTART|', 120)).toEqual({
      line: 120,
      time: '1665492726',
      callid: 'NONE',
      queue: 'NONE',
      agent: 'NONE',
      event: 'QUEUESTART',
      data: [''],
    });
  });
});

describe('queue_log times and agent names', () => {
  it.each([
    ['1366720340', 'UTC', 1366720340000],
    ['2013-07-23 16:13:29.464232', 'Asia/Kolkata', Date.parse('2013-07-23T16:13:29.464+05:30')],
    ['2023-02-05 00:09:13', 'UTC', Date.parse('2023-02-05T00:09:13Z')],
    ['2023-02-05 00:09', 'UTC', null],
    ['yesterday', 'UTC', null],
  ])('%s in %s', (text, zone, ms) => {
    expect(parseQueueLogTime(text, zone)).toBe(ms);
  });

  it.each([
    ['Local/551@from-queue/n', '551'],
    ['SIP/551', '551'],
    ['PJSIP/400', '400'],
    ['Agent/1127', '1127'],
    ['LOCAL/551@default/n,0,551,hint:5', '551'],
    ['Local/1127@callback-agent', '1127'],
    ['Paty Marin', 'Paty Marin'],
    ['Agent 1', 'Agent 1'],
  ])('%s strips to %s', (raw, id) => {
    expect(stripInterface(raw)).toBe(id);
  });

  it('an alias maps a logged name or its stripped id to one agent', () => {
    const aliases = new Map([
      ['Agent 1', '1000'],
      ['551', 'maria'],
    ]);
    expect(agentId('Agent 1', aliases)).toBe('1000');
    expect(agentId('SIP/551', aliases)).toBe('maria');
    expect(agentId('NONE', aliases)).toBeNull();
  });
});
