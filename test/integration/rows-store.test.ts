// Event rows against the real embedded ClickHouse, as the Native blocks ingest stores
// (native-rows.ts). The raw line of an accepted event is stored byte for byte, and every parsed
// column reads back exactly: backslashes, tabs, line feeds, quotes, `\N`, every control
// character, characters outside the BMP and strings long enough for a 3-byte length.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../ingest/src/adapters/clickhouse/store.js';
import { validateLine, type FwEvent } from '../../ingest/src/core/contract.js';
import {
  NativeEventBody,
  eventBlock,
  insertEventBlock,
  type EventRow,
} from '../../ingest/src/pipeline/native-rows.js';
import { clickhouseCode, isRetryable } from '../../ingest/src/pipeline/batch-writer.js';
import { openTempStore, type TempStore } from '../helpers/store.js';

let temp: TempStore;
let store: Store;
let dataDir: string;
beforeAll(async () => {
  temp = await openTempStore('fw_rows');
  ({ store, dataDir } = temp);
});
afterAll(() => temp.dispose());

/** Each form: how rows become a body, and how the body is inserted. */
const FORMS = [
  {
    form: 'Native',
    insert: (rows: EventRow[], token?: string) => insertEventBlock(store, eventBlock(rows), token),
  },
] as const;

/** Rows of accepted lines, as ingest makes them. */
function accepted(lines: string[], now: number, producer = 'p'): EventRow[] {
  return lines.map((l) => {
    const r = validateLine(l, now);
    if (!r.ok) throw new Error(`${l}: ${r.error}`);
    return { event: r.event, raw: l, receivedAt: now, producer, late: false };
  });
}

describe.each(FORMS)('$form rows', ({ form, insert }) => {
  /** The stored rows of this form (its producer), in id order. */
  const read = async <T>(columns: string, where = 'true', order = 'ORDER BY id'): Promise<T[]> =>
    (
      await store.client.query({
        query: `SELECT ${columns} FROM fw_rows.events WHERE producer = {p:String} AND ${where} ${order}`,
        query_params: { p: form },
        format: 'JSONEachRow',
      })
    ).json<T>();

  it('stores each accepted line byte for byte, and its times to the millisecond', async () => {
    const ts = new Date().toISOString();
    const lines = [
      JSON.stringify({ id: 'r1', ts, type: 'call.offered', site: 's', call: 'c1', queue: 'q1' }),
      `{ "id" : "r2", "ts":"${ts}",  "type":"agent.state","site":"s","agent":"a\\\\b","state":"not_ready", "reason":"\\u00e9 \\" }\\t{" }`,
      JSON.stringify({
        id: 'r3',
        ts,
        type: 'agent.login',
        site: 's',
        agent: '工号7',
        name: '王芳 "小王"',
        team: '热线\\一组',
        queues: ['10086', '400-1', "it's", 'q\\N'],
      }),
      `   {"id":"r4","ts":"${ts}","type":"agent.logout","site":"s","agent":"a1"}`,
      `{"id":"r5","ts":"${ts}","type":"agent.logout","site":"s","agent":"a2"}\t `,
      `{"id":"r6","ts":"${ts}","type":"agent.state","site":"s","agent":"a3","state":"ready","reason":"\\ud83d\\ude00 😀 \\n"}`,
      JSON.stringify({
        id: 'r7',
        ts,
        type: 'agent.login',
        site: 's',
        agent: '\\N',
        name: 'tab\there\r\n',
        team: '\\',
        queues: [],
      }),
    ];
    const now = Date.now();
    await insert(accepted(lines, now, form));
    const stored = await read<{
      id: string;
      raw: string;
      agent: string;
      name: string;
      team: string;
      queues: string[];
      reason: string;
      ts_ms: number | string;
      rec_ms: number | string;
    }>(
      'id, raw, agent, name, team, queues, reason, toUnixTimestamp64Milli(ts) AS ts_ms, toUnixTimestamp64Milli(received_at) AS rec_ms',
    );
    expect(stored.map((s) => s.raw)).toEqual(lines);
    for (const s of stored)
      expect([Number(s.ts_ms), Number(s.rec_ms)]).toEqual([Date.parse(ts), now]);
    expect(stored[1]).toMatchObject({ agent: 'a\\b', reason: 'é " }\t{' });
    expect(stored[2]).toMatchObject({
      agent: '工号7',
      name: '王芳 "小王"',
      team: '热线\\一组',
      queues: ['10086', '400-1', "it's", 'q\\N'],
    });
    expect(stored[6]).toMatchObject({
      agent: '\\N',
      name: 'tab\there\r\n',
      team: '\\',
      queues: [],
    });
  });

  it('reads back every control character, backslash sequence, quote and length of value, so no value can fail an insert', async () => {
    const controls =
      Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('') + '\u007f';
    const values = [
      controls,
      '\\N',
      '\\t\\n\\\\',
      `'"\`,;`,
      'end\\',
      '\\',
      '王芳\u2028\u2029😀',
      '\r\n',
      '',
      // Around the lengths where a string's length prefix grows (127/128 bytes, 16383/16384) and
      // where short ASCII strings take the other path (63/64 characters), in ASCII and not.
      'a'.repeat(63),
      'a'.repeat(64),
      'é'.repeat(63),
      'x'.repeat(127),
      'x'.repeat(128),
      '王'.repeat(43),
      'y'.repeat(16_383),
      'z'.repeat(16_384),
      '热'.repeat(6000),
      'ab\u00ff',
    ];
    const now = Date.now();
    const rows = values.map((v, i): EventRow => {
      const ev = {
        id: `ctl-${String(i).padStart(2, '0')}`,
        ts: now,
        type: 'agent.login',
        site: 'ctl',
        agent: `a${i}`,
        name: v,
        team: v,
        queues: [v, 'q'],
      } as unknown as FwEvent;
      return {
        event: ev,
        raw: JSON.stringify({ ...ev, ts: new Date(now).toISOString() }),
        receivedAt: now,
        producer: form,
        late: i % 2 === 1,
      };
    });
    await insert(rows);
    const stored = await read<{
      name: string;
      team: string;
      queues: string[];
      raw: string;
      late: number;
    }>('name, team, queues, raw, late', "site = 'ctl'");
    expect(stored.map((s) => [s.name, s.team, s.queues, s.late])).toEqual(
      values.map((v, i) => [v, v, [v, 'q'], i % 2]),
    );
    expect(stored.map((s) => JSON.parse(s.raw).name)).toEqual(values);
  });

  it('goes through a spool file in its own data folder: a retried insert with the same token is stored once, and no file is left behind', async () => {
    const ts = new Date().toISOString();
    const lines = Array.from({ length: 500 }, (_, i) =>
      JSON.stringify({
        id: `sp-${i}`,
        ts,
        type: 'call.offered',
        site: 'spool',
        call: `c${i}`,
        queue: 'q1',
      }),
    );
    const rows = accepted(lines, Date.now(), form);
    await insert(rows, `spool-${form}-1`);
    await insert(rows, `spool-${form}-1`);
    await insert(rows, `spool-${form}-2`);
    const [n] = await read<{ n: number | string; ids: number | string }>(
      'count() AS n, uniqExact(id) AS ids',
      "site = 'spool'",
      '',
    );
    expect([Number(n?.n), Number(n?.ids)]).toEqual([1000, 500]);
    expect(readdirSync(path.join(dataDir, 'insert-spool'))).toEqual([]);
  });
});

it('writes an insert of up to 128 MiB of events as one Compact part (migration 0060), not a Wide one', async () => {
  const ts = new Date().toISOString();
  const lines = Array.from({ length: 60_000 }, (_, i) =>
    JSON.stringify({
      id: `big-${i}`,
      ts,
      type: 'agent.state',
      site: 'big',
      agent: `agent-${i % 2000}`,
      state: 'ready',
      reason: 'x'.repeat(40),
    }),
  );
  const body = eventBlock(accepted(lines, Date.now()));
  // Past ClickHouse's default threshold (10 MB) a part would be Wide: two files per column.
  expect(body.length).toBeGreaterThan(12 * 1024 * 1024);
  await insertEventBlock(store, body);
  const parts = await (
    await store.client.query({
      query:
        "SELECT part_type, rows FROM system.parts WHERE database = 'fw_rows' AND table = 'events' AND active AND rows = 60000",
      format: 'JSONEachRow',
    })
  ).json<{ part_type: string; rows: number | string }>();
  expect(parts).toEqual([{ part_type: 'Compact', rows: 60000 }]);
});

it('a Native body reused and rolled back holds only the rows written since its reset, less the ones taken back', async () => {
  const ts = new Date().toISOString();
  const now = Date.now();
  const rows = (from: number, n: number) =>
    accepted(
      Array.from({ length: n }, (_, i) =>
        JSON.stringify({
          id: `rb-${String(from + i).padStart(3, '0')}`,
          ts,
          type: 'agent.login',
          site: 'rb',
          agent: `a${from + i}`,
          queues: Array.from({ length: (from + i) % 3 }, (_, k) => `q${k}`),
        }),
      ),
      now,
      'rollback',
    );
  const body = new NativeEventBody(1024);
  body.add(rows(0, 50));
  await insertEventBlock(store, body.finish());
  body.reset();
  // Grows past its first buffers, then one write is taken back out.
  body.add(rows(100, 300));
  const mark = body.mark();
  body.add(rows(400, 20));
  body.rollback(mark);
  body.add(rows(500, 2));
  await insertEventBlock(store, body.finish());
  const stored = await (
    await store.client.query({
      query: "SELECT id, agent, queues FROM fw_rows.events WHERE site = 'rb' ORDER BY id",
      format: 'JSONEachRow',
    })
  ).json<{ id: string; agent: string; queues: string[] }>();
  const want = [...rows(0, 50), ...rows(100, 300), ...rows(500, 2)].map((r) => ({
    id: r.event.id,
    agent: (r.event as { agent: string }).agent,
    queues: (r.event as { queues: string[] }).queues,
  }));
  expect(stored).toEqual(want);
  expect(body.allocations).toBeGreaterThan(1);
});

it('a body the engine cannot parse fails with a ClickHouse error code that is not retried', async () => {
  const err = await store
    .insertNdjson('dead_letters', Buffer.from('{"received_at": not json}\n'))
    .then(
      () => null,
      (e: unknown) => e,
    );
  expect(err).not.toBeNull();
  expect(clickhouseCode(err)).not.toBeNull();
  expect(isRetryable(err)).toBe(false);
});
