// Prometheus metrics (prom-client), served at GET /metrics.
import client from 'prom-client';
import type { FlushRecord } from './clickhouse/batch-writer.js';
import type { IngestReply, IngestStats } from '../pipeline/ingest-service.js';

export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });

const accepted = new client.Counter({ name: 'floorwatch_events_accepted_total', help: 'Events committed to ClickHouse', registers: [registry] });
const duplicates = new client.Counter({ name: 'floorwatch_events_duplicate_total', help: 'Events answered as duplicates', registers: [registry] });
const rejected = new client.Counter({ name: 'floorwatch_events_rejected_total', help: 'Lines rejected and dead-lettered', registers: [registry] });
const late = new client.Counter({ name: 'floorwatch_events_late_total', help: 'Events later than the lateness window', registers: [registry] });
const flushes = new client.Histogram({
  name: 'floorwatch_insert_seconds',
  help: 'Duration of each ClickHouse insert',
  labelNames: ['table', 'outcome'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});
const flushRows = new client.Counter({ name: 'floorwatch_insert_rows_total', help: 'Rows inserted', labelNames: ['table', 'outcome'], registers: [registry] });

/** Rows accepted but not yet committed (the writer's backlog), read when /metrics is scraped. */
export function trackBacklog(read: () => number): void {
  new client.Gauge({ name: 'floorwatch_ingest_backlog_rows', help: 'Rows accepted but not yet committed', registers: [registry], collect() { this.set(read()); } });
}

export const ingestStats: IngestStats = {
  onFlush(rec: FlushRecord) {
    flushes.observe({ table: rec.table, outcome: rec.outcome }, rec.ms / 1000);
    flushRows.inc({ table: rec.table, outcome: rec.outcome }, rec.rows);
  },
  onReply(r: IngestReply) {
    accepted.inc(r.accepted);
    duplicates.inc(r.duplicates);
    rejected.inc(r.rejected.length);
    late.inc(r.late);
  },
};
