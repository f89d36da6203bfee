// Typed functions for the audit log (migration 0091): one row per change, read back per
// site and time range for the audit page and its CSV export.
import { chTime, sqlFile } from './sql.js';
import type { Store } from './store.js';

export interface AuditRow {
  at: number;
  site: string;
  actor: string;
  actor_kind: string;
  action: string;
  target: string;
  /** JSON text: what changed (a diff for configurations). */
  detail: string;
  address: string;
}

export async function insertAudit(store: Store, rows: readonly AuditRow[]): Promise<void> {
  if (rows.length === 0) return;
  const body = rows.map((r) => JSON.stringify({ ...r, at: chTime(r.at) })).join('\n');
  await store.insertNdjson('audit_log', Buffer.from(body));
}

/** `sites` 'all' reads every site's entries (admins), including those of no site (users, tokens). */
export async function listAudit(
  store: Store,
  p: { sites: readonly string[] | 'all'; from: number; to: number; limit: number },
): Promise<AuditRow[]> {
  const rs = await store.client.query({
    query: sqlFile('audit', 'list', store.database),
    query_params: {
      from: chTime(p.from),
      to: chTime(p.to),
      all: p.sites === 'all' ? 1 : 0,
      sites: p.sites === 'all' ? [] : p.sites,
      limit: p.limit,
    },
    format: 'JSONEachRow',
  });
  return (await rs.json<Omit<AuditRow, 'at'> & { at_ms: string | number }>()).map(
    ({ at_ms, ...r }) => ({ ...r, at: Number(at_ms) }),
  );
}
