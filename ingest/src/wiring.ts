// Composes the live side (site runtimes, board feed) and registers every API route.
// Kept apart from main.ts so the order of start-up steps stays readable there.
import type { TemplatedApp } from 'uWebSockets.js';
import type { AppContext, SiteDirectory } from './app-context.js';
import type { Router } from './adapters/http/router.js';
import type { WsGuard } from './adapters/auth/ws-guard.js';
import { registerEventRoutes } from './adapters/http/routes/events.js';
import { registerIntervalReport } from './adapters/http/routes/report-intervals.js';
import { registerVerifyReport } from './adapters/http/routes/report-verify.js';
import { createLive } from './live-wiring.js';
import { hydrateWorkforce, sitesWithRoster } from './adapters/clickhouse/workforce-store.js';
import { registerRosterRoutes } from './adapters/http/routes/roster.js';
import { registerWorkforceReports } from './adapters/http/routes/report-workforce.js';
import { alertHydrator } from './adapters/clickhouse/alert-store.js';
import { registerAlertRoutes } from './adapters/http/routes/alerts.js';
import { createAlertPipeline, type AlertPipeline } from './adapters/webhook/alert-pipeline.js';
import { conformanceReport, ensureIntervalFacts } from '../../queries/index.js';
import { dayStartMs, operatingDay } from './core/workforce/index.js';
import { callExpiryMs } from './core/site-config.js';
import { FactsWarmer } from './runtime/facts-warmer.js';
import { registerWorkStateRoutes } from './adapters/http/routes/workstate.js';
import { registerStaffingRoutes } from './adapters/http/routes/staffing.js';
import { registerWhatIfRoutes } from './adapters/http/routes/whatif.js';
import { persistRequestChanges, requestsSince } from '../../queries/workstate.js';
import { hydrateIncidents, hydrateTickets } from './adapters/clickhouse/quality-store.js';
import { registerIncidentRoutes } from './adapters/http/routes/incidents.js';
import { registerQualityReport } from './adapters/http/routes/report-quality.js';
import { Checkpoints } from './runtime/checkpoints.js';
import { CheckpointFiles } from './runtime/checkpoint-file.js';
import { trackAlertWrites, trackCheckpoints } from './adapters/metrics.js';
import path from 'node:path';

export interface LiveCheckpoints {
  /** Starts the clock; `quiescent` is IngestService.quiescentArrival. */
  start(quiescent: () => number | null): void;
  /** Stops the clock and checkpoints every changed site once more (after ingest closed). */
  stop(): Promise<void>;
}

/**
 * Checkpoints live under the data folder, one folder per database, with server storage too
 * (the folder is then only for them): the store is named in each file's header as well.
 */
function openCheckpoints(ctx: Omit<AppContext, 'sites'>): Checkpoints {
  const { config, store } = ctx;
  const where = store.kind === 'embedded' ? config.dataDir : config.clickhouse.url;
  return new Checkpoints({
    files: new CheckpointFiles(path.join(config.dataDir, 'checkpoints', store.database)),
    database: `${store.kind}:${where}/${store.database}`,
    log: ctx.log,
    now: ctx.now,
    onWritten: trackCheckpoints(),
  });
}

export interface Wired {
  sites: SiteDirectory;
  /** Live-state checkpoints (null when FLOORWATCH_CHECKPOINT_S is 0): main starts their clock. */
  checkpoints: LiveCheckpoints | null;
  registerSockets(app: TemplatedApp, guard?: WsGuard): void;
  close(): Promise<void>;
}

export async function wire(ctx: Omit<AppContext, 'sites'>, router: Router): Promise<Wired> {
  // The live side: site runtimes (queue, workforce, alerts engines), /api/live, /api/sites.
  // Rosters and excused time are restored into each site's workforce engine before the replay.
  // Open alerts are restored before the replay too, so its first evaluation neither loses
  // nor re-raises them; alert changes are stored and sent to rule webhooks by the pipeline.
  let pipeline: AlertPipeline | null = null;
  const checkpoints = ctx.config.checkpointS > 0 ? openCheckpoints(ctx) : null;
  const live = createLive(ctx, router, {
    ...(checkpoints ? { checkpoints } : {}),
    hydrate: async (site, rt, now) => {
      await hydrateWorkforce(ctx.store, site, rt.modules.workforce, now);
      // Break requests of the last day, as their newest stored step left them (a lead's
      // decision on the board is in no event, so the replay alone would lose it).
      rt.modules.workState?.restore(
        await requestsSince(ctx.store, site, now - 86_400_000, now + 60_000),
      );
      await restoreAlerts(site, rt);
      await hydrateIncidents(ctx.store, site, rt.modules.quality, now);
    },
    // Work orders stay open for days: their events of the last weeks, or only those that
    // arrived after the checkpoint (it holds the others), are applied before the replay.
    hydrateEvents: (site, rt, now, receivedAfter) =>
      hydrateTickets(ctx.store, site, rt.modules.quality, now, receivedAfter),
    onAlertChanges: (site, changes) => pipeline?.onAlertChanges(site, changes),
    // Break-request steps taken by events and the rule are stored as they happen (a restart
    // replays the events; the same step collapses in the ReplacingMergeTree).
    onRequestChanges: (site, changes) => {
      persistRequestChanges(ctx.store, site, changes).catch((e: unknown) =>
        ctx.log.error({ err: e, site }, 'storing break-request steps failed'),
      );
    },
    // A site with only a roster uploaded (no events yet) still shows who is missing after a restart.
    moreSites: (now) => sitesWithRoster(ctx.store, now),
  });
  const restoreAlerts = alertHydrator(ctx.store, (s) => live.registry.config(s).timezone);
  pipeline = createAlertPipeline({
    store: ctx.store,
    sites: live.registry,
    log: ctx.log,
    now: ctx.now,
    webhook: ctx.config.webhook,
  });
  trackAlertWrites(() => pipeline?.pendingWrites() ?? 0);
  const sites: SiteDirectory = live.registry;
  // Today's stored events are replayed before the server listens (restart mid-shift).
  await live.registry.rebuild();
  live.registry.start();
  registerEventRoutes(router, { ...ctx, sites });
  registerIntervalReport(router, { ...ctx, sites });
  registerRosterRoutes(router, { ...ctx, sites });
  registerWorkforceReports(router, { ...ctx, sites });
  registerVerifyReport(router, { ...ctx, sites });
  registerAlertRoutes(router, { ...ctx, sites }, { persist: pipeline.persist });
  registerWorkStateRoutes(router, { ...ctx, sites });
  registerStaffingRoutes(router, { ...ctx, sites });
  registerWhatIfRoutes(router, { ...ctx, sites });
  registerIncidentRoutes(router, { ...ctx, sites });
  registerQualityReport(router, { ...ctx, sites });
  // Stored per-day report facts are built in the background so no manager waits for a
  // cold month (building a month of facts costs many times the 500 ms report goal).
  const warmer = new FactsWarmer({
    sites: () => sites.sites(),
    log: ctx.log,
    now: ctx.now,
    builders: [
      {
        name: 'intervals',
        build: (site, from, to, now) =>
          ensureIntervalFacts(ctx.store, site, from, to, now, callExpiryMs(sites.config(site))),
      },
      {
        name: 'workforce',
        build: (site, from, to, now) => {
          const config = sites.config(site);
          const fromDay = operatingDay(from, config.timezone, config.day_start);
          const toDay = operatingDay(to - 1, config.timezone, config.day_start);
          // by=site is the smallest answer; building the days is the point.
          return conformanceReport(ctx.store, {
            site,
            fromDay,
            toDay,
            fromDayStartMs: dayStartMs(fromDay, config.timezone, config.day_start),
            now,
            config,
            by: 'site',
          });
        },
      },
    ],
  });
  if (ctx.config.factsWarmer) warmer.start();
  return {
    sites,
    checkpoints: checkpoints && {
      start: (quiescent) =>
        checkpoints.start(
          ctx.config.checkpointS * 1000,
          () => live.registry.allRuntimes(),
          quiescent,
        ),
      stop: () => checkpoints.stop(true),
    },
    registerSockets: (app, guard) => {
      live.registerSockets(app, { guard, maxBufferedBytes: ctx.config.boardMaxBufferedBytes });
    },
    close: async () => {
      await warmer.stop();
      live.close();
      // Pending retries stop; lifecycle rows already handed to the store are awaited.
      pipeline?.close();
      await pipeline?.idle();
    },
  };
}
