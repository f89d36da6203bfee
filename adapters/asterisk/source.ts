// Reads a whole queue_log source into rows: the flat file, a CSV export or a SQL dump,
// told apart by their content. Blank and malformed lines are reported, not dropped silently.
import { parseCsvRows } from './parse-csv.js';
import { parseSqlRows } from './parse-sql.js';
import { parsePipeLine, type QueueLogRow } from './row.js';

export type SourceFormat = 'log' | 'csv' | 'sql';

export interface SourceRows {
  format: SourceFormat;
  rows: QueueLogRow[];
  /** Lines that are not rows, with the reason. */
  bad: { line: number; reason: string }[];
  /** Physical lines (log) or records (csv, sql) read. */
  lines: number;
}

export function detectFormat(text: string, fileName = ''): SourceFormat {
  const head = text.slice(0, 4096);
  if (/INSERT\s+INTO/i.test(head) || /^\s*--/.test(head)) return 'sql';
  const first = head.split('\n', 1)[0] ?? '';
  if (fileName.endsWith('.csv') || (!first.includes('|') && first.split(',').length >= 5))
    return 'csv';
  return 'log';
}

export function readSource(text: string, fileName = ''): SourceRows {
  const format = detectFormat(text, fileName);
  if (format === 'sql') {
    const rows = parseSqlRows(text);
    return { format, rows, bad: [], lines: rows.length };
  }
  if (format === 'csv') {
    const rows = parseCsvRows(text);
    return { format, rows, bad: [], lines: rows.length };
  }
  const rows: QueueLogRow[] = [];
  const bad: SourceRows['bad'] = [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((l, i) => {
    const r = lineToRow(l, i + 1);
    if ('reason' in r) bad.push(r);
    else rows.push(r);
  });
  return { format, rows, bad, lines: lines.length };
}

/** One flat-file line as a row, or the reason it is not one. */
export function lineToRow(
  text: string,
  line: number,
): QueueLogRow | { line: number; reason: string } {
  if (text.replace(/[\u0000\r]/g, '').trim() === '') return { line, reason: 'blank line' };
  return (
    parsePipeLine(text, line) ?? {
      line,
      reason: 'malformed line: fewer than the five fields time|callid|queue|agent|event',
    }
  );
}
