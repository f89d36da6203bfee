// The restart replay reads a site's stored events in event-time windows, one bounded page at
// a time (ingest/src/runtime/replay-windows.ts). Over a day with bursts (thousands of events
// in one millisecond), long quiet gaps, ties broken by arrival and id, rows stored without
// their raw line, and another site's events in between, every event must come back exactly
// once, in (ts, received, id) order, rebuilt as stored, in pages no larger than asked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FwEvent } from '../../ingest/src/core/contract.js';
import type { SiteRuntime } from '../../ingest/src/core/site-runtime.js';
import { replaySite } from '../../ingest/src/runtime/replay.js';
import { chTime } from '../../queries/sql.js';
import { openTempStore, type TempStore } from '../helpers/store.js';
import { seeded as rng } from '../helpers/random.js';

const T0 = Date.parse('2026-11-23T00:00:00.000Z');
const PAGE = 100;

interface Stored {
  id: string;
  ts: number;
  received: number;
  raw: boolean;
  agent: string;
}

let temp: TempStore;
beforeAll(async () => {
  temp = await openTempStore('fw_replay_windows');
});
afterAll(() => temp.dispose());

/** A day of agent.state events: a steady trickle, two bursts, a six-hour gap, ties. */
function day(r: () => number): Stored[] {
  const out: Stored[] = [];
  let n = 0;
  const add = (ts: number, received: number) => {
    const id = `e${String(n++).padStart(6, '0')}`;
    out.push({ id, ts, received, raw: r() < 0.8, agent: `a${Math.floor(r() * 50)}` });
  };
  // A trickle over the morning: one event every 0-40 s.
  for (let ts = T0 + 3_600_000; ts < T0 + 6 * 3_600_000; ts += Math.floor(r() * 40_000))
    add(ts, ts + 100);
  // A burst: 1,250 events in one millisecond, arriving in three batches.
  const burst = T0 + 6.5 * 3_600_000;
  for (let i = 0; i < 1250; i++) add(burst, burst + 50 + (i % 3));
  // Six quiet hours, then a dense afternoon: 5,000 events over 10 minutes.
  const pm = T0 + 12.5 * 3_600_000;
  for (let i = 0; i < 5000; i++) add(pm + Math.floor(r() * 600_000), pm + 700_000);
  // A second burst sent late: 300 events of 13:00 arriving at 20:00.
  for (let i = 0; i < 300; i++) add(T0 + 13 * 3_600_000, T0 + 20 * 3_600_000);
  return out;
}

async function store(site: string, evs: Stored[]): Promise<void> {
  const rows = evs.map((e) => {
    const ev = { id: e.id, ts: e.ts, site, type: 'agent.state', agent: e.agent, state: 'ready' };
    return JSON.stringify({
      site,
      id: e.id,
      type: 'agent.state',
      ts: chTime(e.ts),
      received_at: chTime(e.received),
      agent: e.agent,
      state: 'ready',
      raw: e.raw ? JSON.stringify(ev) : '',
    });
  });
  for (let i = 0; i < rows.length; i += 2000)
    await temp.store.insertNdjson('events', Buffer.from(rows.slice(i, i + 2000).join('\n')));
}

describe('restart replay in event-time windows', () => {
  it('returns every event once, in order, in bounded pages', async () => {
    const evs = day(rng(7));
    // Inserted in shuffled parts, so parts and their merges do not follow event time.
    const r = rng(8);
    const shuffled = [...evs].sort(() => r() - 0.5);
    await store('S', shuffled);
    await store('other', day(rng(9)));
    const seen: FwEvent[] = [];
    const pageSizes: number[] = [];
    const rt = {
      site: 'S',
      config: { timezone: 'UTC', day_start: '00:00' },
      replay(batch: readonly FwEvent[]) {
        pageSizes.push(batch.length);
        seen.push(...batch);
      },
    } as unknown as SiteRuntime;
    const now = T0 + 23 * 3_600_000;
    const last = Math.max(...evs.map((e) => e.ts));
    const report = await replaySite(temp.store, rt, now, last, { pageRows: PAGE });
    const want = [...evs].sort(
      (a, b) => a.ts - b.ts || a.received - b.received || (a.id < b.id ? -1 : 1),
    );
    expect(seen.map((e) => e.id)).toEqual(want.map((e) => e.id));
    expect(seen.every((e) => e.site === 'S' && e.type === 'agent.state')).toBe(true);
    // Rows with and without their raw line come back as the same event.
    const byId = new Map(evs.map((e) => [e.id, e]));
    for (const e of seen) {
      const s = byId.get(e.id) as Stored;
      expect(e).toEqual({
        id: s.id,
        ts: s.ts,
        site: 'S',
        type: 'agent.state',
        agent: s.agent,
        state: 'ready',
      });
    }
    expect(Math.max(...pageSizes)).toBeLessThanOrEqual(PAGE);
    expect(report.max_page_rows).toBeLessThanOrEqual(PAGE);
    expect(report.events).toBe(evs.length);
    // The bursts need several pages of one window; the quiet hours few: pages stay near full.
    expect(report.pages).toBeLessThan((evs.length / PAGE) * 3);
  });
});
