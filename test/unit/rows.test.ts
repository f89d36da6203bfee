// Rows for ClickHouse: an event row is one TabSeparated line with the columns of
// EVENT_COLUMNS, every string escaped so that ClickHouse reads back exactly the value
// (rows-store.test.ts stores them in the real engine).
import { describe, expect, it } from 'vitest';
import { EVENT_COLUMNS, chTimestamp, toEventRow, tsvField } from '../../ingest/src/pipeline/rows.js';
import type { FwEvent } from '../../ingest/src/core/contract.js';

/** Reads a TabSeparated field back the way ClickHouse's escaped reader does. */
function unescape(field: string): string {
  const map: Record<string, string> = { '\\': '\\', t: '\t', n: '\n', r: '\r', "'": "'" };
  return field.replace(/\\(.)/g, (_m, c: string) => {
    const v = map[c];
    if (v === undefined) throw new Error(`unexpected escape \\${c}`);
    return v;
  });
}

/** The row as column → field, checking it has exactly one field per column. */
function fields(row: string): Record<string, string> {
  expect(row).not.toMatch(/[\n\r]/);
  const parts = row.split('\t');
  expect(parts).toHaveLength(EVENT_COLUMNS.length);
  return Object.fromEntries(EVENT_COLUMNS.map((c, i) => [c, parts[i] as string]));
}

describe('rows', () => {
  it.each([0, 1, 9, 10, 99, 100, 999])('formats %i ms past the second', (ms) => {
    const t = Date.parse('2026-11-23T12:34:56Z') + ms;
    expect(chTimestamp(t)).toBe(new Date(t).toISOString().replace('T', ' ').slice(0, 23));
  });

  it('writes the columns\' defaults for the fields an event does not have', () => {
    const ev = { id: 'c1', ts: Date.parse('2026-11-23T01:02:03.004Z'), type: 'call.offered', site: 's', call: 'k', queue: 'q' } as FwEvent;
    expect(fields(toEventRow(ev, '{}', Date.parse('2026-11-23T01:02:04Z'), 'p', false))).toEqual({
      site: 's', id: 'c1', type: 'call.offered', ts: '2026-11-23 01:02:03.004', received_at: '2026-11-23 01:02:04.000',
      agent: '', name: '', team: '', queues: '[]', state: '', reason: '', call: 'k', queue: 'q', to_queue: '', to_agent: '',
      late: '0', producer: 'p', raw: '{}',
    });
  });

  it('escapes every string so that it reads back as it was', () => {
    const tricky = ['a\\1', '王\n芳', 'tab\there', 'cr\rlf', '\\N', 'end\\', "it's", '😀 "q"'];
    for (const s of tricky) {
      expect(tsvField(s)).not.toMatch(/[\t\n\r]/);
      expect(unescape(tsvField(s))).toBe(s);
    }
    expect(tsvField('\\N')).toBe('\\\\N'); // never the NULL marker
    const ev = { id: 'e"1', ts: Date.parse('2026-11-23T01:02:03.004Z'), type: 'agent.login', site: 's', agent: 'a\\1', name: '王\n芳', team: 'T\t1', queues: ["q'1", 'q\\2', 'q3'] } as FwEvent;
    const raw = JSON.stringify({ ...ev, ts: '2026-11-23T09:02:03.004+08:00' });
    const f = fields(toEventRow(ev, raw, Date.parse('2026-11-23T01:02:04Z'), 'p\tx', true));
    expect({ agent: unescape(f['agent'] as string), name: unescape(f['name'] as string), team: unescape(f['team'] as string), producer: unescape(f['producer'] as string), raw: unescape(f['raw'] as string) }).toEqual({
      agent: 'a\\1', name: '王\n芳', team: 'T\t1', producer: 'p\tx', raw,
    });
    expect(f['late']).toBe('1');
    // An array is written quoted: ['a','b'], with quotes and backslashes escaped.
    expect(f['queues']).toBe("['q\\'1','q\\\\2','q3']");
  });

  it('puts a raw line with nothing to escape in as it is, without copying it', () => {
    const ev = { id: 'c1', ts: 0, type: 'agent.logout', site: 's', agent: 'a' } as FwEvent;
    const line = '{ "id": "c1", "x": "é" }';
    expect(toEventRow(ev, line, 0, 'p', false).endsWith(`\tp\t${line}`)).toBe(true);
    expect(tsvField(line)).toBe(line);
  });
});
