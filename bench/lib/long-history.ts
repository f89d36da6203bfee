// The long history's figures (--long-history) in docs/benchmarks.md. That run is opt-in and
// its data takes minutes to build, so a full run does not make it; its figures live in a
// block of their own among the separately recorded runs, which a full run keeps as it is
// (report.ts) and each --long-history run replaces with its own, dated.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Machine } from './machine.js';
import { fmt, SEPARATE_RUNS } from './report.js';
import type { Figure } from './types.js';

export const LONG_BEGIN = '<!-- long-history run: written by npm run bench -- --long-history -->';
export const LONG_END = '<!-- long-history run: end -->';

export function longHistoryBlock(
  figs: Figure[],
  m: Machine,
  command: string,
  startedAt: Date,
  seconds: number,
  findings: string[],
): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    LONG_BEGIN,
    '',
    '### Long history (goal ≤ 500 ms median, 90 days × 5,000 agents)',
    '',
    `A separate, opt-in run: \`${command}\`, ${startedAt.toISOString()} (took ${Math.round(seconds)} s, the data's build included when it was not cached), ${m.cores} cores, ${m.cpu}, Node ${m.node}. Each time is one report over HTTP, from the request to the last byte of its JSON; the data is built as the notes say.`,
    '',
    '| figure | median | spread | unit | goal | status | note |',
    '|---|---:|---:|---|---|---|---|',
  ];
  for (const f of figs) {
    const v = f.value;
    lines.push(
      `| ${esc(f.name)} | ${v ? fmt(v.median) : '–'} | ${v ? `${fmt(v.min)}–${fmt(v.max)}` : '–'} | ${f.unit} | ${esc(f.goal ?? '')} | ${f.status === 'short' ? '**short**' : f.status} | ${esc(f.note ?? '')} |`,
    );
  }
  for (const f of findings) lines.push('', f);
  lines.push('', LONG_END);
  return lines.join('\n');
}

/** Puts `block` in place of the previous long-history block of `file` (or at its end). */
export function keepLongHistory(file: string, block: string): void {
  let doc = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const a = doc.indexOf(LONG_BEGIN);
  const b = doc.indexOf(LONG_END);
  if (a >= 0 && b > a) doc = doc.slice(0, a) + block + doc.slice(b + LONG_END.length);
  else {
    // Below the separate-runs marker, so the next full run keeps it.
    if (!doc.includes(SEPARATE_RUNS)) doc = `${doc.trimEnd()}\n\n${SEPARATE_RUNS}\n`;
    doc = `${doc.trimEnd()}\n\n${block}\n`;
  }
  writeFileSync(file, doc);
}
