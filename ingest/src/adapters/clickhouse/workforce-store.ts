// Stores rosters and excused time in ClickHouse and reads them back: every roster upload
// is kept as a new version (history of changes); reads take the newest version per
// agent-day. loadWorkforce restores a site's live workforce engine after a restart.
import { randomUUID } from 'node:crypto';
import { chTime, excusedSpans, rosterSegments, rosterSites } from '../../../../queries/index.js';
import type { ExcusedSpan, RosterSegment, WorkforceModule } from '../../core/modules.js';
import type { Store } from '../../../../queries/store.js';

export interface RosterUpload {
  upload_id: string;
  version: number;
  uploaded_at: number;
}

let lastVersion = 0;
/** Upload time in ms * 1000 plus a counter: strictly increasing within the process, and across restarts as the clock moves on. */
function nextVersion(now: number): number {
  lastVersion = Math.max(lastVersion + 1, now * 1000);
  return lastVersion;
}

const ndjson = (rows: object[]): Buffer =>
  Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n') + '\n');

/** Stores one upload: the new version of each of its agent-days, and the upload record. */
export async function insertRoster(
  store: Store,
  site: string,
  segments: readonly RosterSegment[],
  agentDays: readonly { agent: string; day: string }[],
  replaced: number,
  now: number,
  source: 'csv' | 'json',
): Promise<RosterUpload> {
  const up: RosterUpload = { upload_id: randomUUID(), version: nextVersion(now), uploaded_at: now };
  const at = chTime(now);
  // 10k rows per insert, as for events: each insert has a fixed cost, and one insert's rows
  // are held in memory together.
  for (let i = 0; i < segments.length; i += 10_000) {
    const rows = segments.slice(i, i + 10_000).map((s) => ({
      site,
      day: s.day,
      agent: s.agent,
      team: s.team,
      start: chTime(s.start),
      end: chTime(s.end),
      activity: s.activity,
      version: up.version,
      upload_id: up.upload_id,
      uploaded_at: at,
    }));
    await store.insertNdjson('roster_segments', ndjson(rows));
  }
  await store.insertNdjson(
    'roster_uploads',
    ndjson([
      {
        site,
        upload_id: up.upload_id,
        version: up.version,
        uploaded_at: at,
        rows: segments.length,
        agent_days: agentDays.length,
        replaced_agent_days: replaced,
        source,
      },
    ]),
  );
  return up;
}

export async function insertExcused(
  store: Store,
  site: string,
  spans: readonly ExcusedSpan[],
): Promise<void> {
  if (spans.length === 0) return;
  await store.insertNdjson(
    'excused_spans',
    ndjson(
      spans.map((x) => ({
        site,
        id: x.id,
        agent: x.agent,
        start: chTime(x.start),
        end: chTime(x.end),
        reason: x.reason,
        entered_by: x.entered_by,
        entered_at: chTime(x.entered_at),
      })),
    ),
  );
}

export async function readRoster(
  store: Store,
  site: string,
  fromDay: string,
  toDay: string,
): Promise<RosterSegment[]> {
  const rows = await rosterSegments(store, { site, fromDay, toDay });
  return rows.map((r) => ({
    agent: r.agent,
    team: r.team,
    day: r.day,
    start: r.start_ms,
    end: r.end_ms,
    activity: r.activity,
  }));
}

export async function readExcused(
  store: Store,
  site: string,
  from: number,
  to: number,
  agents: string[] = [],
): Promise<ExcusedSpan[]> {
  const rows = await excusedSpans(store, { site, from, to, agents });
  return rows.map((r) => ({
    id: r.id,
    agent: r.agent,
    start: r.start_ms,
    end: r.end_ms,
    reason: r.reason,
    entered_by: r.entered_by,
    entered_at: r.entered_at_ms,
  }));
}

/** yyyy-MM-dd of an instant in UTC, widened by a day each side so every site zone is covered. */
const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * What a site's live workforce engine needs after a restart: the roster in force for the
 * operating days touching [fromMs, toMs) and the excused spans overlapping it. The runtime
 * then calls engine.setRoster(segments, agentDays) and engine.addExcused(excused).
 */
export async function loadWorkforce(
  store: Store,
  site: string,
  fromMs: number,
  toMs: number,
): Promise<{
  segments: RosterSegment[];
  agentDays: { agent: string; day: string }[];
  excused: ExcusedSpan[];
}> {
  const segments = await readRoster(
    store,
    site,
    utcDay(fromMs - 86_400_000),
    utcDay(toMs + 86_400_000),
  );
  const seen = new Set<string>();
  const agentDays: { agent: string; day: string }[] = [];
  for (const s of segments) {
    const k = `${s.agent}\u0000${s.day}`;
    if (seen.has(k)) continue;
    seen.add(k);
    agentDays.push({ agent: s.agent, day: s.day });
  }
  const excused = await readExcused(store, site, fromMs - 86_400_000, toMs + 86_400_000);
  return { segments, agentDays, excused };
}

/**
 * Restores a live workforce engine on restart (SiteRegistry's `hydrate`, before the event
 * replay): the roster and excused time of yesterday, today and tomorrow around `now`.
 */
export async function hydrateWorkforce(
  store: Store,
  site: string,
  wf: Pick<WorkforceModule, 'setRoster' | 'addExcused'> | undefined,
  now: number,
): Promise<void> {
  if (!wf) return;
  const { segments, agentDays, excused } = await loadWorkforce(
    store,
    site,
    now - 36 * 3_600_000,
    now + 36 * 3_600_000,
  );
  if (segments.length) wf.setRoster(segments, agentDays);
  if (excused.length) wf.addExcused(excused);
}

/** Sites with a roster from yesterday (UTC, widened a day) on: the rebuild should hydrate these too. */
export async function sitesWithRoster(store: Store, now: number): Promise<string[]> {
  return rosterSites(store, utcDay(now - 2 * 86_400_000));
}
