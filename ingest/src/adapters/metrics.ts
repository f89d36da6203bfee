// Prometheus metrics (prom-client), served at GET /metrics.
import client from 'prom-client';
import type { FlushRecord } from '../pipeline/batch-writer.js';
import type { HeldCalls } from '../core/modules.js';
import type { IngestReply, IngestStats } from '../pipeline/ingest-service.js';

export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });

const accepted = new client.Counter({
  name: 'floorwatch_events_accepted_total',
  help: 'Events committed to ClickHouse',
  registers: [registry],
});
const duplicates = new client.Counter({
  name: 'floorwatch_events_duplicate_total',
  help: 'Events answered as duplicates',
  registers: [registry],
});
const rejected = new client.Counter({
  name: 'floorwatch_events_rejected_total',
  help: 'Lines rejected and dead-lettered',
  registers: [registry],
});
const late = new client.Counter({
  name: 'floorwatch_events_late_total',
  help: 'Events later than the lateness window',
  registers: [registry],
});
const lookups = new client.Counter({
  name: 'floorwatch_dedupe_store_lookup_ids_total',
  help: 'Event ids checked against the store before insert: events at or below the dedupe floor (older than memory covers), one query per site and batch',
  registers: [registry],
});
const flushes = new client.Histogram({
  name: 'floorwatch_insert_seconds',
  help: 'Duration of each ClickHouse insert',
  labelNames: ['table', 'outcome'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});
const flushRows = new client.Counter({
  name: 'floorwatch_insert_rows_total',
  help: 'Rows inserted',
  labelNames: ['table', 'outcome'],
  registers: [registry],
});

const ckptBytes = new client.Gauge({
  name: 'floorwatch_checkpoint_bytes',
  help: "Size of the site's newest live-state checkpoint",
  labelNames: ['site'],
  registers: [registry],
});
const ckptSerialize = new client.Gauge({
  name: 'floorwatch_checkpoint_serialize_seconds',
  help: "Time the newest checkpoint held the event loop to serialise the site's live state",
  labelNames: ['site'],
  registers: [registry],
});
const ckptWrite = new client.Gauge({
  name: 'floorwatch_checkpoint_write_seconds',
  help: 'Time writing the newest checkpoint file took (temporary file, fsync, rename)',
  labelNames: ['site'],
  registers: [registry],
});
const ckptCount = new client.Counter({
  name: 'floorwatch_checkpoints_total',
  help: 'Live-state checkpoints written',
  registers: [registry],
});

/** The checkpoint writer's callback: each written checkpoint's size and times. */
export function trackCheckpoints(): (rec: {
  site: string;
  bytes: number;
  serialize_ms: number;
  write_ms: number;
}) => void {
  return (rec) => {
    ckptBytes.set({ site: rec.site }, rec.bytes);
    ckptSerialize.set({ site: rec.site }, rec.serialize_ms / 1000);
    ckptWrite.set({ site: rec.site }, rec.write_ms / 1000);
    ckptCount.inc();
  };
}

/** Rows accepted but not yet committed (the writer's backlog), read when /metrics is scraped. */
export function trackBacklog(read: () => number): void {
  new client.Gauge({
    name: 'floorwatch_ingest_backlog_rows',
    help: 'Rows accepted but not yet committed',
    registers: [registry],
    collect() {
      this.set(read());
    },
  });
}

const alertWriters: (() => number)[] = [];

/**
 * Alert lifecycle rows handed to the store and not yet committed (every pipeline summed).
 * A raise is on the boards at once and stored a moment later; a crash in between raises it
 * again after the restart, under a new id.
 */
export function trackAlertWrites(read: () => number): void {
  alertWriters.push(read);
  if (alertWriters.length > 1) return;
  new client.Gauge({
    name: 'floorwatch_alert_writes_pending',
    help: 'Alert lifecycle writes handed to the store and not yet committed',
    registers: [registry],
    collect() {
      this.set(alertWriters.reduce((n, r) => n + r(), 0));
    },
  });
}

/** What the dedupe index and the queue engines hold in memory, read when /metrics is scraped. */
export function trackLiveState(
  dedupe: () => { ids: number; pending: number; coversMs: number },
  held: () => HeldCalls,
): void {
  const gauge = (name: string, help: string, read: () => number) =>
    new client.Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  gauge(
    'floorwatch_dedupe_ids',
    'Event ids of committed events held in memory for dedupe',
    () => dedupe().ids,
  );
  gauge(
    'floorwatch_dedupe_pending_ids',
    'Event ids accepted whose insert has not settled',
    () => dedupe().pending,
  );
  gauge(
    'floorwatch_dedupe_covers_seconds',
    'How far back (event time) memory covers resends; older events are checked against the store',
    () => dedupe().coversMs / 1000,
  );
  gauge(
    'floorwatch_live_calls_held',
    'Call records the live engines hold (in progress, or kept for late events)',
    () => held().calls,
  );
  gauge(
    'floorwatch_live_calls_folded_early',
    'Finished calls folded before the fold horizon because FLOORWATCH_MAX_HELD_CALLS was reached (since start)',
    () => held().earlyFolded,
  );
  gauge(
    'floorwatch_live_fold_horizon_seconds',
    'How far behind the newest event a late event still finds its call (narrowest site)',
    () => {
      const h = held().horizonMs;
      return Number.isFinite(h) ? h / 1000 : 0;
    },
  );
}

export interface BoardFeedStats {
  bufferedBytes: number;
  maxBufferedBytes: number;
  refusedResyncs: number;
  heldBack: number;
}

const boardFeeds: (() => BoardFeedStats)[] = [];

/** The board sockets' unsent bytes and refusals, read when /metrics is scraped (every feed summed). */
export function trackBoardFeed(read: () => BoardFeedStats): void {
  boardFeeds.push(read);
  if (boardFeeds.length > 1) return;
  const sum = (k: keyof BoardFeedStats) => () => boardFeeds.reduce((acc, r) => acc + r()[k], 0);
  const gauge = (name: string, help: string, read: () => number) =>
    new client.Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  gauge(
    'floorwatch_board_buffered_bytes',
    'Bytes queued for board sockets and not yet sent (all boards)',
    sum('bufferedBytes'),
  );
  gauge(
    'floorwatch_board_max_buffered_bytes',
    'The cap on those bytes (FLOORWATCH_BOARD_MAX_BUFFERED_MIB)',
    sum('maxBufferedBytes'),
  );
  gauge(
    'floorwatch_board_resyncs_refused',
    'Resync requests refused for going past the per-socket budget (since start)',
    sum('refusedResyncs'),
  );
  gauge(
    'floorwatch_board_snapshots_held_back',
    'Snapshots held back or sockets ended because every board together held too many unsent bytes (since start)',
    sum('heldBack'),
  );
}

export const ingestStats: IngestStats = {
  onFlush(rec: FlushRecord) {
    flushes.observe({ table: rec.table, outcome: rec.outcome }, rec.ms / 1000);
    flushRows.inc({ table: rec.table, outcome: rec.outcome }, rec.rows);
  },
  onLookup(ids: number) {
    lookups.inc(ids);
  },
  // Called per message, often with one event and nothing else to count.
  onReply(r: IngestReply) {
    if (r.accepted) accepted.inc(r.accepted);
    if (r.duplicates) duplicates.inc(r.duplicates);
    if (r.rejected.length) rejected.inc(r.rejected.length);
    if (r.late) late.inc(r.late);
  },
};
