// Excused time (问题时长): spans a team lead records when an agent could not be logged in
// for a reason that is not theirs (a system fault). Validated here; the spans of one agent
// never overlap, so the SQL reports and the live engine can subtract them without merging.
import type { ExcusedSpan } from '../modules.js';
import type { SiteConfig } from '../site-config.js';
import type { RowError } from './roster-parse.js';
import { parseRosterTime } from './time.js';

export const MAX_EXCUSED_ROWS = 10_000;
const TEXT_MAX = 256;

export interface ExcusedParse {
  spans: ExcusedSpan[];
  errors: RowError[];
}

function text(v: unknown, max: number): string | null {
  if (typeof v !== 'string') return null;
  const s = v.trim();
  return s.length >= 1 && s.length <= max ? s : null;
}

/**
 * Validates one object or an array of {agent, start, end, reason, entered_by}. `ids`
 * names each accepted span (the adapter makes unique ids; the core has no randomness).
 * Spans of one agent may not overlap each other nor `existing` spans.
 */
export function parseExcused(
  value: unknown,
  cfg: SiteConfig,
  now: number,
  ids: (i: number) => string,
  existing: readonly ExcusedSpan[] = [],
): ExcusedParse {
  const rows = Array.isArray(value) ? value : [value];
  const errors: RowError[] = [];
  const spans: ExcusedSpan[] = [];
  if (rows.length > MAX_EXCUSED_ROWS)
    return {
      spans,
      errors: [
        { row: 0, error: `at most ${MAX_EXCUSED_ROWS} spans per request, got ${rows.length}` },
      ],
    };
  // Indexed by agent so a full batch is not checked pair by pair against everything.
  const byAgent = new Map<string, { start: number; end: number }[]>();
  for (const x of existing) {
    const l = byAgent.get(x.agent);
    if (l) l.push(x);
    else byAgent.set(x.agent, [x]);
  }
  rows.forEach((r, i) => {
    const row = i + 1;
    const before = errors.length;
    if (typeof r !== 'object' || r === null || Array.isArray(r)) {
      errors.push({
        row,
        error: 'each span must be an object with agent, start, end, reason, entered_by',
      });
      return;
    }
    const v = r as Record<string, unknown>;
    for (const f of ['agent', 'start', 'end', 'reason', 'entered_by'])
      if (v[f] === undefined || v[f] === null || v[f] === '')
        errors.push({ row, field: f, error: `missing field "${f}"` });
    if (errors.length > before) return;
    const agent = text(v['agent'], 64);
    const reason = text(v['reason'], TEXT_MAX);
    const by = text(v['entered_by'], 64);
    if (!agent) errors.push({ row, field: 'agent', error: '"agent" must be 1 to 64 characters' });
    if (!reason)
      errors.push({ row, field: 'reason', error: `"reason" must be 1 to ${TEXT_MAX} characters` });
    if (!by)
      errors.push({ row, field: 'entered_by', error: '"entered_by" must be 1 to 64 characters' });
    const s = parseRosterTime(v['start'], cfg.timezone);
    const e = parseRosterTime(v['end'], cfg.timezone);
    if (!s.ok) errors.push({ row, field: 'start', error: `"start" ${s.error}` });
    if (!e.ok) errors.push({ row, field: 'end', error: `"end" ${e.error}` });
    if (s.ok && e.ok && e.ms <= s.ms)
      errors.push({ row, field: 'end', error: '"end" must be after "start"' });
    if (s.ok && e.ok && e.ms - s.ms > 24 * 3_600_000)
      errors.push({ row, field: 'end', error: 'an excused span may be at most 24 hours long' });
    if (errors.length > before || !agent || !reason || !by || !s.ok || !e.ok) return;
    const mine = byAgent.get(agent) ?? [];
    const clash = mine.find((x) => x.start < e.ms && s.ms < x.end);
    if (clash) {
      errors.push({
        row,
        field: 'start',
        error: `overlaps excused time of "${agent}" already recorded (${new Date(clash.start).toISOString()} to ${new Date(clash.end).toISOString()})`,
      });
      return;
    }
    spans.push({
      id: ids(i),
      agent,
      start: s.ms,
      end: e.ms,
      reason,
      entered_by: by,
      entered_at: now,
    });
    mine.push({ start: s.ms, end: e.ms });
    byAgent.set(agent, mine);
  });
  return { spans, errors };
}
