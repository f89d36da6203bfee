// 1. Raw limits of this machine: uWS transport of the same NDJSON (counted and discarded, and
// with a JSON.parse per line), chdb's two insert routes for the same rows, JSON.parse and the
// contract validator per line. Context for the figures after it, not their yardstick (the
// bare pipeline in section 2 is).
import { runProducers, windowFor } from '../lib/load.js';
import { forkWorker } from '../lib/proc.js';
import { spread } from '../lib/stats.js';
import type { BenchOptions, Figure, Section, Shared } from '../lib/types.js';
import type { ChdbInsertResult } from '../workers/chdb-insert.js';

export const BATCHES = [1, 100, 1000];

async function transport(
  o: BenchOptions,
  mode: 'count' | 'parse',
  batch: number,
  shared: Shared,
): Promise<Figure> {
  const sink = forkWorker<{ lines: number }>('uws-sink', { mode });
  try {
    const info = await sink.ready;
    if (info['build'] !== 'native')
      shared.notes.push(`uWS loaded its ${String(info['build'])} build in the sink`);
    const runs: number[] = [];
    for (let r = 0; r < o.runs; r++) {
      const res = await runProducers(
        Array.from({ length: o.producers }, (_, p) => ({
          url: `ws://127.0.0.1:${String(info['port'])}/ws/ingest`,
          site: 'bench',
          prefix: `t${r}-${p}-`,
          agents: o.agents,
          queues: 50,
          batch,
          window: windowFor(batch),
          rate: 0,
          durationMs: o.durationS * 1000,
        })),
      );
      runs.push(res.ackedPerSec);
    }
    return {
      section: '1 raw',
      name: `uWS WebSocket ${mode === 'count' ? 'transport, lines counted' : 'transport + JSON.parse per line'}, batch ${batch}`,
      value: spread(runs),
      unit: 'events/s',
      status: 'info',
      note: `${o.producers} ws producer processes, replies per message like Floorwatch's`,
    };
  } finally {
    sink.send({ type: 'stop' });
    await sink.result.catch(() => {});
    sink.kill();
  }
}

export const rawSection: Section = {
  id: 'raw',
  title: '1. Raw limits of this machine',
  async run(o, shared) {
    const out: Figure[] = [];
    for (const b of BATCHES) {
      const f = await transport(o, 'count', b, shared);
      shared.transport.set(b, f.value?.median ?? NaN);
      out.push(f);
    }
    if (!o.quick) out.push(await transport(o, 'parse', 100, shared));

    // The two insert routes side by side (views included): why events go in as Native.
    const ins = forkWorker<ChdbInsertResult[]>('chdb-insert', {
      agents: o.agents,
      rows: 10_000,
      count: o.quick ? 2 : Math.max(5, o.runs),
    });
    for (const r of await ins.result) {
      out.push({
        section: '1 raw',
        name: `chdb insert, ${r.route}, ${r.rows.toLocaleString('en')}-row batches`,
        value: spread(r.rowsPerSec),
        unit: 'rows/s',
        status: 'info',
        note: `${r.bytesPerRow} B/row; events table as migrated, views included; own process; routes take turns`,
      });
      out.push({
        section: '1 raw',
        name: `chdb insert CPU per row, ${r.route}`,
        value: spread(r.cpuUsPerRow),
        unit: 'µs',
        status: 'info',
        note: 'whole process (engine threads included) over each insert',
      });
    }

    const parse = forkWorker<{ parse: number[]; validate: number[]; bytesPerLine: number }>(
      'parse',
      { lines: o.quick ? 100_000 : 300_000, rounds: Math.max(3, o.runs) },
    );
    const p = await parse.result;
    out.push({
      section: '1 raw',
      name: 'JSON.parse per line (one core)',
      value: spread(p.parse),
      unit: 'lines/s',
      status: 'info',
      note: `${p.bytesPerLine} B/line`,
    });
    out.push({
      section: '1 raw',
      name: 'validateLine per line (JSON.parse + compiled Ajv)',
      value: spread(p.validate),
      unit: 'lines/s',
      status: 'info',
    });
    return out;
  },
};
