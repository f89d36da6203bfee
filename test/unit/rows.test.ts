// ClickHouse time text and dead-letter rows (rows-store.test.ts stores event
// blocks in the real engine).
import { describe, expect, it } from 'vitest';
import { toDeadLetterRow } from '../../ingest/src/pipeline/rows.js';
import { chTime } from '../../queries/sql.js';

describe('rows', () => {
  it.each([0, 1, 9, 10, 99, 100, 999])('formats %i ms past the second', (ms) => {
    const t = Date.parse('2026-11-23T12:34:56Z') + ms;
    expect(chTime(t)).toBe(new Date(t).toISOString().replace('T', ' ').slice(0, 23));
  });

  it('writes a dead letter as one JSONEachRow line with the raw text as it was', () => {
    const row = toDeadLetterRow(
      Date.parse('2026-11-23T01:02:04Z'),
      'p',
      's',
      3,
      'bad',
      'not "json"\n',
    );
    expect(row).not.toMatch(/\n/);
    expect(JSON.parse(row)).toEqual({
      received_at: '2026-11-23 01:02:04.000',
      producer: 'p',
      site: 's',
      line: 3,
      reason: 'bad',
      raw: 'not "json"\n',
    });
  });
});
