// Typed functions for the historical reports: each loads queries/reports/<name>.sql and
// runs it with server-side parameters. Keep this a flat list of functions; add yours
// below with the shared `report()` loader.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Store } from '../ingest/src/adapters/clickhouse/store.js';
import type { IntervalRow } from '../ingest/src/core/modules.js';
import { queueConfig, type SiteConfig } from '../ingest/src/core/site-config.js';

export const REPORTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'reports');

const cache = new Map<string, string>();

/** The text of queries/reports/<name>.sql with `{db}` replaced by the store's database. */
export function report(name: string, db: string): string {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`report name must be kebab-case, got "${name}"`);
  let text = cache.get(name);
  if (text === undefined) cache.set(name, (text = readFileSync(path.join(REPORTS_DIR, `${name}.sql`), 'utf8')));
  return text.replaceAll('{db}', db);
}

/** ClickHouse DateTime64(3) parameter text for an instant, in UTC. */
export function chTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 23);
}

/** Per-queue settings as array parameters (queue names, thresholds, short-abandon, variant) plus the default. */
export function queueParams(cfg: SiteConfig): Record<string, unknown> {
  const names = Object.keys(cfg.queues);
  return {
    q_names: names,
    q_threshold_s: names.map((q) => queueConfig(cfg, q).threshold_s),
    q_short_s: names.map((q) => queueConfig(cfg, q).short_abandon_s),
    q_variant: names.map((q) => queueConfig(cfg, q).variant),
    def_threshold_s: cfg.default_queue.threshold_s,
    def_short_s: cfg.default_queue.short_abandon_s,
    def_variant: cfg.default_queue.variant,
  };
}

export interface IntervalsParams {
  site: string;
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
  interval: 15 | 30 | 60;
  /** The site's configuration: time zone and per-queue thresholds and SL variant. */
  config: SiteConfig;
  queue?: string;
}

/** An interval row with its start as epoch ms (the route formats it in the site's zone). */
export interface IntervalRowMs extends Omit<IntervalRow, 'interval_start'> {
  interval_start_ms: number;
  /** Calls counted for AHT, and the sums behind ASA and AHT (ms), for explain. */
  handled: number;
  wait_sum_ms: number;
  handle_sum_ms: number;
}

type Num = number | string | null;
const n = (v: Num): number => Number(v);
const nn = (v: Num): number | null => (v === null ? null : Number(v));

/** The interval report (queries/reports/intervals.sql); same definitions as the live engine. */
export async function intervalsReport(store: Store, p: IntervalsParams): Promise<IntervalRowMs[]> {
  const rs = await store.client.query({
    query: report('intervals', store.database),
    query_params: {
      site: p.site,
      from: chTime(p.from),
      to: chTime(p.to),
      interval: p.interval,
      tz: p.config.timezone,
      queue: p.queue ?? '',
      ...queueParams(p.config),
    },
    format: 'JSONEachRow',
  });
  const rows = await rs.json<Record<string, Num>>();
  return rows.map((r) => ({
    interval_start_ms: n(r['interval_start_ms'] ?? null),
    queue: String(r['queue']),
    offered: n(r['offered'] ?? null),
    answered: n(r['answered'] ?? null),
    answered_within_threshold: n(r['answered_within_threshold'] ?? null),
    abandoned: n(r['abandoned'] ?? null),
    short_abandoned: n(r['short_abandoned'] ?? null),
    service_level: nn(r['service_level'] ?? null),
    asa_s: nn(r['asa_s'] ?? null),
    aht_s: nn(r['aht_s'] ?? null),
    answer_rate: nn(r['answer_rate'] ?? null),
    handled: n(r['handled'] ?? null),
    wait_sum_ms: n(r['wait_sum_ms'] ?? null),
    handle_sum_ms: n(r['handle_sum_ms'] ?? null),
  }));
}
