// Stretches a back-filled week of the history section's site to the long history's span
// inside ClickHouse: each copy is `INSERT INTO events SELECT … FROM events` of the source
// week with every time shifted back by whole weeks, so the materialized views fed by events
// (calls_facts, agent_last_events) fill exactly as they do under ingest. Generating 90 days
// of a 5,000-agent site with the simulator (one JS thread, ~2.7M events a day) takes hours;
// one simulated week and 12–13 copies take minutes.
//
// Whole weeks keep each event's weekday and local time of day in a zone without daylight
// saving (the bench site is Asia/Shanghai). Ids are dedupe keys and call and ticket ids join
// events into calls and tickets, so each copy gets its own: the copy's suffix is appended to
// `id`, `call` and, inside `raw`, to "id", "call" and "ticket"; raw's "ts" date and "due"
// instant move with the copy.
import { migrate } from '../../ingest/src/adapters/clickhouse/migrate.js';
import { openStore } from '../../ingest/src/adapters/clickhouse/store.js';
import { config, fail, finish } from './ipc.js';

export interface ReplicateConfig {
  dataDir: string;
  site: string;
  /** The simulated week, UTC instants (ISO). */
  weekFrom: string;
  weekTo: string;
  /** The long history's first instant (ISO): copies stop there. */
  from: string;
  /** Copies 1..copies, copy k shifted back by k weeks. */
  copies: number;
}

export interface ReplicateResult {
  /** Events stored per copy (index 0: the source week). */
  events: number[];
  seconds: number;
}

const c = config<ReplicateConfig>();

const COLUMNS =
  'site, id, type, ts, received_at, agent, name, team, queues, state, reason, call, queue, to_queue, to_agent, late, producer, raw';

// The source week [w0, w1) and the long history's first instant f.
const SPAN = `
    parseDateTime64BestEffort({weekFrom:String}, 3) AS w0,
    parseDateTime64BestEffort({weekTo:String}, 3) AS w1,
    parseDateTime64BestEffort({from:String}, 3) AS f,
    {days:UInt32} AS days`;

// One copy: {sfx} makes ids unique per copy, {days} is the shift. Only simulator output is
// copied, so raw is compact JSON whose "key":"value" pairs the replaces can name exactly.
const COPY = `
INSERT INTO {db}.events (${COLUMNS})
WITH ${SPAN},
    {sfx:String} AS sfx,
    extract(raw, '"ts":"(\\d{4}-\\d{2}-\\d{2})') AS raw_day,
    extract(raw, '"ticket":"([^"]*)"') AS ticket,
    extract(raw, '"due":(\\d+)') AS due,
    replaceOne(raw, concat('"id":"', id, '"'), concat('"id":"', id, sfx, '"')) AS r1,
    if(call = '', r1, replaceAll(r1, concat('"call":"', call, '"'), concat('"call":"', call, sfx, '"'))) AS r2,
    if(raw_day = '', r2, replaceOne(r2, concat('"ts":"', raw_day), concat('"ts":"', toString(toDate(raw_day) - days)))) AS r3,
    if(ticket = '', r3, replaceOne(r3, concat('"ticket":"', ticket, '"'), concat('"ticket":"', ticket, sfx, '"'))) AS r4,
    if(due = '', r4, replaceOne(r4, concat('"due":', due), concat('"due":', toString(toInt64(due) - toInt64(days) * 86400000)))) AS r5
SELECT
    site,
    concat(id, sfx),
    type,
    ts - toIntervalDay(days),
    received_at - toIntervalDay(days),
    agent, name, team, queues, state, reason,
    if(call = '', '', concat(call, sfx)),
    queue, to_queue, to_agent, late,
    'bench-replicate',
    r5
FROM {db}.events
WHERE site = {site:String} AND ts >= w0 AND ts < w1 AND ts - toIntervalDay(days) >= f
  AND producer != 'bench-replicate'`;

// Copy k: how many source events it takes (those landing on or after f), and how many it
// holds already.
const COUNT = `
WITH ${SPAN}
SELECT
    countIf(producer != 'bench-replicate' AND ts >= w0 AND ts - toIntervalDay(days) >= f) AS want,
    countIf(producer = 'bench-replicate' AND ts < w1 - toIntervalDay(days)) AS have
FROM {db}.events
WHERE site = {site:String} AND ts >= w0 - toIntervalDay(days) AND ts < w1`;

async function main(): Promise<void> {
  const t0 = performance.now();
  const store = await openStore({
    storage: 'embedded',
    dataDir: c.dataDir,
    clickhouse: { url: '', user: 'default', password: '', database: 'floorwatch' },
  });
  await migrate(store);
  const db = store.database;
  const span = { site: c.site, weekFrom: c.weekFrom, weekTo: c.weekTo, from: c.from };
  const count = async (days: number) => {
    const rs = await store.client.query({
      query: COUNT.replaceAll('{db}', db),
      query_params: { ...span, days },
      format: 'JSONEachRow',
    });
    const [row] = await rs.json<{ want: string | number; have: string | number }>();
    return { want: Number(row?.want ?? 0), have: Number(row?.have ?? 0) };
  };
  const events = [(await count(0)).want];
  if (!events[0]) throw new Error('the source week holds no events');
  for (let k = 1; k <= c.copies; k++) {
    const days = 7 * k;
    const before = await count(days);
    // Resumable: a bench stopped between copies goes on with the next one.
    if (before.have === 0)
      await store.client.command({
        query: COPY.replaceAll('{db}', db),
        query_params: { ...span, sfx: `~w${k}`, days },
      });
    const after = await count(days);
    if (after.have !== after.want)
      throw new Error(
        `copy ${k} holds ${after.have} of its ${after.want} events (stopped midway?): delete the cache folder and run again`,
      );
    events.push(after.have);
    process.stderr.write(
      `   replicate: copy ${k}/${c.copies} (${days} days back): ${after.have} events, ${((performance.now() - t0) / 1000).toFixed(0)} s\n`,
    );
  }
  await store.close();
  finish({ events, seconds: (performance.now() - t0) / 1000 } satisfies ReplicateResult);
}

main().catch(fail);
