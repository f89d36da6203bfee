// The only place that wires core and adapters together: config → store → migrations →
// live runtimes → ingest pipeline → HTTP/WS server. SIGTERM flushes and closes cleanly.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import type { us_listen_socket } from 'uWebSockets.js';
import type { AppContext } from './app-context.js';
import { seededEventDays } from '../../queries/ingest.js';
import { rederiveRecent } from './adapters/clickhouse/derived.js';
import { migrate } from './adapters/clickhouse/migrate.js';
import { openStore } from './adapters/clickhouse/store.js';
import { AuditLog } from './adapters/audit/audit-log.js';
import { openAccess } from './adapters/auth/setup.js';
import { registerAuditRoutes } from './adapters/http/routes/audit.js';
import { Router } from './adapters/http/router.js';
import { createHttpApp } from './adapters/http/server.js';
import { ingestStats, trackBacklog, trackLiveState } from './adapters/metrics.js';
import { uWS, uwsBuild } from './adapters/uws.js';
import { registerIngestSocket } from './adapters/ws/ingest.js';
import { registerConnectRoute, sameSecret } from './adapters/http/routes/amazon-connect.js';
import { readConfig } from './config.js';
import { IngestService } from './pipeline/ingest-service.js';
import { wire } from './wiring.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function main(): Promise<void> {
  const config = readConfig();
  const log = pino({ level: config.logLevel, base: { svc: 'floorwatch' } });
  if (uwsBuild !== 'native') {
    if (!config.allowUwsFallback) {
      log.fatal(
        'uWebSockets.js loaded its slow JavaScript fallback, not the native binary. Refusing to run. Set FLOORWATCH_ALLOW_UWS_FALLBACK=1 to run anyway.',
      );
      process.exit(2);
    }
    log.warn(
      'uWebSockets.js is running on its JavaScript fallback (FLOORWATCH_ALLOW_UWS_FALLBACK=1): expect far lower throughput',
    );
  }
  const store = await openStore(config);
  // The embedded engine installs its own SIGABRT handler, and V8's fatal out-of-memory abort()
  // then left the process hung (0% CPU, not listening), so no supervisor restarted it. With
  // Node's listener in its place abort() ends the process (exit 134); a SIGABRT sent from
  // outside exits the same way.
  process.on('SIGABRT', () => process.exit(134));
  // Each start-up step's time is logged: the restart-to-live-board goal is 10 s, and an
  // operator waiting on a restart should see which step holds it.
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const v = await run();
    log.info({ step: name, ms: Math.round(performance.now() - t0) }, 'start-up step done');
    return v;
  };
  const applied = await step('migrate', () => migrate(store));
  if (applied.length) log.info({ applied }, 'migrations applied');
  // Derived rows a crash cut off from their events are derived again; then the stored events
  // are counted per day (the report facts' freshness), before any insert can run.
  const rederived = await step('rederive', () => rederiveRecent(store));
  if (rederived.since) log.info(rederived, 'derived tables: newest events derived again');
  await step('event-days', () => seededEventDays(store, null));

  const router = new Router();
  const partial = { config, store, log, now: Date.now };
  const wired = await step('live-state', () => wire(partial, router));
  const ctx: AppContext = { ...partial, sites: wired.sites };
  registerAuditRoutes(router, ctx);
  const access = await openAccess(partial, router, {
    firehoseKeyOk: (site, key) =>
      config.connectAccessKeys[site] !== undefined &&
      sameSecret(key, config.connectAccessKeys[site]),
  });

  const ingest = new IngestService(
    config,
    store,
    log,
    (events, now) => ctx.sites.applyCommitted(events, now),
    ingestStats,
  );
  await ingest.start();
  // Checkpoints are taken only in a turn where every stamped batch is stored and applied.
  wired.checkpoints?.start(() => ingest.quiescentArrival());
  trackBacklog(() => ingest.backlogRows);
  trackLiveState(
    () => ingest.dedupeStats(),
    () => ctx.sites.held(),
  );

  registerConnectRoute(router, ctx, {
    ingest,
    accessKeyOk: (site, key) => {
      const want = config.connectAccessKeys[site];
      return want !== undefined && sameSecret(key, want);
    },
  });

  const app = createHttpApp(
    ctx,
    router,
    ingest,
    config.serveWallboard ? path.join(root, 'wallboard/dist') : null,
    access.gate,
    new AuditLog(store, log, Date.now),
  );
  const ingestSockets = registerIngestSocket(app, ctx, ingest, access.guard);
  wired.registerSockets(app, access.guard);

  const listenSocket = await new Promise<us_listen_socket>((resolve, reject) => {
    app.listen(config.host, config.port, (s) =>
      s ? resolve(s) : reject(new Error(`cannot listen on ${config.host}:${config.port}`)),
    );
  });
  const port = uWS.us_socket_local_port(listenSocket);
  log.info(
    {
      port,
      storage: store.kind,
      uws: uwsBuild,
      data: store.kind === 'embedded' ? config.dataDir : config.clickhouse.url,
    },
    'listening',
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: flushing pending events');
    // Stop taking new connections first; in-flight batches still get their replies.
    uWS.us_listen_socket_close(listenSocket);
    try {
      await ingest.close();
      // Everything received is stored and applied now: a last checkpoint, so the next start
      // replays nothing (a failure only costs that start a longer replay).
      await wired.checkpoints
        ?.stop()
        .catch((e: unknown) => log.error({ err: e }, 'the last checkpoint failed'));
      // Every batch read gets its reply (stored, or a retryable error) before the process exits.
      const batches = await ingestSockets.closeAll(5000);
      await wired.close();
      await access.close();
      await store.close();
      log.info(
        { wsBatchesRead: batches.read, wsBatchesAnswered: batches.answered },
        'shut down cleanly',
      );
      process.exit(0);
    } catch (e) {
      log.error({ err: e }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((e: unknown) => {
  // Start-up failures are printed plainly: config errors name their variable.
  console.error(`floorwatch failed to start: ${(e as Error).message}`);
  process.exit(1);
});
