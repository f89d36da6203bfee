// Who a request acts as, for handlers: the name written into acks and changes, and the
// team check of team-scoped routes (a team lead acts only for their own teams).
import { HttpError, type ApiRequest } from './router.js';

/**
 * The name a change is recorded under. A signed-in person or kiosk is always themselves; a
 * `by` field or X-Floorwatch-User header is honoured only with an admin or ingest token
 * (automation acting for someone). Without a gate (a test calling the router) the claim stands.
 */
export function actingAs(req: ApiRequest, claimed: string | undefined): string | undefined {
  const a = req.access;
  if (!a) return claimed;
  if (a.mayNameOthers) return claimed && claimed.trim() ? claimed : a.displayName;
  return a.displayName;
}

/** Throws 403 unless the caller may act for every team listed (null: no team known). */
export function requireTeams(
  req: ApiRequest,
  site: string,
  teams: readonly (string | null)[],
  what: string,
): void {
  const a = req.access;
  if (!a || !a.rule.team) return;
  const allowed = a.teams(site);
  if (allowed === 'all') return;
  for (const t of teams) {
    if (t === null || !allowed.includes(t)) {
      throw new HttpError(
        403,
        `a team lead may ${what} only for their own team${allowed.length === 1 ? '' : 's'} (${allowed.join(', ') || 'none'})${t === null ? '; this one belongs to no team' : `, not team "${t}"`}`,
      );
    }
  }
}
