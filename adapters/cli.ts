// npm run adapter -- asterisk|amazon-connect [options]: feeds a phone system's records to a
// Floorwatch server. `--help` lists the options of each.
import { parseArgs } from 'node:util';
import { importQueueLog } from './asterisk/import.js';
import { followQueueLog } from './asterisk/follow.js';
import { importConnectRecords } from './amazon-connect/import.js';
import {
  readAliases,
  requireSite,
  requireTarget,
  timezone,
  token,
  UsageError,
} from './shared/options.js';
import { formatSummary, type ImportSummary } from './shared/summary.js';

const USAGE = `Usage:
  npm run adapter -- asterisk --queue-log FILE --site SITE --target URL [--timezone ZONE]
      [--agent-aliases CSV] [--token TOKEN] [--batch-size N] [--json]
      [--follow --state FILE [--poll-ms MS]]
    FILE is /var/log/asterisk/queue_log, a CSV export of the realtime queue_log table, or a
    SQL dump of it. ZONE (IANA, default UTC) reads "YYYY-MM-DD HH:MM:SS" times. --follow
    tails the file over WS /ws/ingest and keeps its place in the --state file.
  npm run adapter -- amazon-connect --records FILE... --site SITE --target URL [--token TOKEN] [--json]
    Each FILE holds an agent event record, an array of them, Kinesis records with base64
    "data", or a Firehose delivery request.
The site's ingest token comes from --token or FLOORWATCH_TOKEN and is sent as a bearer token.`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'queue-log': { type: 'string' },
      records: { type: 'string', multiple: true },
      site: { type: 'string' },
      target: { type: 'string' },
      timezone: { type: 'string' },
      token: { type: 'string' },
      'agent-aliases': { type: 'string' },
      'batch-size': { type: 'string' },
      follow: { type: 'boolean' },
      state: { type: 'string' },
      'poll-ms': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  const kind = positionals[0];
  if (kind !== 'amazon-connect' && positionals.length > 1)
    throw new UsageError(`unexpected argument "${String(positionals[1]).slice(0, 80)}"`);
  if (values.help || !kind) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const site = requireSite(values.site);
  const sink = {
    target: requireTarget(values.target),
    token: token(values.token),
    producer: `adapter:${kind}`,
  };
  const batchSize = values['batch-size'] ? Number(values['batch-size']) : 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000)
    throw new UsageError('--batch-size must be an integer from 1 to 100000');
  let summary: ImportSummary;
  if (kind === 'asterisk') {
    const file = values['queue-log'];
    if (!file) throw new UsageError('--queue-log FILE is required');
    const common = {
      file,
      site,
      timezone: timezone(values.timezone),
      aliases: readAliases(values['agent-aliases']),
      sink,
      batchSize,
    };
    if (values.follow) {
      if (!values.state)
        throw new UsageError('--follow needs --state FILE (where the offset and inode are kept)');
      const pollMs = values['poll-ms'] ? Number(values['poll-ms']) : 500;
      if (!Number.isInteger(pollMs) || pollMs < 10 || pollMs > 60_000)
        throw new UsageError('--poll-ms must be an integer from 10 to 60000');
      await followQueueLog({
        ...common,
        stateFile: values.state,
        pollMs,
        log: (m: string) => console.error(m),
      });
      return 0;
    }
    summary = await importQueueLog(common);
  } else if (kind === 'amazon-connect') {
    // `--records a.json b.json`: the files after the first are positionals to parseArgs.
    const files = [...(values.records ?? []), ...positionals.slice(1)];
    if (!files.length) throw new UsageError('--records FILE is required (one or more)');
    summary = await importConnectRecords({
      files,
      site,
      sink,
      batchSize,
      warn: (m: string) => console.error(m),
    });
  } else throw new UsageError(`unknown adapter "${kind}"; use asterisk or amazon-connect`);
  console.log(values.json ? JSON.stringify(summary) : formatSummary(summary));
  return summary.rejected.length ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`adapter: ${(e as Error).message}`);
    if (e instanceof UsageError) console.error(USAGE);
    process.exit(e instanceof UsageError ? 2 : 1);
  },
);
