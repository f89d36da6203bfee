// The decode yardstick on one core: JSON.parse of the same NDJSON lines, and the contract
// validator (JSON.parse + the compiled Ajv schema + timestamp rules) per line.
import { validateLine } from '../../ingest/src/core/contract.js';
import { LineGen } from '../lib/lines.js';
import { config, fail, finish } from './ipc.js';

const c = config<{ lines: number; rounds: number }>();

try {
  const gen = new LineGen({ site: 'bench', prefix: 'p', agents: 2000, queues: 50 });
  const ts = new Date().toISOString();
  const lines: string[] = [];
  for (let i = 0; i < c.lines; i++) lines.push(gen.line(ts));
  const now = Date.now();
  const parse: number[] = [];
  const validate: number[] = [];
  let sink = 0;
  for (let r = 0; r < c.rounds + 1; r++) {
    let t0 = performance.now();
    for (const l of lines) sink += (JSON.parse(l) as { id: string }).id.length;
    const p = c.lines / ((performance.now() - t0) / 1000);
    t0 = performance.now();
    for (const l of lines) {
      const v = validateLine(l, now);
      if (!v.ok) throw new Error(v.error);
    }
    const v = c.lines / ((performance.now() - t0) / 1000);
    // Round 0 warms the JIT and is not counted.
    if (r > 0) {
      parse.push(p);
      validate.push(v);
    }
  }
  finish({
    parse,
    validate,
    sink,
    bytesPerLine: Math.round(lines.reduce((s, l) => s + l.length + 1, 0) / lines.length),
  });
} catch (e) {
  fail(e);
}
