// The account an import gives at the end: what was read, sent, stored, refused and skipped.

export interface ImportSummary {
  source: string;
  format: string;
  /** Lines (flat file) or records read from the source. */
  lines: number;
  events_sent: number;
  accepted: number;
  duplicates: number;
  /** Accepted but older than the server's lateness window (stored and counted, flagged). */
  late: number;
  /** Events the server refused, by the source line they came from. */
  rejected: { line: number; error: string }[];
  /** Lines or records that made no event, counted by reason. */
  skipped: Record<string, number>;
}

export function emptySummary(source: string, format: string): ImportSummary {
  return {
    source,
    format,
    lines: 0,
    events_sent: 0,
    accepted: 0,
    duplicates: 0,
    late: 0,
    rejected: [],
    skipped: {},
  };
}

export function countSkip(s: ImportSummary, reason: string): void {
  s.skipped[reason] = (s.skipped[reason] ?? 0) + 1;
}

/** The summary as a few plain lines for a person at a terminal. */
export function formatSummary(s: ImportSummary): string {
  const out = [
    `${s.source} (${s.format})`,
    `  lines read:      ${s.lines}`,
    `  events sent:     ${s.events_sent}`,
    `  accepted:        ${s.accepted}${s.late ? ` (${s.late} older than the lateness window, flagged late)` : ''}`,
    `  duplicates:      ${s.duplicates}`,
    `  rejected:        ${s.rejected.length}`,
  ];
  for (const r of s.rejected.slice(0, 20)) out.push(`    line ${r.line}: ${r.error}`);
  if (s.rejected.length > 20) out.push(`    … and ${s.rejected.length - 20} more`);
  const skipped = Object.entries(s.skipped).sort((a, b) => b[1] - a[1]);
  out.push(`  skipped lines:   ${skipped.reduce((n, [, c]) => n + c, 0)}`);
  for (const [reason, n] of skipped) out.push(`    ${String(n).padStart(6)}  ${reason}`);
  return out.join('\n');
}
