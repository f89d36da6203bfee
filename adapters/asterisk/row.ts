// One queue_log row, whatever it was read from (flat file, CSV export, SQL dump), and its
// normalised text: the key its event ids are derived from.

export interface QueueLogRow {
  /** 1-based line of the source where the row starts (for messages). */
  line: number;
  /** Field 1: epoch seconds or a "YYYY-MM-DD HH:MM:SS[.ffffff]" string; null when the source has NULL. */
  time: string | null;
  callid: string;
  queue: string;
  agent: string;
  event: string;
  data: string[];
}

/**
 * The row as one text, trailing empty data fields dropped: a realtime table's row reads the
 * same from its flat-file form (`a|b|c||`) and from a SQL dump, so both give the same ids.
 */
export function rowKey(r: QueueLogRow): string {
  let n = r.data.length;
  while (n > 0 && r.data[n - 1] === '') n--;
  return [r.time ?? '', r.callid, r.queue, r.agent, r.event, ...r.data.slice(0, n)].join('|');
}

/**
 * A flat-file line (`time|callid|queue|agent|event|data...`) as a row, or null when it has
 * fewer than the five fixed fields. NUL bytes are dropped first: a file cut short by an
 * unclean shutdown can leave a run of them before the next line Asterisk writes.
 */
export function parsePipeLine(text: string, line: number): QueueLogRow | null {
  const clean = text.replace(/\u0000/g, '').replace(/\r$/, '');
  const f = clean.split('|');
  if (f.length < 5) return null;
  const [time, callid, queue, agent, event, ...data] = f as [
    string,
    string,
    string,
    string,
    string,
    ...string[],
  ];
  return {
    line,
    time: time === '' || time === 'NULL' ? null : time,
    callid,
    queue,
    agent,
    event,
    data,
  };
}
