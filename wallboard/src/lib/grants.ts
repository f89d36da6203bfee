// Grants between the API's shape and the users page's rows (teams typed comma-separated).
import type { Grant } from '../../../ingest/src/core/access/roles.js';

export interface GrantRow {
  site: string;
  role: Grant['role'];
  teams: string;
}

export const toRows = (grants: readonly Grant[]): GrantRow[] =>
  grants.map((g) => ({ site: g.site, role: g.role, teams: (g.teams ?? []).join(', ') }));

export const fromRows = (rows: readonly GrantRow[]): Grant[] =>
  rows.map((r) =>
    r.role === 'team_lead'
      ? {
          site: r.site,
          role: r.role,
          teams: r.teams
            .split(/[,，\s]+/)
            .map((t) => t.trim())
            .filter(Boolean),
        }
      : { site: r.role === 'admin' ? '*' : r.site, role: r.role },
  );
