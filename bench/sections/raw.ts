// 1. Raw limits of this machine, the yardstick for everything else: uWS transport of the
// same NDJSON (counted and discarded, and with a JSON.parse per line), raw chdb insert of
// the same rows, JSON.parse and the contract validator per line.
import { runProducers, windowFor } from '../lib/load.js';
import { forkWorker } from '../lib/proc.js';
import { spread } from '../lib/stats.js';
import type { BenchOptions, Figure, Section, Shared } from '../lib/types.js';
import type { ChdbInsertResult } from '../workers/chdb-insert.js';

export const BATCHES = [1, 100, 1000];

async function transport(o: BenchOptions, mode: 'count' | 'parse', batch: number, shared: Shared): Promise<Figure> {
  const sink = forkWorker<{ lines: number }>('uws-sink', { mode });
  try {
    const info = await sink.ready;
    if (info['build'] !== 'native') shared.notes.push(`uWS loaded its ${String(info['build'])} build in the sink`);
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

    // Five samples of each (format, size) in a full run: a single insert's rate swings ±15%
    // on this machine, and the best median is the yardstick every ratio divides by.
    const n = o.quick ? 2 : Math.max(5, o.runs);
    const ins = forkWorker<ChdbInsertResult[]>('chdb-insert', {
      agents: o.agents,
      batches: [
        { rows: 10_000, count: n + 1 },
        { rows: 100_000, count: n },
      ],
      // Not in --quick (its 3-minute budget): an info row, not the yardstick.
      sustained: o.quick ? undefined : { rows: 10_000, seconds: o.durationS, runs: o.runs },
    });
    const all = await ins.result;
    const res = all.filter((r) => !r.sustained);
    for (const r of res) {
      out.push({
        section: '1 raw',
        name: `${pathName(r)}, ${r.rows.toLocaleString('en')}-row batches`,
        value: spread(r.rowsPerSec),
        unit: 'rows/s',
        status: 'info',
        note: `${r.bytesPerRow} B/row, events table as migrated with its views dropped, own process and temp folder${r.format === 'Native' && r.via === 'file' ? "; Floorwatch's path and format" : '; paths and formats take turns'}`,
      });
    }
    for (const r of all.filter((x) => x.sustained)) {
      out.push({
        section: '1 raw',
        name: `${pathName(r)} sustained, ${r.rows.toLocaleString('en')}-row inserts back to back`,
        value: spread(r.rowsPerSec),
        unit: 'rows/s',
        status: 'info',
        note: `${o.durationS} s per run, so the merges of the parts made meanwhile share the cores as under ingest (the batch figures above time each insert alone); the process used ${r.cores?.length ? spread(r.cores).median.toFixed(2) : '?'} cores (median); not the yardstick`,
      });
    }
    // The yardstick is the best median of any format and size: the fastest path chdb offers.
    const best = res.reduce((a, r) => (spread(r.rowsPerSec).median > spread(a.rowsPerSec).median ? r : a));
    shared.insertLimit = spread(best.rowsPerSec).median;
    shared.insertLimitFrom = `${pathName(best)}, ${best.rows.toLocaleString('en')}-row batches`;

    const parse = forkWorker<{ parse: number[]; validate: number[]; bytesPerLine: number }>('parse', { lines: o.quick ? 100_000 : 300_000, rounds: Math.max(3, o.runs) });
    const p = await parse.result;
    out.push({ section: '1 raw', name: 'JSON.parse per line (one core)', value: spread(p.parse), unit: 'lines/s', status: 'info', note: `${p.bytesPerLine} B/line` });
    out.push({ section: '1 raw', name: 'validateLine per line (JSON.parse + compiled Ajv)', value: spread(p.validate), unit: 'lines/s', status: 'info' });
    return out;
  },
};

/** "chdb rawInsert CSV" or "chdb INSERT … SELECT FROM file() TabSeparated (spool in /dev/shm)". */
function pathName(r: ChdbInsertResult): string {
  return r.via === 'file' ? `chdb INSERT … SELECT FROM file() ${r.format} (spool file in /dev/shm)` : `chdb rawInsert ${r.format}`;
}
