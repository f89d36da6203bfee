// One-shot import of a queue_log source (flat file, CSV export or SQL dump): read it, map it
// row by row in file order, and post the events in batches. Returns the summary.
import { readFileSync } from 'node:fs';
import type { OutEvent } from '../shared/event.js';
import { postBatch, type SinkOptions } from '../shared/http-sink.js';
import { countSkip, emptySummary, type ImportSummary } from '../shared/summary.js';
import { mapRow, type AsteriskOptions } from './mapping.js';
import { readSource } from './source.js';
import { newState, pruneState } from './state.js';

export interface QueueLogImport extends AsteriskOptions {
  file: string;
  sink: SinkOptions;
  /** Events per POST (default 1000). */
  batchSize?: number;
}

export async function importQueueLog(o: QueueLogImport): Promise<ImportSummary> {
  const src = readSource(readFileSync(o.file, 'utf8'), o.file);
  const sum = emptySummary(o.file, src.format);
  sum.lines = src.lines;
  for (const b of src.bad) countSkip(sum, b.reason);
  const state = newState();
  const size = o.batchSize ?? 1000;
  let batch: OutEvent[] = [];
  let lines: number[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const reply = await postBatch(o.sink, batch);
    sum.events_sent += batch.length;
    sum.accepted += reply.accepted;
    sum.duplicates += reply.duplicates;
    sum.late += reply.late ?? 0;
    for (const r of reply.rejected)
      sum.rejected.push({ line: lines[r.line - 1] ?? 0, error: r.error });
    batch = [];
    lines = [];
  };
  let n = 0;
  for (const row of src.rows) {
    const out = mapRow(state, row, o);
    if ('skip' in out) countSkip(sum, out.skip);
    for (const e of out.events) {
      batch.push(e);
      lines.push(row.line);
    }
    if (batch.length >= size) await flush();
    if (++n % 1000 === 0) pruneState(state);
  }
  await flush();
  return sum;
}
