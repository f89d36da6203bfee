// Figures an Asterisk queue_log should give, counted straight from its raw lines, apart from
// the adapter's code: per queue and local day, the queue phases that ended (answered on
// CONNECT, abandoned on ABANDON / EXITWITH* / WITHDRAW), offered = both, and the mean
// CONNECT − ENTERQUEUE of answered phases. A caller's ENTERQUEUE opens a new phase unless it
// repeats the phase's own ENTERQUEUE line; a phase counts only if it had an ENTERQUEUE.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { DateTime } from 'luxon';

interface Raw {
  time: string;
  callid: string;
  queue: string;
  event: string;
  text: string;
}

function rawRows(file: string): Raw[] {
  const text = readFileSync(file, 'utf8');
  if (file.endsWith('.sql')) {
    // Each tuple: (id, 'time' or NULL, 'callid', 'queuename', 'agent', 'event', 'data1'..'data5')
    const out: Raw[] = [];
    for (const m of text.matchAll(
      /\((\d+),\s*(NULL|'[^']*'),\s*'([^']*)',\s*'([^']*)',\s*'([^']*)',\s*'([^']*)'((?:,\s*'[^']*')*)\)/g,
    )) {
      const time = m[2] === 'NULL' ? '' : (m[2] as string).slice(1, -1);
      out.push({
        time,
        callid: m[3] as string,
        queue: m[4] as string,
        event: m[6] as string,
        text: [time, m[3], m[4], m[5], m[6], m[7]].join('|'),
      });
    }
    return out;
  }
  if (file.endsWith('.csv')) {
    const recs = parse(text, { columns: true }) as Record<string, string>[];
    return recs.map((r) => ({
      time: r['date_time'] ?? '',
      callid: r['callid'] ?? '',
      queue: r['queue_name'] ?? '',
      event: r['event'] ?? '',
      text: JSON.stringify(r),
    }));
  }
  return text
    .split('\n')
    .map((l) => l.replace(/\u0000/g, ''))
    .filter((l) => l.includes('|'))
    .map((l) => {
      const f = l.split('|');
      return {
        time: f[0] ?? '',
        callid: f[1] ?? '',
        queue: f[2] ?? '',
        event: f[4] ?? '',
        text: l,
      };
    });
}

function toMs(time: string, zone: string): number | null {
  if (!time) return null;
  if (/^\d+(\.\d+)?$/.test(time)) return Number(time) * 1000;
  const dt = DateTime.fromSQL(time, { zone });
  return dt.isValid ? dt.toMillis() : null;
}

export interface DayFigures {
  offered: number;
  answered: number;
  abandoned: number;
  /** Mean wait of answered phases, seconds (null without answers). */
  asa_s: number | null;
}

const EXITS = new Set(['ABANDON', 'EXITWITHTIMEOUT', 'EXITWITHKEY', 'EXITEMPTY', 'WITHDRAW']);

/** `queue|YYYY-MM-DD` → figures. */
export function expectedFigures(file: string, zone: string): Map<string, DayFigures> {
  const phases = new Map<
    string,
    {
      queue: string;
      enterMs: number | null;
      enterText: string;
      outcome: 'answered' | 'abandoned' | null;
      endMs: number;
    }[]
  >();
  for (const r of rawRows(file)) {
    const list = phases.get(r.callid) ?? [];
    phases.set(r.callid, list);
    const ms = toMs(r.time, zone);
    const cur = list[list.length - 1];
    if (r.event === 'ENTERQUEUE') {
      if (cur && cur.enterText === r.text) continue;
      list.push({ queue: r.queue, enterMs: ms, enterText: r.text, outcome: null, endMs: 0 });
    } else if (
      (r.event === 'CONNECT' || EXITS.has(r.event)) &&
      cur &&
      cur.outcome === null &&
      ms !== null
    ) {
      cur.outcome = r.event === 'CONNECT' ? 'answered' : 'abandoned';
      cur.endMs = ms;
    }
  }
  const out = new Map<string, DayFigures & { waitSum: number }>();
  for (const list of phases.values()) {
    for (const p of list) {
      if (p.enterMs === null || p.outcome === null) continue;
      const day = DateTime.fromMillis(p.endMs, { zone }).toISODate() as string;
      const k = `${p.queue}|${day}`;
      const f = out.get(k) ?? { offered: 0, answered: 0, abandoned: 0, asa_s: null, waitSum: 0 };
      out.set(k, f);
      f.offered++;
      if (p.outcome === 'answered') {
        f.answered++;
        f.waitSum += Math.max(0, p.endMs - p.enterMs) / 1000;
      } else f.abandoned++;
    }
  }
  return new Map(
    [...out].map(([k, f]) => [
      k,
      {
        offered: f.offered,
        answered: f.answered,
        abandoned: f.abandoned,
        asa_s: f.answered ? f.waitSum / f.answered : null,
      },
    ]),
  );
}

/** The first and last local dates of the file's rows (for a report range). */
export function dateRange(file: string, zone: string): { from: string; to: string } {
  const ms = rawRows(file)
    .map((r) => toMs(r.time, zone))
    .filter((x): x is number => x !== null);
  const lo = DateTime.fromMillis(Math.min(...ms), { zone })
    .minus({ days: 1 })
    .toISODate() as string;
  const hi = DateTime.fromMillis(Math.max(...ms), { zone })
    .plus({ days: 2 })
    .toISODate() as string;
  return { from: lo, to: hi };
}
