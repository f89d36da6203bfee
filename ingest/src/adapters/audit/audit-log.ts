// The audit log's writer: every successful state-changing call is recorded with who made
// it (the access gate's caller), from where, on which site, and what changed (the route's
// own entry, e.g. a configuration diff, or the method and path). Written before the reply
// goes out, so a change the caller saw succeed is in the log.
import type { Logger } from 'pino';
import { insertAudit, type AuditRow } from '../../../../queries/audit.js';
import type { Store } from '../clickhouse/store.js';
import type { Access } from '../auth/gate.js';
import type { AuditEntry } from '../http/router.js';

/** High-volume data feeds, not changes: not audited. */
const NOT_AUDITED = new Set(['POST /api/events', 'POST /api/adapters/amazon-connect']);

export class AuditLog {
  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  audits(method: string, rulePath: string): boolean {
    return method !== 'GET' && method !== 'HEAD' && !NOT_AUDITED.has(`${method} ${rulePath}`);
  }

  async record(
    access: Access | undefined,
    entries: readonly AuditEntry[],
    address: string,
  ): Promise<void> {
    const at = this.now();
    const p = access?.principal ?? null;
    const rows: AuditRow[] = entries.map((e) => ({
      at,
      site: e.site,
      actor: e.actor ?? access?.identity ?? 'anonymous',
      actor_kind: p?.kind ?? 'anonymous',
      action: e.action.slice(0, 64),
      target: e.target.slice(0, 256),
      detail: e.detail === undefined ? '' : JSON.stringify(e.detail).slice(0, 64 * 1024),
      address: address.slice(0, 64),
    }));
    try {
      await insertAudit(this.store, rows);
    } catch (e) {
      // The change itself is stored; losing its audit row is logged loudly rather than failing the call.
      this.log.error({ err: e, audit: rows }, 'could not write the audit log');
    }
  }
}
