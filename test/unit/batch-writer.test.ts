// The writer's ordering contract with inserts running concurrently: a caller is answered
// only after its rows and every batch taken before them are committed, and commit
// callbacks see batches in the order they were taken, whatever order the inserts finish in.
import { describe, expect, it, vi } from 'vitest';
import { BatchWriter, isRetryable } from '../../ingest/src/pipeline/batch-writer.js';
import type { FwEvent } from '../../ingest/src/core/contract.js';
import { NativeEventBody, type EventRow } from '../../ingest/src/pipeline/native-rows.js';
import { seeded } from '../helpers/random.js';

interface Call {
  body: string;
  token: string;
  finish(): void;
  fail(e: Error): void;
}

/** An insert target whose inserts finish when the test says so. */
function target() {
  const calls: Call[] = [];
  const insert = (body: readonly Buffer[], token: string) =>
    new Promise<void>((resolve, reject) =>
      calls.push({ body: Buffer.concat(body).toString(), token, finish: resolve, fail: reject }),
    );
  return { calls, insert };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('BatchWriter', () => {
  it('encodes every write into one insert body byte for byte: multi-byte text, writes that grow the body, and one of ~5 MB', async () => {
    const t = target();
    const bodies: Buffer[] = [];
    const w = new BatchWriter<number>({
      table: 't',
      flushRows: 1_000_000,
      flushMs: 10_000,
      maxInsertRows: 1_000_000,
      maxInsertBytes: 1 << 30,
      insert: (body) => (bodies.push(Buffer.concat(body)), Promise.resolve()),
    });
    const writes: string[][] = [
      ['{"name":"李娜","team":"热线一组"}', '{"reason":"午餐 🍜"}'],
      Array.from({ length: 5000 }, (_, i) => `{"id":"e${i}","raw":"${'x'.repeat(i % 300)}"}`),
      // ~5 MB: the body doubles several times while it is written.
      Array.from({ length: 200 }, (_, i) => `{"id":"big${i}","raw":"${'é'.repeat(12_000)}"}`),
    ];
    const done = writes.map((lines) =>
      w.write(
        lines,
        lines.map((_, i) => i),
      ),
    );
    await w.close();
    await Promise.all(done);
    expect(t.calls).toEqual([]);
    expect(
      Buffer.concat(bodies).equals(Buffer.from(writes.map((l) => l.join('\n') + '\n').join(''))),
    ).toBe(true);
    expect(bodies.length).toBe(1);
  });
  it('a write past the byte cap starts the next insert; a body is reused once its insert is done, with no old bytes in what is sent', async () => {
    const t = target();
    // flushMs 1: each batch goes on its own once the one before is done.
    const w = new BatchWriter<number>({
      table: 't',
      flushRows: 1_000_000,
      flushMs: 1,
      maxInsertRows: 1_000_000,
      maxInsertBytes: 100,
      insert: t.insert,
    });
    const calls = async (n: number) => {
      while (t.calls.length < n) await new Promise((r) => setTimeout(r, 1));
    };
    const long = (c: string) => c.repeat(40);
    const a = w.write([long('a'), long('b')], [1, 2]);
    // 82 + 41 bytes would pass the 100-byte cap: this write goes to the next insert.
    const b = w.write([long('c')], [3]);
    await calls(1);
    expect(t.calls[0]?.body).toBe(`${long('a')}\n${long('b')}\n`);
    t.calls[0]?.finish();
    await a;
    await calls(2);
    expect(t.calls[1]?.body).toBe(`${long('c')}\n`);
    t.calls[1]?.finish();
    await b;
    // Written into a body an earlier insert used: only the new bytes are sent.
    const c = w.write(['x', 'y'], [4, 5]);
    await calls(3);
    expect(t.calls[2]?.body).toBe('x\ny\n');
    t.calls[2]?.finish();
    await c;
    await w.close();
    expect(t.calls.length).toBe(3);
  });

  it('reuses settled bodies: 60 inserts of 0.3 to 3 MB in random order allocate a handful, not one each', async () => {
    const rand = seeded(7);
    const sent: number[] = [];
    const w = new BatchWriter<number>({
      table: 't',
      flushRows: 1,
      flushMs: 1,
      maxInsertRows: 1_000_000,
      maxInsertBytes: 1 << 30,
      insert: (body) => (
        sent.push(Buffer.concat(body).length),
        new Promise((r) => setTimeout(r, 1))
      ),
    });
    const row = 'x'.repeat(299);
    for (let i = 0; i < 60; i++) {
      const n = 1000 + Math.floor(rand() * 9000);
      await w.write(
        Array.from({ length: n }, () => row),
        [],
      );
      expect(sent[sent.length - 1]).toBe(n * 300);
    }
    await w.close();
    expect(sent.length).toBe(60);
    // New sizes are whole MiB past 1 MiB and two spares are kept: the old single spare of
    // exactly 1.25x the last insert allocated on most inserts whose size went up.
    expect(w.bodiesAllocated).toBeLessThanOrEqual(8);
  });

  it('reuses Native event bodies the same way: 60 inserts of 1k to 10k events allocate a handful of buffers, and a body is handed over as pieces, not copied', async () => {
    const rand = seeded(11);
    const pieces: number[] = [];
    const w = new BatchWriter<number, EventRow>({
      table: 'events',
      flushRows: 1,
      flushMs: 1,
      maxInsertRows: 1_000_000,
      maxInsertBytes: 1 << 30,
      newBody: (size) => new NativeEventBody(size),
      insert: (body) => (pieces.push(body.length), new Promise((r) => setTimeout(r, 1))),
    });
    const ts = Date.UTC(2026, 10, 24, 9);
    const row = (i: number): EventRow => {
      const event = {
        id: `e${i}`,
        ts,
        type: 'agent.state',
        site: 's1',
        agent: `a${i % 2000}`,
        state: 'ready',
      } as unknown as FwEvent;
      return {
        event,
        raw: JSON.stringify({ ...event, ts: new Date(ts).toISOString(), pad: 'x'.repeat(120) }),
        receivedAt: ts,
        producer: 'p',
        late: false,
      };
    };
    for (let i = 0; i < 60; i++) {
      const n = 1000 + Math.floor(rand() * 9000);
      await w.write(
        Array.from({ length: n }, (_, k) => row(k)),
        [],
      );
    }
    await w.close();
    // The counts, then each column's header and values (queues: offsets and nested strings).
    expect(pieces).toEqual(Array.from({ length: 60 }, () => 1 + 2 * 18 + 1));
    expect(w.bodiesAllocated).toBeLessThanOrEqual(8);
  });

  it('answers and hands over batches in the order taken when a later insert finishes first', async () => {
    const t = target();
    const committed: string[][] = [];
    const w = new BatchWriter<string>(
      {
        table: 't',
        flushRows: 2,
        flushMs: 10_000,
        maxInsertRows: 2,
        maxInsertBytes: 1 << 20,
        concurrency: 2,
        insert: t.insert,
      },
      (items) => committed.push(items),
    );
    const order: string[] = [];
    const a = w.write(['a1', 'a2'], ['a1', 'a2']).then(() => order.push('a'));
    const b = w.write(['b1', 'b2'], ['b1', 'b2']).then(() => order.push('b'));
    await tick();
    expect(t.calls.map((c) => c.body)).toEqual(['a1\na2\n', 'b1\nb2\n']);
    t.calls[1]?.finish();
    await tick();
    expect(order).toEqual([]);
    expect(committed).toEqual([]);
    t.calls[0]?.finish();
    await Promise.all([a, b]);
    await w.settled();
    expect(order).toEqual(['a', 'b']);
    expect(committed).toEqual([
      ['a1', 'a2'],
      ['b1', 'b2'],
    ]);
    expect(w.backlogRows).toBe(0);
  });

  it('runs no more inserts at once than allowed; a write is never split, one past the caps starts the next insert', async () => {
    const t = target();
    const w = new BatchWriter<number>({
      table: 't',
      flushRows: 2,
      flushMs: 10_000,
      maxInsertRows: 3,
      maxInsertBytes: 1 << 20,
      concurrency: 2,
      insert: t.insert,
    });
    const all = [
      w.write(['1', '2'], [1, 2]),
      w.write(['3', '4'], [3, 4]),
      w.write(['5'], [5]),
      w.write(['6', '7', '8', '9'], [6, 7, 8, 9]),
    ];
    await tick();
    // Two slots: the first two writes reached flushRows and went at once.
    expect(t.calls.map((c) => c.body)).toEqual(['1\n2\n', '3\n4\n']);
    t.calls[0]?.finish();
    await tick();
    await tick();
    // "5" waited for a slot; the four-row write did not fit beside it (cap 3), so it is alone.
    expect(t.calls.map((c) => c.body).slice(2)).toEqual(['5\n']);
    t.calls[1]?.finish();
    await tick();
    await tick();
    expect(t.calls[3]?.body).toBe('6\n7\n8\n9\n');
    t.calls[2]?.finish();
    t.calls[3]?.finish();
    await Promise.all(all);
    expect(w.backlogRows).toBe(0);
  });

  it('starts the next insert as soon as one returns, before that batch is acknowledged; not idle until it is handed over', async () => {
    const t = target();
    const seen: string[] = [];
    const w = new BatchWriter<string>(
      {
        table: 't',
        flushRows: 1,
        flushMs: 10_000,
        maxInsertRows: 10,
        maxInsertBytes: 1 << 20,
        insert: t.insert,
        // What the bookkeeping before the ack sees: the next insert already under way.
        committedBeforeAck: (items) => seen.push(`${items.join()} after ${t.calls.length} inserts`),
      },
      (items) => seen.push(`applied ${items.join()}`),
    );
    const a = w.write(['a'], ['a']).then(() => seen.push('ack a'));
    await tick();
    const b = w.write(['b'], ['b']).then(() => seen.push('ack b'));
    expect(t.calls.map((c) => c.body)).toEqual(['a\n']);
    t.calls[0]?.finish();
    await a;
    expect(t.calls.map((c) => c.body)).toEqual(['a\n', 'b\n']);
    expect(seen).toEqual(['a after 2 inserts', 'ack a']);
    // "a" is committed and acknowledged, not yet applied: the writer is not idle.
    expect(w.idle).toBe(false);
    await tick();
    t.calls[1]?.finish();
    await b;
    await w.settled();
    expect(w.idle).toBe(true);
    expect(seen).toEqual([
      'a after 2 inserts',
      'ack a',
      'applied a',
      'b after 2 inserts',
      'ack b',
      'applied b',
    ]);
  });

  it('an empty write resolves only after the batches taken before it are committed', async () => {
    const t = target();
    const w = new BatchWriter<number>({
      table: 't',
      flushRows: 1,
      flushMs: 10_000,
      maxInsertRows: 10,
      maxInsertBytes: 1 << 20,
      concurrency: 2,
      insert: t.insert,
    });
    let first = false;
    let empty = false;
    const p1 = w.write(['1'], [1]).then(() => (first = true));
    await tick();
    const p2 = w.write([], []).then(() => (empty = true));
    await tick();
    expect(empty).toBe(false);
    t.calls[0]?.finish();
    await Promise.all([p1, p2]);
    expect(first && empty).toBe(true);
  });

  it('retries a failed insert with the same dedup token, and rejects the callers after the last retry', async () => {
    const t = target();
    const w = new BatchWriter<number>({
      table: 't',
      flushRows: 1,
      flushMs: 10_000,
      maxInsertRows: 10,
      maxInsertBytes: 1 << 20,
      retries: 1,
      insert: t.insert,
    });
    const p = w.write(['1'], [1]);
    const outcome = p.then(
      () => 'ok',
      (e: Error) => e.message,
    );
    await tick();
    t.calls[0]?.fail(new Error('engine busy'));
    // The retry comes after a back-off timer: wait for it, never for a fixed sleep.
    await vi.waitFor(() => expect(t.calls.length).toBe(2), { timeout: 10_000, interval: 5 });
    expect(t.calls[1]?.token).toBe(t.calls[0]?.token);
    t.calls[1]?.fail(new Error('engine busy'));
    expect(await outcome).toBe('engine busy');
    expect(w.backlogRows).toBe(0);
  });

  it('does not retry an insert that failed with a permanent ClickHouse error code', async () => {
    const t = target();
    const w = new BatchWriter<number>({
      table: 't',
      flushRows: 1,
      flushMs: 10_000,
      maxInsertRows: 10,
      maxInsertBytes: 1 << 20,
      retries: 3,
      insert: t.insert,
    });
    const outcome = w.write(['1'], [1]).then(
      () => 'ok',
      (e: Error) => e.message,
    );
    await tick();
    t.calls[0]?.fail(
      new Error(
        "Code: 27. DB::Exception: Cannot parse input: expected '{' before: x. (CANNOT_PARSE_INPUT_ASSERTION_FAILED)",
      ),
    );
    expect(await outcome).toMatch(/^Code: 27\./);
    expect(t.calls.length).toBe(1);
    expect(isRetryable(Object.assign(new Error('type mismatch'), { code: '53' }))).toBe(false);
    expect(
      isRetryable(Object.assign(new Error('Memory limit (total) exceeded'), { code: '241' })),
    ).toBe(true);
    expect(isRetryable(new Error('socket hang up'))).toBe(true);
  });

  it('hands the items of writes that will never be stored to `failed`: a failed insert, and a write after close', async () => {
    const t = target();
    const failed: number[][] = [];
    const w = new BatchWriter<number>({
      table: 't',
      flushRows: 3,
      flushMs: 10_000,
      maxInsertRows: 10,
      maxInsertBytes: 1 << 20,
      retries: 0,
      insert: t.insert,
      failed: (items) => failed.push([...items]),
    });
    const outcome = (p: Promise<void>) =>
      p.then(
        () => 'ok',
        (e: Error) => e.message,
      );
    // Three writes, one insert: each caller is answered by that insert's outcome.
    const a = outcome(w.write(['1'], [1]));
    const b = outcome(w.write(['2', '3'], [2, 3]));
    await tick();
    expect(t.calls.length).toBe(1);
    const c = outcome(w.write(['4', '5', '6'], [4, 5, 6]));
    t.calls[0]?.fail(new Error('Code: 53. DB::Exception: Type mismatch'));
    expect(await a).toMatch(/^Code: 53\./);
    expect(await b).toMatch(/^Code: 53\./);
    expect(failed).toEqual([[1, 2, 3]]);
    // The next insert holds only the write made after the first was taken.
    await vi.waitFor(() => expect(t.calls.length).toBe(2), { timeout: 10_000, interval: 5 });
    t.calls[1]?.finish();
    expect(await c).toBe('ok');
    await w.close();
    expect(await outcome(w.write(['7'], [7]))).toBe('the writer is shutting down');
    expect(failed).toEqual([[1, 2, 3], [7]]);
  });
});
