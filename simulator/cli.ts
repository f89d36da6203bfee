// `npm run simulate`: generates a contact centre's events to an NDJSON file, to a Floorwatch
// server over WS /ws/ingest (live, accelerated or back-fill), and its roster. See --help.
import { createWriteStream, writeFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { agentsOf } from './generator/model.js';
import { runToServer, runToStream, type RunSummary } from './generator/run.js';
import { SiteClock } from './generator/site-clock.js';
import { HELP, parseCli, type CliOptions } from './cli-options.js';
import { IngestClient } from './output/ingest-client.js';
import { putRoster, putSiteConfig, targetUrls } from './output/server-api.js';
import { datesCovering, rosterRows } from './roster/rows.js';

const log = (msg: string) => process.stderr.write(`simulate: ${msg}\n`);

function rosterOf(o: CliOptions) {
  const cfg = o.config;
  if (cfg.workforce === null && cfg.shifts.length === 0) return [];
  const clock = new SiteClock(cfg.timezone);
  // The day before `from` too: a night shift that began yesterday is on the floor at the start.
  const dates = datesCovering(clock, cfg.from - 86_400_000, cfg.to);
  return rosterRows(cfg, clock, agentsOf(cfg), dates);
}

async function main(): Promise<number> {
  const o = parseCli(process.argv.slice(2), Date.now());
  if (o.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (!o.out && !o.target && !o.rosterOut) {
    log(
      'nothing to do: give --out FILE, --target ws://host:port or --roster-out FILE (see --help)',
    );
    return 2;
  }
  let cfg = o.config;
  const progress = o.progress || process.stderr.isTTY === true;
  let stop = false;
  process.once('SIGINT', () => {
    stop = true;
    log('stopping…');
  });
  const roster = o.rosterOut || (o.target && o.upload) ? rosterOf(o) : [];
  if (o.rosterOut) {
    writeFileSync(o.rosterOut, JSON.stringify(roster) + '\n');
    log(`roster: ${roster.length} segments -> ${o.rosterOut}`);
  }
  let result: RunSummary | null = null;
  if (o.target) {
    const urls = targetUrls(o.target);
    // From the environment, not the command line, so it does not show in the process list.
    const token = process.env['FLOORWATCH_TOKEN'] || null;
    if (!token)
      log(
        'FLOORWATCH_TOKEN is not set: the server will refuse the uploads and events (give an admin token, or an ingest token with --no-upload)',
      );
    if (o.upload) {
      await putSiteConfig(urls.http, cfg, log, {}, token);
      log(`site ${cfg.site} configured`);
      try {
        if (roster.length) await putRoster(urls.http, cfg.site, roster, token);
        log(`roster of ${roster.length} segments uploaded`);
      } catch (e) {
        // Events still make sense without it; only conformance, adherence and attendance need it.
        log(`roster upload failed, streaming anyway: ${(e as Error).message}`);
      }
    }
    if (o.live) {
      // Live: the simulated clock starts when streaming does, not before the uploads.
      const now = Date.now();
      cfg = { ...cfg, from: now, to: now + (cfg.to - cfg.from) };
    }
    let shown = 0;
    const client = await IngestClient.connect(
      urls.ingest,
      o.inFlight,
      (r) => {
        for (const x of r.rejected)
          if (shown++ < 10) log(`rejected line ${x.line} of batch ${r.seq}: ${x.error}`);
      },
      token,
    );
    try {
      result = await runToServer(cfg, client, {
        check: o.validate ? 'wall-clock' : 'off',
        progress,
        speed: o.speed,
        batch: o.batch,
        stopped: () => stop,
      });
    } finally {
      client.close();
    }
    const t = client.totals;
    log(
      `sent ${t.events} events in ${t.batches} messages: ${t.accepted} accepted, ${t.duplicates} duplicates, ${t.rejected} rejected`,
    );
  } else if (o.out) {
    const out: Writable = o.out === '-' ? process.stdout : createWriteStream(o.out);
    result = await runToStream(cfg, out, {
      check: o.validate ? 'structure' : 'off',
      progress,
      stopped: () => stop,
    });
    if (out !== process.stdout)
      await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
  }
  if (result) {
    const clock = new SiteClock(cfg.timezone);
    log(
      `${cfg.site}: ${clock.iso(cfg.from)} .. ${clock.iso(result.simulatedTo)}: ${result.events} events, ${result.offered} calls offered, ${result.answered} answered, ${result.abandoned} abandoned, ${result.overflowed} overflowed`,
    );
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const err = e as Error & { code?: string };
    log(err.code ? `${err.message}` : String(err.stack ?? err));
    process.exitCode = 1;
  },
);
