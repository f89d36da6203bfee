// The restart section's day: a 20,000-agent site's 23 h back-fill up to now, with its site
// configuration and roster put through the API as the simulator's --target does. It is
// cached under .tmp/bench-cache while its operating day lasts (see lateEveningZone).
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import path from 'node:path';
import { forkWorker, startServer, TMP, type Server } from '../lib/proc.js';
import type { BackfillConfig } from '../workers/backfill.js';
import { BENCH_ADMIN_TOKEN } from '../lib/token.js';

export const SITE = 'big';
export const HOURS = 23;

/**
 * The site's zone: a fixed-offset one (no DST) in which the back-fill ends at 23:00-23:59, so
 * its 23 h are one whole operating day and the restart replays a full day whatever the hour
 * the bench runs. Etc/GMT zones name the offset with the sign inverted.
 */
function lateEveningZone(at: number): string {
  let h = 23 - new Date(at).getUTCHours();
  if (h > 14) h -= 24;
  if (h < -12) h += 24;
  return h === 0 ? 'UTC' : `Etc/GMT${h > 0 ? '-' : '+'}${Math.abs(h)}`;
}
const TOKEN = BENCH_ADMIN_TOKEN;
export const AUTH = { Authorization: `Bearer ${TOKEN}` };
export const ENV = { FLOORWATCH_ADMIN_TOKEN: TOKEN, FLOORWATCH_NO_FACTS_WARMER: '1' };

export interface Day {
  dir: string;
  agents: number;
  events: number;
  builtAt: number;
  builtS: number;
  zone: string;
}

export async function backfill(agents: number): Promise<Day> {
  const root = path.join(TMP, 'bench-cache');
  mkdirSync(root, { recursive: true });
  const prefix = `restart-${SITE}-${agents}a-`;
  for (const d of readdirSync(root).filter((x) => x.startsWith(prefix))) {
    const marker = path.join(root, d, 'complete.json');
    const meta = existsSync(marker) ? (JSON.parse(readFileSync(marker, 'utf8')) as Day) : null;
    // Kept while its operating day is still today (a later one replays less of it).
    const day = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toISODate();
    if (meta?.zone && day(Date.now(), meta.zone) === day(meta.builtAt, meta.zone)) return meta;
    rmSync(path.join(root, d), { recursive: true, force: true });
  }
  const to = Date.now();
  const zone = lateEveningZone(to);
  const dir = path.join(root, `${prefix}${new Date(to).toISOString().slice(0, 13)}`);
  mkdirSync(dir, { recursive: true });
  const rosterOut = path.join(dir, 'roster.json');
  console.error(
    `   back-filling ${HOURS} h of a ${agents}-agent site in ${zone} up to now (kept for its day)`,
  );
  const t0 = performance.now();
  const w = forkWorker<{ events: number; rejected: number }>('backfill', {
    dataDir: path.join(dir, 'data'),
    site: SITE,
    agents,
    from: new Date(to - HOURS * 3_600_000).toISOString(),
    to: new Date(to).toISOString(),
    rosterOut,
    timezone: zone,
  } satisfies BackfillConfig);
  const r = await w.result;
  // Site configuration and roster through the API, as the simulator's --target does.
  const s = await startServer({ dataDir: path.join(dir, 'data'), env: ENV });
  try {
    await put(s, `/api/sites/${SITE}`, { timezone: zone, interval_minutes: 15 });
    const roster = JSON.parse(readFileSync(rosterOut, 'utf8')) as { agent: string }[];
    for (let i = 0; i < roster.length;) {
      let j = Math.min(roster.length, i + 5000);
      while (j < roster.length && roster[j]?.agent === roster[j - 1]?.agent) j++;
      await put(s, `/api/sites/${SITE}/roster`, roster.slice(i, j));
      i = j;
    }
  } finally {
    await s.stop();
  }
  const day: Day = {
    dir,
    agents,
    events: r.events,
    builtAt: to,
    zone,
    builtS: Math.round((performance.now() - t0) / 1000),
  };
  writeFileSync(path.join(dir, 'complete.json'), JSON.stringify(day, null, 2));
  return day;
}

async function put(s: Server, url: string, body: unknown): Promise<void> {
  const res = await fetch(`${s.url}${url}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...AUTH },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`PUT ${url}: ${res.status} ${(await res.text()).slice(0, 300)}`);
}
