// Parses an uploaded forecast (PUT /api/sites/{site}/forecast): CSV with a header row
// interval,queue,calls,AHT (AHT in seconds; header names in any case and order). Each bad
// line gets its line number and a plain reason; the caller refuses the upload if any.
import { parse as parseCsv } from 'csv-parse/sync';
import { DateTime } from 'luxon';

export interface ForecastUploadRow {
  start: number;
  queue: string;
  calls: number;
  aht_s: number;
}

export interface ForecastLineError {
  line: number;
  error: string;
  raw: string;
}

// 100k rows: 500 queues x 96 quarter-hours x 2 days, with headroom; bounds one upload's memory.
export const MAX_FORECAST_ROWS = 100_000;

export function parseForecastCsv(
  text: string,
  zone: string,
  intervalMinutes: number,
): { rows: ForecastUploadRow[]; errors: ForecastLineError[] } {
  let recs: { record: Record<string, string>; info: { lines: number }; raw?: string }[];
  try {
    recs = parseCsv(text, {
      columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      bom: true,
      info: true,
      raw: true,
    });
  } catch (e) {
    return {
      rows: [],
      errors: [
        {
          line: 1,
          error: `the CSV cannot be read: ${(e as Error).message}`,
          raw: text.slice(0, 200),
        },
      ],
    };
  }
  if (recs.length > MAX_FORECAST_ROWS)
    return {
      rows: [],
      errors: [
        {
          line: 1,
          error: `an upload may hold at most ${MAX_FORECAST_ROWS} rows, got ${recs.length}`,
          raw: '',
        },
      ],
    };
  const rows: ForecastUploadRow[] = [];
  const errors: ForecastLineError[] = [];
  const first = recs[0]?.record;
  if (first) {
    const missing = ['interval', 'queue', 'calls', 'aht'].filter((k) => !(k in first));
    if (missing.length)
      return {
        rows,
        errors: [
          {
            line: 1,
            error: `the header must name interval, queue, calls and AHT; missing ${missing.join(', ')}`,
            raw: text.split('\n')[0]?.slice(0, 200) ?? '',
          },
        ],
      };
  }
  for (const r of recs) {
    const line = r.info.lines;
    const raw = (r.raw ?? '').trim().slice(0, 500);
    const bad = (error: string) => errors.push({ line, error, raw });
    const rec = r.record;
    const iv = rec['interval'] ?? '';
    // A time without an offset is read in the site's zone, as roster times are.
    const dt = /([+-]\d{2}:?\d{2}|Z)$/.test(iv)
      ? DateTime.fromISO(iv, { setZone: true })
      : DateTime.fromISO(iv.replace(' ', 'T'), { zone });
    if (!dt.isValid) {
      bad(
        `interval "${iv.slice(0, 40)}" is not an ISO-8601 date-time such as 2026-11-23T09:00 or 2026-11-23T09:00+08:00`,
      );
      continue;
    }
    const local = dt.setZone(zone);
    if (
      (local.hour * 60 + local.minute) % intervalMinutes !== 0 ||
      local.second !== 0 ||
      local.millisecond !== 0
    ) {
      bad(
        `interval ${iv} does not start on a ${intervalMinutes}-minute boundary of the site's clock`,
      );
      continue;
    }
    const queue = rec['queue'] ?? '';
    if (queue.length < 1 || queue.length > 64 || /[\u0000-\u001f]/.test(queue)) {
      bad('queue must be 1 to 64 characters');
      continue;
    }
    const calls = Number(rec['calls']);
    if (rec['calls'] === '' || !Number.isFinite(calls) || calls < 0 || calls > 1_000_000) {
      bad(`calls must be a number from 0 to 1000000, got "${String(rec['calls']).slice(0, 20)}"`);
      continue;
    }
    const aht = Number(rec['aht']);
    if (rec['aht'] === '' || !Number.isFinite(aht) || aht < 1 || aht > 86_400) {
      bad(`AHT must be seconds from 1 to 86400, got "${String(rec['aht']).slice(0, 20)}"`);
      continue;
    }
    rows.push({ start: local.toMillis(), queue, calls, aht_s: aht });
  }
  return { rows, errors };
}
