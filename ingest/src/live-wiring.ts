// Builds the live side in one call for wiring.ts: the site registry with the real engines
// (queue, workforce, alerts), its routes (/api/live, /api/sites) and, once the uWS app
// exists, the board feed. Order: create → await rebuild() → start() → registerSockets(app).
import type { TemplatedApp } from 'uWebSockets.js';
import type { AppContext } from './app-context.js';
import type { Router } from './adapters/http/router.js';
import { registerLiveRoutes } from './adapters/http/routes/live.js';
import { registerSiteRoutes } from './adapters/http/routes/sites.js';
import { registerBoardRoutes } from './adapters/http/routes/boards.js';
import { registerBoardFeed, type BoardFeed, type BoardFeedOptions } from './adapters/ws/board.js';
import { registerAlertConfigValidators } from './core/alerts/config.js';
import { createAlertEngine } from './core/alerts/engine.js';
import { createQueueEngine } from './core/queue/engine.js';
import { registerQualityConfigValidator } from './core/quality/config-validate.js';
import { QualityEngine } from './core/quality/engine.js';
import { registerWorkforceConfigValidator } from './core/workforce/config.js';
import { createWorkforceEngine } from './core/workforce/engine.js';
import { createWorkStateEngine } from './core/workstate/engine.js';
import { registerWorkStateConfigValidator } from './core/workstate/config.js';
import { registerStaffingConfigValidator } from './core/staffing/config.js';
import {
  SiteRegistry,
  type RuntimeFactories,
  type SiteRegistryOptions,
} from './runtime/site-registry.js';

export const DEFAULT_FACTORIES: RuntimeFactories = {
  createQueue: (site, cfg, opts) => createQueueEngine(site, cfg, opts),
  createWorkforce: (site, cfg) => createWorkforceEngine(site, cfg),
  createAlerts: (site, cfg) => createAlertEngine(site, cfg),
  createWorkState: (site, cfg) => createWorkStateEngine(site, cfg),
  createQuality: (site, cfg) => new QualityEngine(site, cfg),
};

export interface Live {
  registry: SiteRegistry;
  /** Registers WS /ws/board on the app (call once the app exists). */
  registerSockets(app: TemplatedApp, opts?: BoardFeedOptions): BoardFeed;
  /** Stops the clock and pending board windows. */
  close(): void;
}

export function createLive(
  ctx: Omit<AppContext, 'sites'>,
  router: Router,
  opts: Partial<SiteRegistryOptions> = {},
): Live {
  // PUT /api/sites and the stored configurations read at rebuild need every section's validator.
  registerAlertConfigValidators();
  registerWorkforceConfigValidator();
  registerWorkStateConfigValidator();
  registerStaffingConfigValidator();
  registerQualityConfigValidator();
  const registry = new SiteRegistry(ctx, {
    ...opts,
    factories: opts.factories ?? DEFAULT_FACTORIES,
  });
  registerLiveRoutes(router, ctx, registry);
  registerSiteRoutes(router, ctx, registry);
  registerBoardRoutes(router, ctx, registry);
  return {
    registry,
    registerSockets: (app, o) => registerBoardFeed(app, registry, ctx, o),
    close: () => registry.stop(),
  };
}
