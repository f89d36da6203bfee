// The store every query runs against, as the layers inside the adapters see it: the
// @clickhouse/client API and the two insert routes ingest needs. The ClickHouse adapter
// (ingest/src/adapters/clickhouse/store.ts) implements it for the embedded engine and a server.
import type { ClickHouseClient } from '@clickhouse/client';
import type { EventDayLedger } from '../ingest/src/core/event-days.js';

/** An insert's bytes: one buffer, or pieces that follow one another (a Native block's columns). */
export type InsertBytes = Buffer | readonly Buffer[];

export interface Store {
  readonly kind: 'embedded' | 'server';
  readonly client: ClickHouseClient;
  readonly database: string;
  /** Inserts JSONEachRow bytes (one row per line) into `table`; an omitted field takes its column's default. */
  insertNdjson(table: string, body: InsertBytes, dedupToken?: string): Promise<void>;
  /** Inserts one Native block whose columns are `columns`, in that order. */
  insertNative(
    table: string,
    columns: readonly string[],
    body: InsertBytes,
    dedupToken?: string,
  ): Promise<void>;
  /** Stored events per site and UTC day as this process knows them: the report facts' freshness count. */
  readonly eventDays: EventDayLedger;
  close(): Promise<void>;
}
