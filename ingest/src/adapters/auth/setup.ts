// Opens the identity store, makes the first admin on an empty data folder, and builds the
// gate (HTTP) and guard (WebSockets) and the identity routes. Called once from main.ts.
import type { Logger } from 'pino';
import type { AppConfig } from '../../config.js';
import type { Store } from '../clickhouse/store.js';
import type { Router } from '../http/router.js';
import { registerAuthRoutes } from '../http/routes/auth.js';
import { registerIdentityAdminRoutes } from '../http/routes/identity-admin.js';
import { registerOidcRoutes } from '../http/routes/oidc.js';
import { OidcLogin } from './oidc.js';
import { ConfigEnvError } from '../../config.js';
import { ROUTE_TABLE, SERVER_ROUTES } from '../../core/access/index.js';
import { Gate, type GateConfig } from './gate.js';
import { Identity } from './identity.js';
import { newSecret } from './secrets.js';
import { WsGuard } from './ws-guard.js';

export interface AccessLayer {
  identity: Identity;
  gate: Gate;
  guard: WsGuard;
  close(): Promise<void>;
}

export const FIRST_ADMIN = 'admin';

export async function openAccess(
  p: { config: Readonly<AppConfig>; store: Store; log: Logger; now(): number },
  router: Router,
  extra: Pick<GateConfig, 'firehoseKeyOk'> = {},
): Promise<AccessLayer> {
  const cfg = p.config.auth;
  const identity = await Identity.open(p.store, {
    adminToken: cfg.adminToken,
    sessionIdleMs: cfg.sessionIdleMs,
    log: p.log,
    now: p.now,
  });
  if (!identity.hasUsers()) {
    // First start of an empty data folder: someone must be able to sign in and make users.
    const generated = cfg.adminPassword === null;
    const password = cfg.adminPassword ?? newSecret('').slice(0, 20);
    await identity.createUser({
      name: FIRST_ADMIN,
      display_name: 'Administrator',
      password,
      grants: [{ site: '*', role: 'admin' }],
    });
    if (generated)
      p.log.warn(
        { user: FIRST_ADMIN, password },
        'first start: created the admin account; this password is shown once, sign in and change it',
      );
    else
      p.log.info(
        { user: FIRST_ADMIN },
        'first start: created the admin account with FLOORWATCH_ADMIN_PASSWORD',
      );
  }
  const gate = new Gate(
    identity,
    { metricsOpen: cfg.metricsOpen, allowedOrigins: cfg.allowedOrigins, ...extra },
    p.log,
  );
  const guard = new WsGuard(gate);
  registerAuthRoutes(router, identity, {
    cookieSecure: cfg.cookieSecure,
    sessionIdleMs: cfg.sessionIdleMs,
    now: p.now,
  });
  registerIdentityAdminRoutes(router, identity);
  let sso: OidcLogin | null = null;
  if (cfg.oidc) {
    try {
      sso = new OidcLogin(cfg.oidc, p.now);
    } catch (e) {
      throw new ConfigEnvError(`FLOORWATCH_OIDC_ROLES ${(e as Error).message}`);
    }
  }
  registerOidcRoutes(router, identity, sso, {
    cookieSecure: cfg.cookieSecure,
    sessionIdleMs: cfg.sessionIdleMs,
    now: p.now,
  });
  // Every route the server answers, with its rule (null: missing from the access table).
  router.add('GET', '/api/access/routes', () => {
    const all = [
      ...SERVER_ROUTES.map((r) => [r.method, r.path] as [string, string]),
      ...router.list(),
    ];
    const seen = new Set<string>();
    const routes = [];
    for (const [method, path] of all) {
      if (seen.has(`${method} ${path}`)) continue;
      seen.add(`${method} ${path}`);
      const rule = ROUTE_TABLE.find((r) => r.method === method && r.path === path) ?? null;
      routes.push({ method, path, rule });
    }
    const stale = ROUTE_TABLE.filter((r) => !seen.has(`${r.method} ${r.path}`));
    return { status: 200, body: { routes, listed_without_route: stale } };
  });
  return {
    identity,
    gate,
    guard,
    close: async () => {
      guard.stop();
      await identity.close();
    },
  };
}
