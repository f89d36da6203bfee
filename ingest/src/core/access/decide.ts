// The access decision for one request: the route's rule, the caller (or none) and the site
// the request acts on give allow, 401 (no or bad credentials) or 403 (not this role or site).
import { hasAnyRole, roleOn, type Principal } from './roles.js';
import type { RouteRule } from './route-table.js';

export type Decision = { allow: true } | { allow: false; status: 401 | 403; error: string };

export const NEED_CREDENTIALS =
  'sign in, open a kiosk link, or send "Authorization: Bearer <token>"';

export function decide(rule: RouteRule, p: Principal | null, site: string | null): Decision {
  if (rule.roles === 'open') return { allow: true };
  if (!p) return { allow: false, status: 401, error: NEED_CREDENTIALS };
  const roles = rule.roles;
  const deny = (why: string): Decision => ({ allow: false, status: 403, error: why });
  switch (rule.site) {
    case 'global':
      return roles.some((r) => roleOn(p, '*') === r)
        ? { allow: true }
        : deny(`this needs the ${roles.join(' or ')} role on every site`);
    case 'self':
      return hasAnyRole(p, roles) ? { allow: true } : deny('these credentials cannot be used here');
    default: {
      // No site named (optional, or missing: the handler answers 400): a role anywhere lets
      // the request through, and the handler keeps to the caller's sites.
      if (site === null)
        return hasAnyRole(p, roles)
          ? { allow: true }
          : deny(`this needs one of the roles ${roles.join(', ')}`);
      const role = roleOn(p, site);
      if (role !== null && roles.includes(role)) return { allow: true };
      return deny(
        role === null
          ? `no access to site "${site}"`
          : `the ${role} role on site "${site}" cannot do this; it needs ${roles.join(' or ')}`,
      );
    }
  }
}
