// THE access table: every HTTP route and WebSocket path, the roles that may call it, and
// where its site comes from. The HTTP gate and the WebSocket upgrades enforce it, and
// test/integration/access-matrix.test.ts walks it (every route x every role x own/other
// site) and fails when the server has a route that is not listed here. A new route gets a
// line here in the same commit.
import type { Role } from './roles.js';

export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'WS';

/**
 * Where the site a request acts on is read from:
 * - `param` / `query`: the `site` path segment or query parameter (required);
 * - `query?`: an optional `site` query parameter; without it the handler keeps to the
 *   sites the caller holds the role on (it asks req.access);
 * - `alert`: the site is the prefix of the `:id` alert id (`site:…`);
 * - `body`: per event line (ingest: each line's `site` must be the token's);
 * - `global`: no site; the role must be held on every site (`*`), i.e. an admin;
 * - `self`: any signed-in caller, about themselves (sign-out, who am I).
 */
export type SiteFrom = 'param' | 'query' | 'query?' | 'alert' | 'body' | 'global' | 'self';

export interface RouteRule {
  method: RouteMethod;
  /** As the router's patterns: `/api/sites/:site`; a final `*` matches any rest of the path. */
  path: string;
  /** 'open': no credentials needed (the route itself says why). */
  roles: readonly Role[] | 'open';
  site: SiteFrom;
  /** A team lead may act only for their own teams here: the handler checks the team. */
  team?: true;
}

const BOARD: readonly Role[] = ['kiosk', 'viewer', 'team_lead', 'shift_lead', 'manager', 'admin'];
const PEOPLE: readonly Role[] = ['viewer', 'team_lead', 'shift_lead', 'manager', 'admin'];
const LEADS: readonly Role[] = ['team_lead', 'shift_lead', 'manager', 'admin'];
const SHIFT: readonly Role[] = ['shift_lead', 'manager', 'admin'];
const MANAGE: readonly Role[] = ['manager', 'admin'];
const ADMIN: readonly Role[] = ['admin'];
const INGEST: readonly Role[] = ['ingest', 'admin'];

export const ROUTE_TABLE: readonly RouteRule[] = [
  // Load balancers probe this without credentials.
  { method: 'GET', path: '/healthz', roles: 'open', site: 'global' },
  // Open only with FLOORWATCH_METRICS_OPEN=1 (the gate checks the setting).
  { method: 'GET', path: '/metrics', roles: ADMIN, site: 'global' },
  // The board's files hold no data (the data comes from /api and /ws); the sign-in page is among them.
  { method: 'GET', path: '/*', roles: 'open', site: 'global' },
  // A kiosk link: the token in the path is the credential; it is exchanged for a cookie.
  { method: 'GET', path: '/kiosk/:token', roles: 'open', site: 'global' },

  // Sign-in (rate limited per account and per address) and the session's own calls.
  { method: 'POST', path: '/api/auth/login', roles: 'open', site: 'global' },
  // Single sign-on (OpenID Connect): what the sign-in page offers, and the two legs of the flow.
  { method: 'GET', path: '/api/auth/methods', roles: 'open', site: 'global' },
  { method: 'GET', path: '/api/auth/oidc/start', roles: 'open', site: 'global' },
  { method: 'GET', path: '/api/auth/oidc/callback', roles: 'open', site: 'global' },
  { method: 'POST', path: '/api/auth/logout', roles: PEOPLE, site: 'self' },
  { method: 'GET', path: '/api/auth/me', roles: [...BOARD, 'ingest'], site: 'self' },

  // Producers.
  { method: 'POST', path: '/api/events', roles: INGEST, site: 'body' },
  { method: 'WS', path: '/ws/ingest', roles: INGEST, site: 'body' },
  // Amazon Connect through Firehose: the X-Amz-Firehose-Access-Key header carries an ingest
  // token or the site's configured access key (Firehose cannot send a bearer token).
  { method: 'POST', path: '/api/adapters/amazon-connect', roles: INGEST, site: 'query' },

  // Boards.
  { method: 'WS', path: '/ws/board', roles: BOARD, site: 'query' },
  { method: 'GET', path: '/api/live', roles: BOARD, site: 'query' },
  { method: 'GET', path: '/api/live/intervals', roles: BOARD, site: 'query' },
  { method: 'GET', path: '/api/live/series', roles: BOARD, site: 'query' },
  { method: 'GET', path: '/api/live/workforce', roles: BOARD, site: 'query' },
  { method: 'GET', path: '/api/alerts', roles: BOARD, site: 'query' },
  { method: 'GET', path: '/api/sites', roles: BOARD, site: 'query?' },
  { method: 'GET', path: '/api/sites/:site', roles: BOARD, site: 'param' },

  // Floor leads.
  { method: 'POST', path: '/api/alerts/:id/ack', roles: LEADS, site: 'alert', team: true },
  { method: 'GET', path: '/api/handover', roles: LEADS, site: 'query' },
  { method: 'GET', path: '/api/sites/:site/roster', roles: LEADS, site: 'param' },
  { method: 'POST', path: '/api/sites/:site/excused', roles: LEADS, site: 'param', team: true },

  // Work-state management (issue 24): leads see the floor's breaks and decide requests (a team
  // lead for their own teams: the handler checks the agent's team).
  { method: 'GET', path: '/api/sites/:site/work-state', roles: LEADS, site: 'param' },
  { method: 'GET', path: '/api/sites/:site/break-requests', roles: LEADS, site: 'param' },
  { method: 'POST', path: '/api/sites/:site/break-requests', roles: LEADS, site: 'param' },
  {
    method: 'POST',
    path: '/api/sites/:site/break-requests/:id/decision',
    roles: LEADS,
    site: 'param',
    team: true,
  },
  // Intraday staffing: required vs staffed agents, on the board's strip (issue 24); what-if for leads.
  { method: 'GET', path: '/api/sites/:site/staffing', roles: BOARD, site: 'param' },
  { method: 'POST', path: '/api/sites/:site/what-if', roles: LEADS, site: 'param' },
  // Incidents (故障预警): every board shows the open ones; shift leads raise, resolve and publish.
  { method: 'GET', path: '/api/sites/:site/incidents', roles: BOARD, site: 'param' },
  { method: 'POST', path: '/api/sites/:site/incidents', roles: SHIFT, site: 'param' },
  { method: 'POST', path: '/api/sites/:site/incidents/:id/resolve', roles: SHIFT, site: 'param' },
  { method: 'POST', path: '/api/sites/:site/incidents/:id/bulletin', roles: SHIFT, site: 'param' },

  // Managers: history, rosters, configuration, overflow rules and their webhooks.
  { method: 'PUT', path: '/api/sites/:site', roles: MANAGE, site: 'param' },
  // Boards per audience: managers save layouts; viewers and kiosks open them.
  { method: 'GET', path: '/api/sites/:site/boards', roles: BOARD, site: 'param' },
  { method: 'PUT', path: '/api/sites/:site/boards/:name', roles: MANAGE, site: 'param' },
  { method: 'DELETE', path: '/api/sites/:site/boards/:name', roles: MANAGE, site: 'param' },
  { method: 'GET', path: '/api/sites/:site/history', roles: MANAGE, site: 'param' },
  { method: 'PUT', path: '/api/sites/:site/roster', roles: MANAGE, site: 'param' },
  { method: 'GET', path: '/api/sites/:site/roster/history', roles: MANAGE, site: 'param' },
  { method: 'GET', path: '/api/alerts/:id/deliveries', roles: MANAGE, site: 'alert' },
  { method: 'GET', path: '/api/events', roles: MANAGE, site: 'query' },
  { method: 'GET', path: '/api/events/stats', roles: MANAGE, site: 'query' },
  { method: 'GET', path: '/api/dead-letters', roles: MANAGE, site: 'query?' },
  { method: 'GET', path: '/api/reports/intervals', roles: MANAGE, site: 'query' },
  { method: 'GET', path: '/api/reports/conformance', roles: MANAGE, site: 'query' },
  { method: 'GET', path: '/api/reports/adherence', roles: MANAGE, site: 'query' },
  { method: 'GET', path: '/api/reports/attendance', roles: MANAGE, site: 'query' },
  { method: 'GET', path: '/api/reports/absences', roles: MANAGE, site: 'query' },
  { method: 'GET', path: '/api/reports/break-overruns', roles: MANAGE, site: 'query' },
  { method: 'PUT', path: '/api/sites/:site/forecast', roles: MANAGE, site: 'param' },
  { method: 'GET', path: '/api/reports/forecast-accuracy', roles: MANAGE, site: 'query' },
  { method: 'GET', path: '/api/reports/verify', roles: ADMIN, site: 'query' },
  { method: 'GET', path: '/api/reports/quality', roles: MANAGE, site: 'query' },
  // Who changed what: a manager reads their sites' entries, an admin every entry.
  { method: 'GET', path: '/api/audit', roles: MANAGE, site: 'query?' },

  // Admins: users and tokens.
  { method: 'GET', path: '/api/users', roles: ADMIN, site: 'global' },
  { method: 'POST', path: '/api/users', roles: ADMIN, site: 'global' },
  { method: 'PUT', path: '/api/users/:name', roles: ADMIN, site: 'global' },
  { method: 'DELETE', path: '/api/users/:name', roles: ADMIN, site: 'global' },
  { method: 'GET', path: '/api/tokens', roles: ADMIN, site: 'global' },
  { method: 'POST', path: '/api/tokens', roles: ADMIN, site: 'global' },
  { method: 'DELETE', path: '/api/tokens/:id', roles: ADMIN, site: 'global' },
  // The routes the server has and the rule of each (the admin page and the matrix test read it).
  { method: 'GET', path: '/api/access/routes', roles: ADMIN, site: 'global' },
];

/** Paths the server answers outside the router (server.ts and the WebSocket handlers). */
export const SERVER_ROUTES: readonly { method: RouteMethod; path: string }[] = [
  { method: 'GET', path: '/healthz' },
  { method: 'GET', path: '/metrics' },
  { method: 'GET', path: '/*' },
  { method: 'POST', path: '/api/events' },
  { method: 'WS', path: '/ws/ingest' },
  { method: 'WS', path: '/ws/board' },
];

const partsOf = (p: string): string[] => p.split('/').filter(Boolean);
const COMPILED = ROUTE_TABLE.map((r) => ({
  rule: r,
  parts: partsOf(r.path),
  wild: r.path.endsWith('/*'),
}));

/**
 * The rule for a request, with the path parameters it names; exact patterns win over the
 * final-`*` ones. null: the route is not in the table.
 */
export function matchRule(
  method: RouteMethod | string,
  path: string,
): { rule: RouteRule; params: Record<string, string> } | null {
  const segs = partsOf(path);
  let wildcard: RouteRule | null = null;
  for (const { rule, parts, wild } of COMPILED) {
    if (rule.method !== method && !(method === 'HEAD' && rule.method === 'GET')) continue;
    if (wild) {
      if (
        !wildcard &&
        segs.length >= parts.length - 1 &&
        parts.slice(0, -1).every((p, i) => p === segs[i])
      )
        wildcard = rule;
      continue;
    }
    if (parts.length !== segs.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < parts.length && ok; i++) {
      const p = parts[i] as string;
      const s = segs[i] as string;
      if (p.startsWith(':')) {
        try {
          params[p.slice(1)] = decodeURIComponent(s);
        } catch {
          ok = false;
        }
      } else ok = p === s;
    }
    if (ok) return { rule, params };
  }
  // API and WebSocket paths never fall through to the board's files.
  if (wildcard && !path.startsWith('/api/') && !path.startsWith('/ws/'))
    return { rule: wildcard, params: {} };
  return null;
}

/** Every listed route as "METHOD /path" (for the matrix test and the missing-entry check). */
export const routeKey = (method: string, path: string): string => `${method} ${path}`;
