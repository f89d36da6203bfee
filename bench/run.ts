// npm run bench [-- --quick] [--duration S] [--runs N] [--agents N] [--producers N]
//               [--history-agents N] [--history-days N] [--long-history]
//               [--only raw,ingest,latency,fanout,memory,history,board,restart,firstrun] [--no-profile]
// Measures Floorwatch against the raw limits of the machine it runs on, prints a table
// and rewrites docs/benchmarks.md on a full run of every section (--quick and --only write
// .tmp/benchmarks-quick.md and .tmp/benchmarks-partial.md instead).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { keepLongHistory, longHistoryBlock } from './lib/long-history.js';
import { machine } from './lib/machine.js';
import { ROOT } from './lib/proc.js';
import { printTable, writeMarkdown } from './lib/report.js';
import type { BenchOptions, Figure, Section, Shared } from './lib/types.js';
import { boardSection } from './sections/board.js';
import { fanoutSection } from './sections/fanout.js';
import { firstRunSection } from './sections/firstrun.js';
import { memorySection } from './sections/memory.js';
import { historySection } from './sections/history.js';
import { ingestSection } from './sections/ingest.js';
import { latencySection } from './sections/latency.js';
import { rawSection } from './sections/raw.js';
import { restartSection } from './sections/restart.js';

const SECTIONS: Section[] = [
  rawSection,
  ingestSection,
  latencySection,
  fanoutSection,
  memorySection,
  historySection,
  boardSection,
  restartSection,
  firstRunSection,
];

function options(): BenchOptions {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      duration: { type: 'string' },
      runs: { type: 'string' },
      agents: { type: 'string' },
      producers: { type: 'string' },
      'history-agents': { type: 'string' },
      'history-days': { type: 'string' },
      'long-history': { type: 'boolean', default: false },
      only: { type: 'string' },
      'no-profile': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(
      'npm run bench -- [--quick] [--duration S] [--runs N] [--agents N] [--producers N] [--only ' +
        SECTIONS.map((s) => s.id).join(',') +
        '] [--history-agents N] [--history-days N] [--long-history] [--no-profile]',
    );
    process.exit(0);
  }
  const quick = values.quick ?? false;
  const num = (v: string | undefined, d: number) => (v === undefined ? d : Number(v));
  return {
    quick,
    // --quick must finish in under 3 minutes on a busy 2-core machine: shorter runs, 2 of each.
    durationS: num(values.duration, quick ? 1 : 5),
    runs: num(values.runs, quick ? 2 : 3),
    agents: num(values.agents, 2000),
    producers: num(values.producers, 3),
    only: values.only ? values.only.split(',') : null,
    profile: !values['no-profile'] && !quick,
    // --long-history: the reports over 90 days of a 5,000-agent site (goal 500 ms); opt-in,
    // as its back-fill takes a long time (cached once built).
    ...(values['long-history'] ? { historyAgents: 5000, historyDays: 90, longHistory: true } : {}),
    ...(values['history-agents'] ? { historyAgents: Number(values['history-agents']) } : {}),
    ...(values['history-days'] ? { historyDays: Number(values['history-days']) } : {}),
  };
}

async function main(): Promise<void> {
  const o = options();
  const started = new Date();
  const t0 = performance.now();
  const shared: Shared = { transport: new Map(), notes: [], findings: [] };
  const figs: Figure[] = [];
  for (const s of SECTIONS) {
    if (o.only && !o.only.includes(s.id)) continue;
    console.error(`\n== ${s.title}`);
    const ts = performance.now();
    try {
      const f = await s.run(o, shared);
      figs.push(...f);
      printTable(f);
    } catch (e) {
      console.error(e);
      figs.push({
        section: s.title,
        name: 'section failed',
        value: null,
        unit: '',
        status: 'not measured',
        note:
          String((e as Error).message)
            .split('\n')[0]
            ?.slice(0, 200) ?? '',
      });
    }
    console.error(`   (${((performance.now() - ts) / 1000).toFixed(0)} s)`);
  }
  console.log('');
  printTable(figs);
  const seconds = (performance.now() - t0) / 1000;
  const command = `npm run bench${process.argv.length > 2 ? ' -- ' + process.argv.slice(2).join(' ') : ''}`;
  // docs/benchmarks.md holds the last full run; quick or partial runs go to .tmp/.
  const file = path.join(
    ROOT,
    o.only
      ? '.tmp/benchmarks-partial.md'
      : o.quick
        ? '.tmp/benchmarks-quick.md'
        : 'docs/benchmarks.md',
  );
  writeMarkdown(file, figs, machine(), o, command, started, seconds, shared.notes, shared.findings);
  console.log(`\nwrote ${path.relative(ROOT, file)} in ${seconds.toFixed(0)} s`);
  // The long history is opt-in, so a full run does not make it: docs/benchmarks.md keeps the
  // last --long-history run's figures in a dated block of their own.
  const long = figs.filter((f) => f.section === '6 history');
  if (o.longHistory && long.length) {
    const doc = path.join(ROOT, 'docs/benchmarks.md');
    const findings = shared.findings.filter((f) => f.startsWith('**History'));
    keepLongHistory(doc, longHistoryBlock(long, machine(), command, started, seconds, findings));
    console.log(`kept the long history's figures in ${path.relative(ROOT, doc)}`);
  }
  process.exit(0);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
