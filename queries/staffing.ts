// Typed functions for intraday staffing (issue 24): uploaded forecasts and each queue's
// patience from history (queries/staffing/*.sql). Interval history comes from the
// interval report (queries/index.ts), the same figures the board and history show.
import type { Store } from './store.js';
import { chTime, sqlFile } from './sql.js';

const sql = (name: string, db: string): string => sqlFile('staffing', name, db);

async function rows<T>(store: Store, name: string, params: Record<string, unknown>): Promise<T[]> {
  const rs = await store.client.query({
    query: sql(name, store.database),
    query_params: params,
    format: 'JSONEachRow',
  });
  return rs.json<T>();
}

export interface ForecastRow {
  start: number;
  queue: string;
  calls: number;
  aht_s: number;
}

export async function storeForecast(
  store: Store,
  site: string,
  rowsIn: readonly ForecastRow[],
  by: string,
  at: number,
): Promise<void> {
  if (rowsIn.length === 0) return;
  const lines = rowsIn.map((r) =>
    JSON.stringify({
      site,
      interval_start: chTime(r.start),
      queue: r.queue,
      calls: r.calls,
      aht_s: r.aht_s,
      uploaded_at: chTime(at),
      uploaded_by: by,
    }),
  );
  await store.insertNdjson('forecasts', Buffer.from(lines.join('\n') + '\n'));
}

export async function uploadedForecast(
  store: Store,
  site: string,
  from: number,
  to: number,
): Promise<ForecastRow[]> {
  const r = await rows<{ start_ms: string | number; queue: string; calls: number; aht_s: number }>(
    store,
    'forecasts',
    { site, from: chTime(from), to: chTime(to) },
  );
  return r.map((x) => ({
    start: Number(x.start_ms),
    queue: x.queue,
    calls: Number(x.calls),
    aht_s: Number(x.aht_s),
  }));
}

export async function queuePatience(
  store: Store,
  site: string,
  from: number,
  to: number,
): Promise<{ queue: string; wait_s: number; abandons: number; calls: number }[]> {
  const r = await rows<{
    queue: string;
    wait_ms: string | number;
    abandons: string | number;
    calls: string | number;
  }>(store, 'patience', { site, from: chTime(from), to: chTime(to) });
  return r.map((x) => ({
    queue: x.queue,
    wait_s: Number(x.wait_ms) / 1000,
    abandons: Number(x.abandons),
    calls: Number(x.calls),
  }));
}
