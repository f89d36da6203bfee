// The grants a caller gives a person (admin routes, OIDC claims): checked entry by entry,
// with a 400 that names the bad one.
import { PERSON_ROLES, type Grant, type PersonRole } from '../../core/access/index.js';
import { IdentityError, SITE_RE } from './identity.js';

/** Checks a grants list from a caller; throws a 400 naming the bad entry. */
export function parseGrants(raw: unknown): Grant[] {
  if (!Array.isArray(raw))
    throw new IdentityError(400, '"grants" must be an array of {site, role, teams?}');
  if (raw.length > 200) throw new IdentityError(400, '"grants" may hold at most 200 entries');
  return raw.map((g: unknown, i) => {
    const at = `grants[${i}]`;
    if (typeof g !== 'object' || g === null)
      throw new IdentityError(400, `${at} must be an object {site, role, teams?}`);
    const { site, role, teams } = g as Record<string, unknown>;
    if (typeof site !== 'string' || (site !== '*' && !SITE_RE.test(site)))
      throw new IdentityError(400, `${at}.site must be a site name or "*" (every site)`);
    if (typeof role !== 'string' || !(PERSON_ROLES as readonly string[]).includes(role))
      throw new IdentityError(400, `${at}.role must be one of ${PERSON_ROLES.join(', ')}`);
    if (role === 'admin' && site !== '*')
      throw new IdentityError(400, `${at}: admin is granted on every site; use "site": "*"`);
    if (role === 'team_lead') {
      if (
        !Array.isArray(teams) ||
        teams.length === 0 ||
        teams.length > 50 ||
        !teams.every((t) => typeof t === 'string' && t.length > 0 && t.length <= 64)
      ) {
        throw new IdentityError(
          400,
          `${at}.teams must list the team lead's teams (1 to 50 names of at most 64 characters)`,
        );
      }
      return { site, role, teams: [...(teams as string[])] };
    }
    if (teams !== undefined) throw new IdentityError(400, `${at}.teams is only for team_lead`);
    return { site, role: role as PersonRole };
  });
}
