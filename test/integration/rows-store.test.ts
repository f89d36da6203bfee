// Event rows (TabSeparated, rows.ts) against the real embedded ClickHouse: the raw line of
// an accepted event is stored byte for byte, and every parsed column reads back exactly,
// backslashes, tabs, line feeds, quotes and `\N` included.
import { existsSync, readdirSync } from 'node:fs';
import { expect, it } from 'vitest';
import type { Store } from '../../ingest/src/adapters/clickhouse/store.js';
import { validateLine, type FwEvent } from '../../ingest/src/core/contract.js';
import { EVENT_COLUMNS, insertEventRows, toEventRow } from '../../ingest/src/pipeline/rows.js';
import { useTempStore } from '../helpers/store.js';

let store: Store;
useTempStore('fw_rows', (s) => (store = s));

it('stores each accepted line byte for byte, and its times to the millisecond', async () => {
  const ts = new Date().toISOString();
  const lines = [
    JSON.stringify({ id: 'r1', ts, type: 'call.offered', site: 's', call: 'c1', queue: 'q1' }),
    `{ "id" : "r2", "ts":"${ts}",  "type":"agent.state","site":"s","agent":"a\\\\b","state":"not_ready", "reason":"\\u00e9 \\" }\\t{" }`,
    JSON.stringify({ id: 'r3', ts, type: 'agent.login', site: 's', agent: '工号7', name: '王芳 "小王"', team: '热线\\一组', queues: ['10086', '400-1', "it's", 'q\\N'] }),
    `   {"id":"r4","ts":"${ts}","type":"agent.logout","site":"s","agent":"a1"}`,
    `{"id":"r5","ts":"${ts}","type":"agent.logout","site":"s","agent":"a2"}\t `,
    `{"id":"r6","ts":"${ts}","type":"agent.state","site":"s","agent":"a3","state":"ready","reason":"\\ud83d\\ude00 😀 \\n"}`,
    JSON.stringify({ id: 'r7', ts, type: 'agent.login', site: 's', agent: '\\N', name: 'tab\there\r\n', team: '\\', queues: [] }),
  ];
  const now = Date.now();
  const rows = lines.map((l) => {
    const r = validateLine(l, now);
    if (!r.ok) throw new Error(`${l}: ${r.error}`);
    return toEventRow(r.event, l, now, 'p', false);
  });
  // A line with nothing to escape is in its row as it is.
  expect(rows.filter((r, i) => r.endsWith(`\t${lines[i]}`)).length).toBe(2);
  await insertEventRows(store, Buffer.from(`${rows.join('\n')}\n`));
  const stored = await (
    await store.client.query({ query: 'SELECT id, raw, agent, name, team, queues, reason, toUnixTimestamp64Milli(ts) AS ts_ms, toUnixTimestamp64Milli(received_at) AS rec_ms FROM fw_rows.events ORDER BY id', format: 'JSONEachRow' })
  ).json<{ id: string; raw: string; agent: string; name: string; team: string; queues: string[]; reason: string; ts_ms: number | string; rec_ms: number | string }>();
  expect(stored.map((s) => s.raw)).toEqual(lines);
  // Times are stored to the millisecond (events are inserted with the basic DateTime reader).
  for (const s of stored) expect([Number(s.ts_ms), Number(s.rec_ms)]).toEqual([Date.parse(ts), now]);
  // The parsed columns are as before.
  expect(stored[1]).toMatchObject({ agent: 'a\\b', reason: 'é " }\t{' });
  expect(stored[2]).toMatchObject({ agent: '工号7', name: '王芳 "小王"', team: '热线\\一组', queues: ['10086', '400-1', "it's", 'q\\N'] });
  expect(stored[6]).toMatchObject({ agent: '\\N', name: 'tab\there\r\n', team: '\\', queues: [] });
});

it('writes an insert of up to 128 MiB of events as one Compact part (migration 0060), not a Wide one', async () => {
  const ts = new Date().toISOString();
  const now = Date.now();
  const rows: string[] = [];
  for (let i = 0; i < 60_000; i++) {
    const l = JSON.stringify({ id: `big-${i}`, ts, type: 'agent.state', site: 'big', agent: `agent-${i % 2000}`, state: 'ready', reason: 'x'.repeat(40) });
    const r = validateLine(l, now);
    if (!r.ok) throw new Error(r.error);
    rows.push(toEventRow(r.event, l, now, 'p', false));
  }
  const body = Buffer.from(`${rows.join('\n')}\n`);
  // Past ClickHouse's default threshold (10 MB) a part would be Wide: two files per column.
  expect(body.length).toBeGreaterThan(12 * 1024 * 1024);
  await insertEventRows(store, body);
  const parts = await (
    await store.client.query({ query: "SELECT part_type, rows FROM system.parts WHERE database = 'fw_rows' AND table = 'events' AND active AND rows = 60000", format: 'JSONEachRow' })
  ).json<{ part_type: string; rows: number | string }>();
  expect(parts).toEqual([{ part_type: 'Compact', rows: 60000 }]);
});

it('reads back every control character, backslash sequence and quote in a value, so no value can fail an insert', async () => {
  const controls = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('') + '\u007f';
  const values = [controls, '\\N', '\\t\\n\\\\', `'"\`,;`, 'end\\', '\\', '王芳\u2028\u2029😀', '\r\n'];
  const now = Date.now();
  const rows = values.map((v, i) => {
    const ev = { id: `ctl-${i}`, ts: now, type: 'agent.login', site: 'ctl', agent: `a${i}`, name: v, team: v, queues: [v, 'q'] } as unknown as FwEvent;
    return toEventRow(ev, JSON.stringify({ ...ev, ts: new Date(now).toISOString() }), now, v, false);
  });
  await insertEventRows(store, Buffer.from(`${rows.join('\n')}\n`));
  const stored = await (
    await store.client.query({ query: "SELECT id, name, team, queues, producer, raw FROM fw_rows.events WHERE site = 'ctl' ORDER BY toUInt32(substring(id, 5))", format: 'JSONEachRow' })
  ).json<{ id: string; name: string; team: string; queues: string[]; producer: string; raw: string }>();
  expect(stored.map((s) => [s.name, s.team, s.queues, s.producer])).toEqual(values.map((v) => [v, v, [v, 'q'], v]));
  expect(stored.map((s) => JSON.parse(s.raw).name)).toEqual(values);
});

it('goes through a spool file in memory: a retried insert with the same token is stored once, and no file is left behind', async () => {
  const ts = new Date().toISOString();
  const now = Date.now();
  const rows = Array.from({ length: 500 }, (_, i) => {
    const l = JSON.stringify({ id: `sp-${i}`, ts, type: 'call.offered', site: 'spool', call: `c${i}`, queue: 'q1' });
    const r = validateLine(l, now);
    if (!r.ok) throw new Error(r.error);
    return toEventRow(r.event, l, now, 'p', false);
  });
  const body = Buffer.from(`${rows.join('\n')}\n`);
  const before = spoolFiles();
  await insertEventRows(store, body, 'spool-token-1');
  await insertEventRows(store, body, 'spool-token-1');
  // rawInsert takes the same rows the same way (the bench's yardstick measures both paths).
  await store.insertRows('events', EVENT_COLUMNS, 'TabSeparated', body, 'spool-token-2', 'rawInsert');
  const [n] = await (await store.client.query({ query: "SELECT count() AS n, uniqExact(id) AS ids FROM fw_rows.events WHERE site = 'spool'", format: 'JSONEachRow' })).json<{ n: number | string; ids: number | string }>();
  expect([Number(n?.n), Number(n?.ids)]).toEqual([1000, 500]);
  // This process's store has its spool folder, and the inserts left nothing in it.
  expect(existsSync('/dev/shm') && readdirSync('/dev/shm').some((d) => d.startsWith(`floorwatch-inserts-${process.pid}-`))).toBe(true);
  expect(spoolFiles()).toEqual(before);
});

/** Files in this machine's Floorwatch spool folders (/dev/shm/floorwatch-inserts-*). */
function spoolFiles(): string[] {
  return readdirSync('/dev/shm')
    .filter((d) => d.startsWith(`floorwatch-inserts-${process.pid}-`))
    .flatMap((d) => readdirSync(`/dev/shm/${d}`).map((f) => `${d}/${f}`));
}
