// queue_log rows from a SQL dump of the realtime table (mysqldump or phpMyAdmin): the
// values of each `INSERT INTO ... queue_log ... VALUES (...), (...);`. Columns come from the
// statement's column list when it has one, else from the table's usual order (with or
// without the leading `id`). Strings may use backslash escapes or doubled quotes; NULL is null.
import type { QueueLogRow } from './row.js';

export class SqlDumpError extends Error {
  readonly code = 'sql_dump';
}

const DEFAULT_COLS = [
  'time',
  'callid',
  'queuename',
  'agent',
  'event',
  'data1',
  'data2',
  'data3',
  'data4',
  'data5',
];
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '0': '\u0000', Z: '\u001a' };

export function parseSqlRows(text: string): QueueLogRow[] {
  const rows: QueueLogRow[] = [];
  const insert = /INSERT\s+INTO\s+[`"]?(\w+)[`"]?\s*(\(([^)]*)\))?\s*VALUES\s*/gi;
  let m: RegExpExecArray | null;
  while ((m = insert.exec(text))) {
    if (!/queue_log/i.test(m[1] ?? '')) continue;
    const named = m[3]?.split(',').map((c) => c.trim().replace(/[`"]/g, '').toLowerCase());
    let i = insert.lastIndex;
    for (;;) {
      while (i < text.length && /\s|,/.test(text[i] as string)) i++;
      if (text[i] !== '(') break;
      const start = i;
      const { values, end } = tuple(text, i);
      rows.push(toRow(values, named, lineAt(text, start)));
      i = end;
    }
    insert.lastIndex = i;
  }
  return rows;
}

/** Reads one parenthesised tuple from `(`; returns its values and the index after `)`. */
function tuple(text: string, open: number): { values: (string | null)[]; end: number } {
  const values: (string | null)[] = [];
  let i = open + 1;
  for (;;) {
    while (/\s/.test(text[i] ?? '')) i++;
    const c = text[i];
    if (c === undefined)
      throw new SqlDumpError(`a VALUES tuple at line ${lineAt(text, open)} is not closed`);
    if (c === "'") {
      let s = '';
      i++;
      for (;;) {
        const d = text[i];
        if (d === undefined)
          throw new SqlDumpError(`a string at line ${lineAt(text, open)} is not closed`);
        if (d === '\\') {
          const e = text[i + 1] ?? '';
          s += ESCAPES[e] ?? e;
          i += 2;
        } else if (d === "'" && text[i + 1] === "'") {
          s += "'";
          i += 2;
        } else if (d === "'") {
          i++;
          break;
        } else {
          s += d;
          i++;
        }
      }
      values.push(s);
    } else {
      let j = i;
      while (j < text.length && text[j] !== ',' && text[j] !== ')') j++;
      const raw = text.slice(i, j).trim();
      values.push(/^null$/i.test(raw) ? null : raw);
      i = j;
    }
    while (/\s/.test(text[i] ?? '')) i++;
    if (text[i] === ',') i++;
    else if (text[i] === ')') return { values, end: i + 1 };
    else
      throw new SqlDumpError(
        `unexpected "${String(text[i]).slice(0, 1)}" in a VALUES tuple at line ${lineAt(text, open)}`,
      );
  }
}

function toRow(values: (string | null)[], named: string[] | undefined, line: number): QueueLogRow {
  const cols =
    named ??
    (values.length === 11 ? ['id', ...DEFAULT_COLS] : values.length === 10 ? DEFAULT_COLS : null);
  if (!cols || cols.length !== values.length)
    throw new SqlDumpError(
      `a VALUES tuple at line ${line} has ${values.length} values; expected the queue_log columns (time, callid, queuename, agent, event, data1..data5)`,
    );
  const get = (k: string): string | null => {
    const at = cols.indexOf(k);
    return at < 0 ? null : (values[at] ?? null);
  };
  const data = cols.includes('data1')
    ? ['data1', 'data2', 'data3', 'data4', 'data5'].map((k) => get(k) ?? '')
    : (get('data') ?? '').split('|');
  return {
    line,
    time: get('time'),
    callid: get('callid') ?? '',
    queue: get('queuename') ?? '',
    agent: get('agent') ?? '',
    event: get('event') ?? '',
    data,
  };
}

function lineAt(text: string, index: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
