// Service-quality state kept in ClickHouse: incidents (table quality_incidents, migration
// 0110; each change is a new row, the newest wins), and the restart rebuild of the quality
// engine from stored work-order events (after a checkpoint's import, before today's replay).
import type { FwEvent } from '../../core/contract.js';
import type { Incident } from '../../core/quality/incidents.js';
import type { QualityEngine } from '../../core/quality/engine.js';
import { chTime, report } from '../../../../queries/sql.js';
import type { Store } from './store.js';

const DAY_MS = 86_400_000;

export class QualityStoreError extends Error {
  readonly code = 'quality_store';
}

/** saved_at grows per process so the newest version of an incident wins even within one ms. */
let lastSavedAt = 0;

export async function saveIncident(store: Store, i: Incident, now: number): Promise<void> {
  const savedAt = Math.max(now, lastSavedAt + 1);
  lastSavedAt = savedAt;
  const row = JSON.stringify({
    site: i.site,
    id: i.id,
    saved_at: chTime(savedAt),
    resolved: i.resolved_at === null ? 0 : 1,
    incident: JSON.stringify(i),
  });
  try {
    await store.insertNdjson('quality_incidents', Buffer.from(row + '\n'));
  } catch (e) {
    throw new QualityStoreError(`saving incident ${i.id} failed: ${(e as Error).message}`, {
      cause: e,
    });
  }
}

/** Loads a site's open incidents (and those resolved since the day before) into the engine. */
export async function hydrateIncidents(
  store: Store,
  site: string,
  engine: QualityEngine | undefined,
  now: number,
): Promise<void> {
  if (!engine) return;
  const rs = await store.client.query({
    query: report('quality-incidents-open', store.database),
    query_params: { site, since: chTime(now - DAY_MS) },
    format: 'JSONEachRow',
  });
  for (const r of await rs.json<{ incident: string }>())
    engine.addIncident(JSON.parse(r.incident) as Incident);
}

/**
 * Loads a site's work-order events of the last repeat window that arrived after
 * `receivedAfter` (0: all of them; a checkpoint's newest arrival: only those it does not hold,
 * whatever their event time). Applying an event twice changes nothing, so today's replay
 * after this is safe.
 */
export async function hydrateTickets(
  store: Store,
  site: string,
  engine: QualityEngine | undefined,
  now: number,
  receivedAfter: number,
): Promise<void> {
  if (!engine) return;
  const since = now - (engine.config.repeat_days + 3) * DAY_MS;
  const ev = await store.client.query({
    query: report('quality-ticket-events', store.database),
    query_params: {
      site,
      since: chTime(since),
      now: chTime(now),
      received_after: chTime(receivedAfter),
    },
    format: 'JSONEachRow',
  });
  for (const r of await ev.json<{ raw: string; ts_ms: string | number }>()) {
    try {
      const o = JSON.parse(r.raw) as Record<string, unknown>;
      engine.apply({ ...o, ts: Number(r.ts_ms) } as unknown as FwEvent);
    } catch {
      // A stored line was valid when ingested; one that no longer parses is skipped, not fatal.
    }
  }
}
