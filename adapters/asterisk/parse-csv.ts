// queue_log rows from a CSV export with a header row. Two layouts are read:
// - Asterisk's realtime table (`time,callid,queuename,agent,event,data1..data5`, or one
//   `data` column with the fields joined by "|"), as a MySQL or PostgreSQL export writes it;
// - a vendor-normalised table seen in a commercial Asterisk PBX (`uid,date_time,callid,
//   queue_name,type,event,param1,param2,param3,entpos,expos,htime,ttime,time`), whose
//   counters moved out of the data fields: they are put back where Asterisk logs them.
import { parse } from 'csv-parse/sync';
import type { QueueLogRow } from './row.js';

export class CsvLayoutError extends Error {
  readonly code = 'csv_layout';
}

type Rec = Record<string, string>;

export function parseCsvRows(text: string): QueueLogRow[] {
  const records = parse(text, {
    columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
    skip_empty_lines: true,
    relax_column_count: true,
    info: true,
    bom: true,
  }) as { record: Rec; info: { lines: number } }[];
  if (records.length === 0) return [];
  const cols = Object.keys(records[0]?.record ?? {});
  const has = (...c: string[]) => c.every((x) => cols.includes(x));
  if (has('date_time', 'queue_name', 'type', 'event', 'param1'))
    return records.map((r) => vendorRow(r.record, r.info.lines));
  if (has('time', 'callid', 'queuename', 'agent', 'event'))
    return records.map((r) => tableRow(r.record, r.info.lines));
  throw new CsvLayoutError(
    `the CSV header (${cols.slice(0, 14).join(',')}) is neither the realtime queue_log table (time,callid,queuename,agent,event,data1..data5) nor the vendor layout (date_time,callid,queue_name,type,event,param1..)`,
  );
}

const v = (r: Rec, k: string): string => r[k] ?? '';
const nullable = (s: string): string | null => (s === '' || s === 'NULL' || s === '\\N' ? null : s);

function tableRow(r: Rec, line: number): QueueLogRow {
  const data =
    'data1' in r
      ? ['data1', 'data2', 'data3', 'data4', 'data5'].map((k) => v(r, k))
      : v(r, 'data').split('|');
  return {
    line,
    time: nullable(v(r, 'time')),
    callid: v(r, 'callid'),
    queue: v(r, 'queuename'),
    agent: v(r, 'agent'),
    event: v(r, 'event'),
    data,
  };
}

/**
 * The vendor layout, field by field (read off its rows; confirmed against Asterisk's own
 * fields for the same events): `htime` is the hold time (CONNECT, COMPLETE*, transfers) or
 * the wait (ABANDON, EXIT*), and for RINGNOANSWER the ring time in ms; `ttime` the talk time;
 * `entpos`/`expos` the entry and exit positions; `param1` the caller id on caller rows.
 */
function vendorRow(r: Rec, line: number): QueueLogRow {
  const ev = v(r, 'event');
  const [p1, p2, p3, ent, ex, ht, tt] = [
    'param1',
    'param2',
    'param3',
    'entpos',
    'expos',
    'htime',
    'ttime',
  ].map((k) => v(r, k)) as [string, string, string, string, string, string, string];
  let data: string[];
  if (ev === 'ENTERQUEUE') data = ['', p1, ent];
  else if (ev === 'CONNECT') data = [ht, p2, p3];
  else if (ev === 'COMPLETEAGENT' || ev === 'COMPLETECALLER') data = [ht, tt, ent];
  else if (ev === 'ABANDON' || ev === 'EXITWITHTIMEOUT' || ev === 'EXITEMPTY') data = [ex, ent, ht];
  else if (ev === 'RINGNOANSWER') data = [ht];
  else if (ev === 'BLINDTRANSFER' || ev === 'TRANSFER' || ev === 'ATTENDEDTRANSFER')
    data = [p2, p3, ht, tt, ent];
  else data = [p1, p2, p3];
  return {
    line,
    time: nullable(v(r, 'date_time')),
    callid: v(r, 'callid'),
    queue: v(r, 'queue_name'),
    agent: v(r, 'type'),
    event: ev,
    data,
  };
}
