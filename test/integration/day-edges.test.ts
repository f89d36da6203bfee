// Day edges (docs/definitions.md, "Day edges and history"): a call's handle counts for AHT only
// when its end (the wrap-up's end, or the agent's first event after call.ended) comes within
// 6 h of call.ended. Around local and UTC midnight, the stored day, reports over other
// ranges, the recomputation from raw events (verify) and the live engine count the same
// handles. Real embedded ClickHouse in this process.
import { describe, expect, it } from 'vitest';
import type { Store } from '../../ingest/src/adapters/clickhouse/store.js';
import type { FwEvent } from '../../ingest/src/core/contract.js';
import { createQueueEngine } from '../../ingest/src/core/queue/index.js';
import { eventBlock, insertEventBlock, rowOf } from '../../ingest/src/pipeline/native-rows.js';
import { intervalsReport, type IntervalRowMs } from '../../queries/index.js';
import { useTempStore } from '../helpers/store.js';
import { Ev, siteConfig } from '../unit/queue-helpers.js';

let store: Store;
useTempStore('fw_day_edges', (s) => (store = s));

const MIN = 60_000;
const HOUR = 60 * MIN;

/** One answered call by `agent`: offered, answered 1 min later, ended `talk` later, then wrap-up until `wrapEnd` (0: no wrap-up). */
function call(e: Ev, id: string, agent: string, ended: number, wrapEnd: number): void {
  e.offered(id, 'q1', ended - 10 * MIN);
  e.answered(id, 'q1', agent, ended - 9 * MIN);
  e.state(agent, ended - 9 * MIN, 'talking');
  e.ended(id, 'q1', agent, ended);
  if (wrapEnd) {
    e.state(agent, ended, 'wrap_up');
    e.state(agent, wrapEnd, 'ready');
  } else e.state(agent, ended, 'ready');
}

const handled = (rows: IntervalRowMs[]) => rows.reduce((n, r) => n + r.handled, 0);
const handleSum = (rows: IntervalRowMs[]) => rows.reduce((n, r) => n + r.handle_sum_ms, 0);

describe('day edges: the wrap-up span', () => {
  it('stored days, any range and the recomputation from events count the same handles around midnight', async () => {
    const site = 'edges';
    const cfg = { ...siteConfig({ timezone: 'Asia/Jerusalem' }), site };
    // 2026-02-10 in Jerusalem (+02:00): local midnight is 22:00 UTC, UTC midnight is 02:00 local.
    const localMidnight = Date.parse('2026-02-10T22:00:00Z');
    const utcMidnight = Date.parse('2026-02-11T00:00:00Z');
    const e = new Ev(site, 'edge-');
    for (const a of ['a1', 'a2', 'a3', 'a4', 'a5']) {
      e.login(a, localMidnight - 3 * HOUR, ['q1']);
      e.state(a, localMidnight - 3 * HOUR + 1000, 'ready');
    }
    call(e, 'A', 'a1', localMidnight - 10 * MIN, localMidnight + 10 * MIN); // wrap 20 min over local midnight: counted
    call(e, 'B', 'a2', localMidnight - 5 * MIN, localMidnight - 5 * MIN + 6 * HOUR + MIN); // wrap 6 h 1 min: not counted
    call(e, 'C', 'a3', localMidnight - 2 * MIN, localMidnight - 2 * MIN + 6 * HOUR - MIN); // wrap 5 h 59 min: counted
    call(e, 'E', 'a4', utcMidnight - 2 * MIN, utcMidnight - 2 * MIN + 6 * HOUR - MIN); // over UTC midnight, 5 h 59 min: counted
    call(e, 'F', 'a5', utcMidnight - MIN, utcMidnight - MIN + 6 * HOUR + 30 * MIN); // over UTC midnight, 6 h 30 min: not counted
    await insertEventBlock(store, eventBlock(e.list.map((x) => rowOf(x, 'test'))));

    const now = Date.parse('2026-02-20T00:00:00Z');
    const ranges: [number, number][] = [
      [localMidnight - 24 * HOUR, localMidnight + 48 * HOUR], // three local days
      [localMidnight - 24 * HOUR, localMidnight], // the local day the calls A-C end in, alone
      [localMidnight, localMidnight + 24 * HOUR], // the next local day (E and F)
      [utcMidnight - 24 * HOUR, utcMidnight], // one UTC day
      [localMidnight - HOUR, utcMidnight + HOUR], // a few hours around both midnights
    ];
    for (const [from, to] of ranges) {
      for (const interval of [15, 30, 60] as const) {
        const q = { site, from, to, interval, config: cfg, now };
        const stored = await intervalsReport(store, q);
        expect(
          stored,
          `${new Date(from).toISOString()}..${new Date(to).toISOString()} ${interval}`,
        ).toEqual(await intervalsReport(store, { ...q, fromEvents: true }));
      }
    }
    const all = await intervalsReport(store, {
      site,
      from: ranges[0]![0],
      to: ranges[0]![1],
      interval: 60,
      config: cfg,
      now,
    });
    expect(handled(all)).toBe(3); // A, C, E
    expect(handleSum(all)).toBe(
      9 * MIN + 20 * MIN + (9 * MIN + 6 * HOUR - MIN) + (9 * MIN + 6 * HOUR - MIN),
    );
  });

  it('the live engine counts the same handles as history (6 h after call.ended)', async () => {
    const site = 'edges-live';
    const cfg = { ...siteConfig({ timezone: 'UTC' }), site };
    const day = Date.parse('2026-02-12T00:00:00Z');
    const e = new Ev(site, 'live-');
    for (const a of ['b1', 'b2', 'b3']) {
      e.login(a, day + HOUR, ['q1']);
      e.state(a, day + HOUR + 1000, 'ready');
    }
    call(e, 'L1', 'b1', day + 3 * HOUR, day + 3 * HOUR + 6 * HOUR - 1); // counted
    call(e, 'L2', 'b2', day + 3 * HOUR, day + 3 * HOUR + 6 * HOUR); // at 6 h exactly: not counted
    call(e, 'L3', 'b3', day + 4 * HOUR, 0); // no wrap-up: counted at its first event after the end
    const engine = createQueueEngine(site, cfg, { latenessMs: 10_000 });
    for (const ev of [...e.list].sort((x, y) => x.ts - y.ts) as FwEvent[]) engine.apply(ev);
    const now = day + 12 * HOUR;
    const live = engine.intervals(now).filter((r) => r.aht_s !== null);
    await insertEventBlock(store, eventBlock(e.list.map((x) => rowOf(x, 'test'))));
    const sql = (
      await intervalsReport(store, {
        site,
        from: day,
        to: day + 24 * HOUR,
        interval: 15,
        config: cfg,
        now,
      })
    ).filter((r) => r.aht_s !== null);
    expect(sql.map((r) => [r.interval_start_ms, r.aht_s])).toEqual(
      live.map((r) => [Date.parse(r.interval_start), r.aht_s]),
    );
    expect(handled(sql)).toBe(2);
    expect(sql.map((r) => r.aht_s)).toEqual([(9 * MIN + 6 * HOUR - 1) / 1000, (9 * MIN) / 1000]);
  });
});
