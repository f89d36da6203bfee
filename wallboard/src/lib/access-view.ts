// What the board offers a caller (pure, so it is unit-tested): the role on a site, a team
// lead's teams, whether an alert may be acknowledged, where sign-in returns to. The server
// decides for real (core/access); these only hide what would be refused.
import { userGrantOn, type Grant, type PersonRole } from '../../../ingest/src/core/access/roles.js';

export type Me =
  | { kind: 'user'; user: string; display_name: string; grants: Grant[] }
  | { kind: 'kiosk'; token_id: string; site: string; board: string }
  | { kind: 'admin_token'; user: string; grants: Grant[] }
  | { kind: 'ingest'; token_id: string; site: string };

export type SiteRole = PersonRole | 'kiosk';

const RANK: readonly SiteRole[] = [
  'kiosk',
  'viewer',
  'team_lead',
  'shift_lead',
  'manager',
  'admin',
];

/** The role a caller holds on a site (null: none); a '*' grant counts on every site. */
export function roleOn(me: Me | null, site: string): SiteRole | null {
  if (!me) return null;
  if (me.kind === 'admin_token') return 'admin';
  if (me.kind === 'kiosk') return me.site === site ? 'kiosk' : null;
  if (me.kind === 'ingest') return null;
  return userGrantOn(me.grants, site)?.role ?? null;
}

/** Whether a caller holds at least `role` on the site. */
export const atLeast = (me: Me | null, site: string, role: SiteRole): boolean => {
  const r = roleOn(me, site);
  return r !== null && RANK.indexOf(r) >= RANK.indexOf(role);
};

/** A team lead's teams on the site; 'all' for the roles above; [] for none. */
export function teamsOn(me: Me | null, site: string): string[] | 'all' {
  const r = roleOn(me, site);
  if (r === null || r === 'kiosk' || r === 'viewer') return [];
  if (r !== 'team_lead' || me?.kind !== 'user') return 'all';
  return userGrantOn(me.grants, site)?.teams ?? [];
}

/** Whether the caller may acknowledge an alert of this site and team (the route table's LEADS, team-scoped). */
export function mayAck(me: Me | null, site: string, team: string | null | undefined): boolean {
  const teams = teamsOn(me, site);
  if (teams === 'all') return true;
  return !!team && teams.includes(team);
}

export const isAdmin = (me: Me | null): boolean =>
  me?.kind === 'admin_token' ||
  (me?.kind === 'user' && me.grants.some((g) => g.site === '*' && g.role === 'admin'));

/** Managers (on some site) and admins read the audit log. */
export const readsAudit = (me: Me | null): boolean =>
  isAdmin(me) ||
  (me?.kind === 'user' && me.grants.some((g) => g.role === 'manager' || g.role === 'admin'));

/** The strongest role a person holds anywhere (for the header when no site is in view). */
export function topRole(me: Me | null): SiteRole | null {
  if (!me) return null;
  if (me.kind === 'kiosk') return 'kiosk';
  if (me.kind !== 'user') return isAdmin(me) ? 'admin' : null;
  let best: SiteRole | null = null;
  for (const g of me.grants) if (!best || RANK.indexOf(g.role) > RANK.indexOf(best)) best = g.role;
  return best;
}

export const displayName = (me: Me | null): string =>
  me?.kind === 'user' ? me.display_name || me.user : me?.kind === 'admin_token' ? me.user : '';

/** The sign-in page's address, coming back to `here` afterwards. */
export function signInPath(here: string): string {
  return here && here !== '/' && !here.startsWith('/signin')
    ? `/signin?next=${encodeURIComponent(here)}`
    : '/signin';
}

/** Only a same-site path is followed after sign-in (never another origin). */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}
