// Who a caller is (a principal) and what role it holds on a site. Pure: the adapters turn a
// bearer token, a session cookie or a kiosk cookie into a Principal; the route table and
// decide() say what it may do.

/** People's roles, lowest to highest; each includes what the ones before it may do. */
export const PERSON_ROLES = ['viewer', 'team_lead', 'shift_lead', 'manager', 'admin'] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];
/** Machine roles: a kiosk link reads one board; an ingest token feeds one site's events. */
export type MachineRole = 'kiosk' | 'ingest';
export type Role = PersonRole | MachineRole;
export const ALL_ROLES: readonly Role[] = ['kiosk', 'ingest', ...PERSON_ROLES];

/** A role granted to a user on one site ('*' = every site); a team lead's grant names teams. */
export interface Grant {
  site: string;
  role: PersonRole;
  /** For team_lead only: the teams (as agents' `team` field) the grant covers. */
  teams?: string[];
}

export type Principal =
  /** FLOORWATCH_ADMIN_TOKEN: admin on every route and site (automation, tests). */
  | { kind: 'admin_token' }
  | {
      kind: 'user';
      user: string;
      display: string;
      grants: readonly Grant[];
      via: 'session';
      session: string;
      csrf: string;
    }
  | { kind: 'ingest'; tokenId: string; site: string }
  | { kind: 'kiosk'; tokenId: string; site: string; board: string };

const rank = (r: PersonRole): number => PERSON_ROLES.indexOf(r);

/** The strongest grant of a user on a site (a '*' grant counts on every site), or null. */
export function userGrantOn(grants: readonly Grant[], site: string): Grant | null {
  let best: Grant | null = null;
  for (const g of grants) {
    if (g.site !== site && g.site !== '*') continue;
    if (!best || rank(g.role) > rank(best.role)) best = g;
    else if (best.role === 'team_lead' && g.role === 'team_lead')
      best = {
        site: best.site,
        role: 'team_lead',
        teams: [...(best.teams ?? []), ...(g.teams ?? [])],
      };
  }
  return best;
}

/** The role a principal holds on a site ('*' asks for a global role), or null for none. */
export function roleOn(p: Principal, site: string): Role | null {
  switch (p.kind) {
    case 'admin_token':
      return 'admin';
    case 'ingest':
      return site === p.site ? 'ingest' : null;
    case 'kiosk':
      return site === p.site ? 'kiosk' : null;
    case 'user': {
      if (site === '*')
        return p.grants.some((g) => g.site === '*' && g.role === 'admin') ? 'admin' : null;
      return userGrantOn(p.grants, site)?.role ?? null;
    }
  }
}

/** Whether a principal holds any of `roles` on some site (for routes whose site is optional). */
export function hasAnyRole(p: Principal, roles: readonly Role[]): boolean {
  switch (p.kind) {
    case 'admin_token':
      return roles.includes('admin');
    case 'ingest':
      return roles.includes('ingest');
    case 'kiosk':
      return roles.includes('kiosk');
    case 'user':
      return p.grants.some((g) => roles.includes(g.role));
  }
}

/**
 * The sites a principal may use with `roles`, out of `known`; 'all' when it holds one of them
 * on every site (an admin, or a '*' grant).
 */
export function sitesWith(
  p: Principal,
  roles: readonly Role[],
  known: readonly string[],
): string[] | 'all' {
  if (p.kind === 'admin_token') return roles.includes('admin') ? 'all' : [];
  if (p.kind !== 'user') return roles.includes(p.kind) ? [p.site] : [];
  if (p.grants.some((g) => g.site === '*' && roles.includes(g.role))) return 'all';
  const out = new Set<string>();
  for (const g of p.grants) if (roles.includes(g.role)) out.add(g.site);
  for (const s of known) if (roles.some((r) => roleOn(p, s) === r)) out.add(s);
  return [...out];
}

/**
 * The teams a principal may act for on a site under a team-scoped route: 'all' for any role
 * above team lead, the granted teams for a team lead, [] otherwise.
 */
export function teamsOn(p: Principal, site: string): string[] | 'all' {
  const role = roleOn(p, site);
  if (role === null || role === 'kiosk' || role === 'ingest' || role === 'viewer') return [];
  if (role !== 'team_lead') return 'all';
  if (p.kind !== 'user') return [];
  return userGrantOn(p.grants, site)?.teams ?? [];
}

/** The name written into acks and the audit log. */
export function identityOf(p: Principal): string {
  switch (p.kind) {
    case 'admin_token':
      return 'admin-token';
    case 'user':
      return p.user;
    case 'ingest':
      return `ingest-token:${p.tokenId}`;
    case 'kiosk':
      return `kiosk:${p.tokenId}`;
  }
}
