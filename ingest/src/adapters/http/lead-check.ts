// Who may decide a team's break requests: a lead of that team. With the identity service
// (issue 19) a signed-in caller's own team grants decide; automation that names someone
// (X-Floorwatch-User with an admin token), and a server without identities, are checked
// against the site's work_state.leads list. Either way the decision records the person.
import type { WorkStateConfig } from '../../core/workstate/config.js';
import { HttpError, type ApiRequest } from './router.js';

/** The part of the identity service's per-request access this check reads (structural, so either side can move first). */
interface AccessLike {
  identity: string;
  mayNameOthers?: boolean;
  teams(site: string): readonly string[] | 'all';
}

function header(req: ApiRequest, name: string): string | undefined {
  for (const [k, v] of Object.entries(req.headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}

/** The person acting: the signed-in identity, or the named user (header, then body `by`). */
export function actingUser(req: ApiRequest, bodyBy: unknown): string {
  const access = (req as ApiRequest & { access?: AccessLike }).access;
  const named =
    header(req, 'x-floorwatch-user') ?? (typeof bodyBy === 'string' ? bodyBy : undefined);
  const who = access && !access.mayNameOthers ? access.identity : named?.trim() || access?.identity;
  if (!who)
    throw new HttpError(
      400,
      'say who is acting: sign in, or send the X-Floorwatch-User header or "by" in the body',
    );
  if (who.length > 64) throw new HttpError(400, 'the user name must be at most 64 characters');
  return who;
}

/** Throws 403 unless `user` leads `team` on `site`. */
export function requireTeamLead(
  req: ApiRequest,
  site: string,
  team: string,
  user: string,
  cfg: WorkStateConfig,
): void {
  const access = (req as ApiRequest & { access?: AccessLike }).access;
  if (access && !access.mayNameOthers) {
    const teams = access.teams(site);
    if (teams === 'all' || teams.includes(team)) return;
    throw new HttpError(
      403,
      `only a lead of team "${team}" may decide this break request; ${user} leads ${teams.length ? teams.join(', ') : 'no team'} here`,
    );
  }
  if ((cfg.leads[team] ?? []).includes(user)) return;
  throw new HttpError(
    403,
    `only a lead of team "${team}" may decide this break request; ${user} is not one (work_state.leads.${team})`,
  );
}
