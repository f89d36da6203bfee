// File import of Agent Event Stream records: each file's records are decoded, mapped in
// order and posted in batches. Records that cannot be mapped are counted as rejected with
// their reason (the server's endpoint keeps them as dead letters).
import { readFileSync } from 'node:fs';
import type { OutEvent } from '../shared/event.js';
import { postBatch, type SinkOptions } from '../shared/http-sink.js';
import { countSkip, emptySummary, type ImportSummary } from '../shared/summary.js';
import { mapConnectRecord, newConnectState } from './mapping.js';
import { decodeRecords } from './records.js';

export interface ConnectImport {
  files: string[];
  site: string;
  sink: SinkOptions;
  batchSize?: number;
  warn(message: string): void;
}

export async function importConnectRecords(o: ConnectImport): Promise<ImportSummary> {
  const sum = emptySummary(o.files.join(', '), 'amazon-connect agent events');
  const state = newConnectState();
  const batch: OutEvent[] = [];
  const where: number[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const reply = await postBatch(o.sink, batch);
    sum.events_sent += batch.length;
    sum.accepted += reply.accepted;
    sum.duplicates += reply.duplicates;
    sum.late += reply.late ?? 0;
    for (const r of reply.rejected)
      sum.rejected.push({ line: where[r.line - 1] ?? 0, error: r.error });
    batch.length = 0;
    where.length = 0;
  };
  for (const file of o.files) {
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      sum.rejected.push({ line: 0, error: `${file}: not JSON: ${(e as Error).message}` });
      continue;
    }
    const dec = decodeRecords(value);
    for (const b of dec.bad)
      sum.rejected.push({ line: b.index + 1, error: `${file} record ${b.index + 1}: ${b.reason}` });
    for (const { index, value: rec } of dec.records) {
      sum.lines++;
      const out = mapConnectRecord(state, rec, o.site);
      for (const w of out.warnings) o.warn(`${file} record ${index + 1}: ${w}`);
      if ('reject' in out) {
        sum.rejected.push({ line: index + 1, error: `${file} record ${index + 1}: ${out.reject}` });
        continue;
      }
      if (!out.events.length) countSkip(sum, 'no event');
      for (const e of out.events) {
        batch.push(e);
        where.push(index + 1);
      }
      if (batch.length >= (o.batchSize ?? 1000)) await flush();
    }
  }
  await flush();
  return sum;
}
