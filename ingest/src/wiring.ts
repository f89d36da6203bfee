// Composes the live side (site runtimes, board feed) and registers every API route.
// Kept apart from main.ts so the order of start-up steps stays readable there.
import type { TemplatedApp } from 'uWebSockets.js';
import type { AppContext, SiteDirectory } from './app-context.js';
import type { Router } from './adapters/http/router.js';
import { defaultSiteConfig } from './core/site-config.js';
import { isoInZone } from './adapters/http/range.js';
import { registerEventRoutes } from './adapters/http/routes/events.js';

export interface Wired {
  sites: SiteDirectory;
  registerSockets(app: TemplatedApp): void;
  close(): Promise<void>;
}

export async function wire(ctx: Omit<AppContext, 'sites'>, router: Router): Promise<Wired> {
  // Interim until the site runtime lands: configuration defaults only, no live state.
  const sites: SiteDirectory = {
    config: (site) => defaultSiteConfig(site),
    setConfig: async () => {},
    workforce: () => undefined,
    alerts: () => undefined,
    applyCommitted: () => {},
    snapshot: (site, now) => ({ site, at: isoInZone(now, 'UTC'), timezone: 'UTC', interval_minutes: 15, interval_start: isoInZone(now, 'UTC'), operating_day: '', last_event_at: null, feed_stale: false, queues: [], agents: [], teams: [], alerts: [] }),
    touch: () => {},
    sites: () => [],
  };
  registerEventRoutes(router, { ...ctx, sites });
  return { sites, registerSockets: () => {}, close: async () => {} };
}
