// Composes the live side (site runtimes, board feed) and registers every API route.
// Kept apart from main.ts so the order of start-up steps stays readable there.
import type { TemplatedApp } from 'uWebSockets.js';
import type { AppContext, SiteDirectory } from './app-context.js';
import type { Router } from './adapters/http/router.js';
import { registerEventRoutes } from './adapters/http/routes/events.js';
import { registerIntervalReport } from './adapters/http/routes/report-intervals.js';
import { createLive } from './runtime/live-wiring.js';
import { hydrateWorkforce, sitesWithRoster } from './adapters/clickhouse/workforce-store.js';
import { registerRosterRoutes } from './adapters/http/routes/roster.js';
import { registerWorkforceReports } from './adapters/http/routes/report-workforce.js';
import { alertHydrator } from './adapters/clickhouse/alert-store.js';
import { registerAlertRoutes } from './adapters/http/routes/alerts.js';
import { createAlertPipeline, type AlertPipeline } from './adapters/webhook/alert-pipeline.js';

export interface Wired {
  sites: SiteDirectory;
  registerSockets(app: TemplatedApp): void;
  close(): Promise<void>;
}

export async function wire(ctx: Omit<AppContext, 'sites'>, router: Router): Promise<Wired> {
  // The live side: site runtimes (queue, workforce, alerts engines), /api/live, /api/sites.
  // Rosters and excused time are restored into each site's workforce engine before the replay.
  // Open alerts are restored before the replay too, so its first evaluation neither loses
  // nor re-raises them; alert changes are stored and sent to rule webhooks by the pipeline.
  let pipeline: AlertPipeline | null = null;
  const live = createLive(ctx, router, {
    hydrate: async (site, rt, now) => {
      await hydrateWorkforce(ctx.store, site, rt.modules.workforce, now);
      await restoreAlerts(site, rt);
    },
    onAlertChanges: (site, changes) => pipeline?.onAlertChanges(site, changes),
    // A site with only a roster uploaded (no events yet) still shows who is missing after a restart.
    moreSites: (now) => sitesWithRoster(ctx.store, now),
  });
  const restoreAlerts = alertHydrator(ctx.store, (s) => live.registry.config(s).timezone);
  pipeline = createAlertPipeline({ store: ctx.store, sites: live.registry, log: ctx.log, now: ctx.now });
  const sites: SiteDirectory = live.registry;
  // Today's stored events are replayed before the server listens (restart mid-shift).
  await live.registry.rebuild();
  live.registry.start();
  registerEventRoutes(router, { ...ctx, sites });
  registerIntervalReport(router, { ...ctx, sites });
  registerRosterRoutes(router, { ...ctx, sites });
  registerWorkforceReports(router, { ...ctx, sites });
  registerAlertRoutes(router, { ...ctx, sites }, { persist: pipeline.persist });
  return {
    sites,
    registerSockets: (app) => {
      live.registerSockets(app);
    },
    close: async () => {
      live.close();
      // Pending retries stop; lifecycle rows already handed to the store are awaited.
      pipeline?.close();
      await pipeline?.idle();
    },
  };
}
