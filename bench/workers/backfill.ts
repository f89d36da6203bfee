// Back-fills a data folder for the history section: the simulator's NDJSON (--out -) is
// validated and turned into rows exactly as ingest does (validateLine, then a Native block,
// native-rows.ts) and written by the same insert the server uses, 100k rows per insert, into a migrated
// Floorwatch database (materialized views fire as they do under ingest). The ingest API
// at its current sustained rate would need over an hour for 30 days of a 2,000-agent site.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { migrate } from '../../ingest/src/adapters/clickhouse/migrate.js';
import { openStore } from '../../ingest/src/adapters/clickhouse/store.js';
import { validateLine } from '../../ingest/src/core/contract.js';
import { NativeEventBody, insertEventBlock } from '../../ingest/src/pipeline/native-rows.js';
import { ROOT } from '../lib/proc.js';
import { config, fail, finish } from './ipc.js';

export interface BackfillConfig {
  dataDir: string;
  site: string;
  agents: number;
  from: string;
  to: string;
  rosterOut: string;
  /** The site's zone for the simulator (its default otherwise). */
  timezone?: string;
}

const c = config<BackfillConfig>();
const ROWS = 100_000;

async function main(): Promise<void> {
  const store = await openStore({
    storage: 'embedded',
    dataDir: c.dataDir,
    clickhouse: { url: '', user: 'default', password: '', database: 'floorwatch' },
  });
  await migrate(store);
  const sim = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(ROOT, 'simulator/cli.ts'),
      '--site',
      c.site,
      '--agents',
      String(c.agents),
      '--from',
      c.from,
      '--to',
      c.to,
      '--seed',
      '1',
      '--out',
      '-',
      '--roster-out',
      c.rosterOut,
      '--no-validate',
      ...(c.timezone ? ['--timezone', c.timezone] : []),
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<number | null>((r) => sim.once('exit', (code) => r(code)));
  const now = Date.now();
  const opts = { maxFutureSkewMs: 5 * 60_000, maxPastMs: 400 * 86_400_000 };
  const body = new NativeEventBody(32 * 1024 * 1024);
  let total = 0;
  let rejected = 0;
  let firstReject = '';
  const flush = async (): Promise<void> => {
    if (!body.rows) return;
    await insertEventBlock(store, body.finish());
    body.reset();
  };
  const rl = createInterface({ input: sim.stdout, crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line) continue;
    const r = validateLine(line, now, opts);
    if (!r.ok) {
      rejected++;
      firstReject ||= `${r.error}: ${line.slice(0, 200)}`;
      continue;
    }
    body.add([
      {
        event: r.event,
        raw: line,
        receivedAt: r.event.ts,
        producer: 'bench-backfill',
        late: false,
      },
    ]);
    total++;
    if (body.rows >= ROWS) {
      await flush();
      if (total % 2_000_000 === 0)
        process.stderr.write(`   back-fill: ${(total / 1e6).toFixed(1)}M events\n`);
    }
  }
  await flush();
  const code = await exited;
  await store.close();
  if (code !== 0) throw new Error(`simulator exited with ${code}`);
  finish({ events: total, rejected, firstReject });
}

main().catch(fail);
