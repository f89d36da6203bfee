// Roster upload parsing and validation (排班): CSV with a header row or a JSON array of row
// objects, one row per segment (agent, team, start, end, activity). Every bad row gets its
// own error with its row number; the caller rejects the whole upload if there is any.
import { parse as parseCsv } from 'csv-parse/sync';
import type { RosterSegment } from '../modules.js';
import type { SiteConfig } from '../site-config.js';
import { operatingDay, parseRosterTime } from './time.js';

export interface RowError {
  /** 1-based data row (the header is not counted). */
  row: number;
  /** CSV only: the line in the file. */
  line?: number;
  field?: string;
  error: string;
}

export interface RosterParse {
  segments: RosterSegment[];
  /** The agent-days this upload replaces (each agent-day present in it). */
  agentDays: { agent: string; day: string }[];
  errors: RowError[];
  /** The 1-based data row of each segment (same order as `segments`). */
  rows: number[];
}

export class RosterFormatError extends Error {
  readonly code = 'roster_format';
}

// 250k rows: 20,000 agents with ~6 segments a day for two days, with headroom. Bounds
// the memory one upload can take.
export const MAX_ROSTER_ROWS = 250_000;
// Segments of one agent less than an hour apart form one shift, and a shift belongs to
// the operating day it starts in: 22:00-02:00 work, 02:00-02:30 break, 02:30-06:00 work is
// one night shift of the first day. An hour is longer than any unscheduled gap inside a
// shift and far shorter than the rest between two shifts.
export const SHIFT_GAP_MS = 3_600_000;
// A segment longer than 24 h is a data error (a shift typed with the wrong date), not a shift.
export const MAX_SEGMENT_MS = 24 * 3_600_000;
const KEY_MAX = 64;
const FIELDS = ['agent', 'team', 'start', 'end', 'activity'] as const;

interface RawRow {
  row: number;
  line?: number;
  value: unknown;
}

function readRows(body: Buffer, contentType: string): RawRow[] {
  const text = body.toString('utf8');
  const isCsv =
    /text\/csv|application\/csv/i.test(contentType) ||
    (!/json/i.test(contentType) && !/^\s*[[{]/.test(text));
  if (isCsv) {
    let recs: { record: Record<string, string>; info: { lines: number } }[];
    try {
      recs = parseCsv(text, {
        columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
        skip_empty_lines: true,
        trim: true,
        bom: true,
        info: true,
      });
    } catch (e) {
      throw new RosterFormatError(`the CSV cannot be read: ${(e as Error).message}`, { cause: e });
    }
    if (recs.length > MAX_ROSTER_ROWS)
      throw new RosterFormatError(
        `an upload may hold at most ${MAX_ROSTER_ROWS} rows, got ${recs.length}`,
      );
    return recs.map((r, i) => ({ row: i + 1, line: r.info.lines, value: r.record }));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new RosterFormatError(
      `the body is neither CSV (send Content-Type: text/csv) nor valid JSON: ${(e as Error).message}`,
      { cause: e },
    );
  }
  if (!Array.isArray(json))
    throw new RosterFormatError(
      'a JSON roster must be an array of row objects {agent, team, start, end, activity}',
    );
  if (json.length > MAX_ROSTER_ROWS)
    throw new RosterFormatError(
      `an upload may hold at most ${MAX_ROSTER_ROWS} rows, got ${json.length}`,
    );
  return json.map((value, i) => ({ row: i + 1, value }));
}

function key(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const s = v.trim();
  return s.length >= 1 && s.length <= KEY_MAX && !/[\u0000-\u001f]/.test(s) ? s : null;
}

/**
 * Parses and validates a roster for `cfg.site`. Checks per row: missing fields, bad times,
 * end not after start, unknown activity; across rows: overlapping segments of one agent
 * and one agent with two teams on one day. Shifts crossing midnight belong to the operating
 * day they start in.
 */
export function parseRoster(body: Buffer, contentType: string, cfg: SiteConfig): RosterParse {
  const rows = readRows(body, contentType);
  const errors: RowError[] = [];
  const segments: RosterSegment[] = [];
  const rowOf: number[] = [];
  const lineOf = new Map<number, number>();
  const acts = new Set(cfg.workforce.activities);
  // Rosters repeat the same few hundred times across thousands of agents, and luxon's zone
  // arithmetic is dear per call, so each distinct string and start is converted once: an
  // upload's time grows with its distinct times, not its rows.
  const times = new Map<string, ReturnType<typeof parseRosterTime>>();
  const time = (v: unknown) => {
    if (typeof v !== 'string') return parseRosterTime(v, cfg.timezone);
    let t = times.get(v);
    if (!t) times.set(v, (t = parseRosterTime(v, cfg.timezone)));
    return t;
  };
  const days = new Map<number, string>();
  const dayOf = (ms: number) => {
    let d = days.get(ms);
    if (d === undefined) days.set(ms, (d = operatingDay(ms, cfg.timezone, cfg.day_start)));
    return d;
  };
  for (const r of rows) {
    const err = (field: string | undefined, error: string) =>
      errors.push({
        row: r.row,
        ...(r.line !== undefined ? { line: r.line } : {}),
        ...(field ? { field } : {}),
        error,
      });
    if (r.line !== undefined) lineOf.set(r.row, r.line);
    if (typeof r.value !== 'object' || r.value === null || Array.isArray(r.value)) {
      err(undefined, 'each row must be an object with agent, team, start, end, activity');
      continue;
    }
    const v = r.value as Record<string, unknown>;
    const before = errors.length;
    for (const f of FIELDS)
      if (v[f] === undefined || v[f] === null || v[f] === '') err(f, `missing field "${f}"`);
    if (errors.length > before) continue;
    const agent = key(v['agent']);
    const team = key(v['team']);
    if (!agent) err('agent', `"agent" must be 1 to ${KEY_MAX} characters`);
    if (!team) err('team', `"team" must be 1 to ${KEY_MAX} characters`);
    const activity = typeof v['activity'] === 'string' ? v['activity'].trim() : '';
    if (!acts.has(activity))
      err(
        'activity',
        `unknown activity "${String(v['activity']).slice(0, 40)}" (known: ${[...acts].join(', ')})`,
      );
    const s = time(v['start']);
    const e = time(v['end']);
    if (!s.ok) err('start', `"start" ${s.error}`);
    if (!e.ok) err('end', `"end" ${e.error}`);
    if (s.ok && e.ok) {
      if (e.ms <= s.ms) err('end', '"end" must be after "start"');
      else if (e.ms - s.ms > MAX_SEGMENT_MS) err('end', 'a segment may be at most 24 hours long');
    }
    if (errors.length > before || !agent || !team || !s.ok || !e.ok) continue;
    segments.push({ agent, team, start: s.ms, end: e.ms, activity, day: dayOf(s.ms) });
    rowOf.push(r.row);
  }
  crossChecks(segments, rowOf, lineOf, errors);
  errors.sort((a, b) => a.row - b.row);
  const seen = new Set<string>();
  const agentDays: { agent: string; day: string }[] = [];
  for (const s of segments) {
    const k = `${s.agent}\u0000${s.day}`;
    if (!seen.has(k)) {
      seen.add(k);
      agentDays.push({ agent: s.agent, day: s.day });
    }
  }
  return { segments, agentDays, errors, rows: rowOf };
}

/** Overlaps within one agent, and one team per agent-day. */
function crossChecks(
  segments: RosterSegment[],
  rowOf: number[],
  lineOf: Map<number, number>,
  errors: RowError[],
): void {
  const byAgent = new Map<string, number[]>();
  segments.forEach((s, i) => {
    const l = byAgent.get(s.agent);
    if (l) l.push(i);
    else byAgent.set(s.agent, [i]);
  });
  const push = (row: number, field: string, error: string) => {
    const line = lineOf.get(row);
    errors.push({ row, ...(line !== undefined ? { line } : {}), field, error });
  };
  for (const idx of byAgent.values()) {
    idx.sort((a, b) => (segments[a] as RosterSegment).start - (segments[b] as RosterSegment).start);
    let prev: number | undefined;
    let shiftDay = '';
    const teamOfDay = new Map<string, { team: string; row: number }>();
    for (const i of idx) {
      const s = segments[i] as RosterSegment;
      const row = rowOf[i] as number;
      if (prev !== undefined) {
        const p = segments[prev] as RosterSegment;
        if (s.start < p.end)
          push(row, 'start', `segment overlaps row ${rowOf[prev]} of agent "${s.agent}"`);
      }
      if (prev === undefined || s.start - (segments[prev] as RosterSegment).end > SHIFT_GAP_MS)
        shiftDay = s.day;
      else s.day = shiftDay;
      if (prev === undefined || s.end > (segments[prev] as RosterSegment).end) prev = i;
      const t = teamOfDay.get(s.day);
      if (!t) teamOfDay.set(s.day, { team: s.team, row });
      else if (t.team !== s.team)
        push(
          row,
          'team',
          `agent "${s.agent}" is in team "${t.team}" on row ${t.row} of the same day ${s.day}`,
        );
    }
  }
}
