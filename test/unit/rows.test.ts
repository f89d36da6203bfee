// Rows for ClickHouse: the template-built event row is the same JSON as the plain object,
// with the raw line in it as a JSON object when it is one (rows-store.test.ts stores it).
import { describe, expect, it } from 'vitest';
import { chTimestamp, toEventRow } from '../../ingest/src/pipeline/rows.js';
import type { FwEvent } from '../../ingest/src/core/contract.js';

describe('rows', () => {
  it.each([0, 1, 9, 10, 99, 100, 999])('formats %i ms past the second', (ms) => {
    const t = Date.parse('2026-11-23T12:34:56Z') + ms;
    expect(chTimestamp(t)).toBe(new Date(t).toISOString().replace('T', ' ').slice(0, 23));
  });

  it('leaves out the fields an event does not have (the columns default them)', () => {
    const ev = { id: 'c1', ts: Date.parse('2026-11-23T01:02:03.004Z'), type: 'call.offered', site: 's', call: 'k', queue: 'q' } as FwEvent;
    expect(JSON.parse(toEventRow(ev, '{}', Date.parse('2026-11-23T01:02:04Z'), 'p', false))).toEqual({
      site: 's', id: 'c1', type: 'call.offered', ts: '2026-11-23 01:02:03.004', received_at: '2026-11-23 01:02:04.000', call: 'k', queue: 'q', producer: 'p', raw: {},
    });
  });

  it('builds a row equal to the stringified object, escaping every string', () => {
    const ev = { id: 'e"1', ts: Date.parse('2026-11-23T01:02:03.004Z'), type: 'agent.login', site: 's', agent: 'a\\1', name: '王\n芳', team: 'T', queues: ['q"1', 'q2'] } as FwEvent;
    const raw = JSON.stringify({ ...ev, ts: '2026-11-23T09:02:03.004+08:00' });
    expect(JSON.parse(toEventRow(ev, raw, Date.parse('2026-11-23T01:02:04Z'), 'p"x', true))).toEqual({
      site: 's', id: 'e"1', type: 'agent.login', ts: '2026-11-23 01:02:03.004', received_at: '2026-11-23 01:02:04.000',
      agent: 'a\\1', name: '王\n芳', team: 'T', queues: ['q"1', 'q2'],
      late: 1, producer: 'p"x', raw: JSON.parse(raw),
    });
  });

  it('puts a line that is a JSON object in as it is, and any other text as a JSON string', () => {
    const ev = { id: 'c1', ts: 0, type: 'agent.logout', site: 's', agent: 'a' } as FwEvent;
    const line = '{ "id": "c1", "x": "\\u00e9" }';
    expect(toEventRow(ev, line, 0, 'p', false).endsWith(`,"raw":${line}}`)).toBe(true);
    for (const text of [` ${line}`, `${line} `, `${line}\t`]) expect(JSON.parse(toEventRow(ev, text, 0, 'p', false)).raw).toBe(text);
  });
});
