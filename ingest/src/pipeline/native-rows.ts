// Accepted events as one block of ClickHouse's Native format: column by column, each value
// as its bytes (strings length-prefixed, times as 64-bit integers), nothing to escape or parse.
//
// Why Native, not JSONEachRow: the engine reads a column of length-prefixed strings with a
// copy, where a text format makes it scan every byte and parse every key and time stamp; it
// costs the engine a fraction of the CPU per row (docs/benchmarks.md, "kept optimisations").
//
// Each write's values are encoded into per-column buffers as they arrive (the strings die
// young), and `finish` hands the block over as the column buffers themselves, with their
// headers between them.
import type { InsertBytes, Store } from '../../../queries/store.js';
import type { InsertBody } from './batch-writer.js';
import type { FwEvent } from '../core/contract.js';

/** The columns of an event row, in the order a block holds them. */
export const EVENT_COLUMNS = [
  'site',
  'id',
  'type',
  'ts',
  'received_at',
  'agent',
  'name',
  'team',
  'queues',
  'state',
  'reason',
  'call',
  'queue',
  'to_queue',
  'to_agent',
  'late',
  'producer',
  'raw',
] as const;

/** One accepted event as the events table stores it. */
export interface EventRow {
  event: FwEvent;
  /** The line the event was parsed from, stored byte for byte. */
  raw: string;
  receivedAt: number;
  producer: string;
  late: boolean;
}

type Loose = FwEvent &
  Partial<
    Record<
      'agent' | 'name' | 'team' | 'state' | 'reason' | 'call' | 'queue' | 'to_queue' | 'to_agent',
      string
    >
  > & { queues?: string[] };

/**
 * The type each column is sent as. LowCardinality columns go as String: the engine builds
 * their dictionaries on insert, as it does from text. Times are epoch milliseconds.
 */
const SENT_TYPE: Record<(typeof EVENT_COLUMNS)[number], string> = {
  site: 'String',
  id: 'String',
  type: 'String',
  ts: "DateTime64(3, 'UTC')",
  received_at: "DateTime64(3, 'UTC')",
  agent: 'String',
  name: 'String',
  team: 'String',
  queues: 'Array(String)',
  state: 'String',
  reason: 'String',
  call: 'String',
  queue: 'String',
  to_queue: 'String',
  to_agent: 'String',
  late: 'UInt8',
  producer: 'String',
  raw: 'String',
};

const MIB = 1024 * 1024;

/** Each column's share of a row's bytes under typical traffic (the raw line is most of it), rounded up; `queues.nested` holds the strings of the `queues` arrays. */
const SHARE: Record<(typeof EVENT_COLUMNS)[number] | 'queues.nested', number> = {
  site: 0.03,
  id: 0.07,
  type: 0.06,
  ts: 0.035,
  received_at: 0.035,
  agent: 0.03,
  name: 0.01,
  team: 0.01,
  queues: 0.035,
  state: 0.02,
  reason: 0.01,
  call: 0.05,
  queue: 0.02,
  to_queue: 0.01,
  to_agent: 0.01,
  late: 0.005,
  producer: 0.08,
  raw: 0.6,
  'queues.nested': 0.01,
};

/** Each column's name and type as a Native block spells them (a length-prefixed string each). */
const COLUMN_HEADS = EVENT_COLUMNS.map((name) => {
  const type = SENT_TYPE[name];
  return Buffer.concat([
    Buffer.from([name.length]),
    Buffer.from(name, 'latin1'),
    Buffer.from([type.length]),
    Buffer.from(type, 'latin1'),
  ]);
});

/** A growing byte column: `off` bytes of `buf` are used. */
class Bytes {
  buf: Buffer;
  off = 0;
  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }
  /** Makes room for `more` bytes; returns true when it had to allocate. */
  room(more: number): boolean {
    const need = this.off + more;
    if (need <= this.buf.length) return false;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const grown = Buffer.allocUnsafe(size <= MIB ? size : Math.ceil(size / MIB) * MIB);
    this.buf.copy(grown, 0, 0, this.off);
    this.buf = grown;
    return true;
  }
}

const varintSize = (n: number): number =>
  n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;

/** Writes `n` (< 2^35) as an unsigned LEB128 varint at `off`; returns the offset after it. */
function putVarint(buf: Buffer, off: number, n: number): number {
  while (n >= 0x80) {
    buf[off++] = (n % 0x80) | 0x80;
    n = Math.floor(n / 0x80);
  }
  buf[off++] = n;
  return off;
}

/**
 * A string as its UTF-8 byte length (varint) and bytes. Short ASCII strings (ids, codes,
 * names) are copied char by char in JS, cheaper than a call into the runtime; anything
 * else goes through Buffer#write, placed after room for the varint of its worst-case
 * length and moved back if the real length needs fewer bytes.
 */
function putString(c: Bytes, s: string): boolean {
  const n = s.length;
  let grew = false;
  if (n < 64) {
    grew = c.room(1 + 3 * n);
    const b = c.buf;
    let o = c.off + 1;
    let i = 0;
    for (; i < n; i++) {
      const ch = s.charCodeAt(i);
      if (ch >= 0x80) break;
      b[o++] = ch;
    }
    if (i === n) {
      b[c.off] = n;
      c.off = o;
      return grew;
    }
  }
  const worst = 3 * n;
  const vs = varintSize(worst);
  grew = c.room(vs + worst) || grew;
  const b = c.buf;
  const len = b.write(s, c.off + vs);
  const real = varintSize(len);
  if (real < vs) b.copyWithin(c.off + real, c.off + vs, c.off + vs + len);
  c.off = putVarint(b, c.off, len) + len;
  return grew;
}

/** Epoch milliseconds as a little-endian Int64 (a DateTime64(3) value). */
function putMillis(c: Bytes, ms: number): boolean {
  const grew = c.room(8);
  const hi = Math.floor(ms / 4294967296);
  c.buf.writeUInt32LE(ms - hi * 4294967296, c.off);
  c.buf.writeInt32LE(hi, c.off + 4);
  c.off += 8;
  return grew;
}

/** Where a body stood before a write, to take that write back out. */
export interface NativeMark {
  rows: number;
  elements: number;
  offs: number[];
}

/**
 * The rows of one insert into `events`, kept column by column and laid out as one Native
 * block by `finish`. Reusable: `reset` keeps the buffers for the next insert.
 */
export class NativeEventBody implements InsertBody<EventRow> {
  rows = 0;
  /** Buffers allocated or grown (for the writer's count of new bodies). */
  allocations = 0;
  /** Array(String) `queues`: its elements so far, for the cumulative offsets. */
  private elements = 0;
  private readonly cols: Bytes[];

  constructor(size = 64 * 1024) {
    // `size` split by each column's share of a typical row, so a body holds about `size`
    // bytes in all (a column past its share doubles once, and a reused body keeps that).
    this.cols = [...EVENT_COLUMNS, 'queues.nested' as const].map(
      (c) => new Bytes(Math.max(1024, Math.ceil((size * SHARE[c]) / 1024) * 1024)),
    );
    this.allocations = 1;
  }

  /** Bytes encoded so far (the block's header and column names excepted). */
  get bytes(): number {
    let b = 0;
    for (const c of this.cols) b += c.off;
    return b;
  }

  /** Bytes of buffer held, used or not. */
  get capacity(): number {
    let b = 0;
    for (const c of this.cols) b += c.buf.length;
    return b;
  }

  add(rows: readonly EventRow[]): void {
    const c = this.cols as [
      Bytes,
      Bytes,
      Bytes,
      Bytes,
      Bytes,
      Bytes,
      Bytes,
      Bytes,
      Bytes,
      Bytes,
      Bytes,
      Bytes,
      Bytes,
      Bytes,
      Bytes,
      Bytes,
      Bytes,
      Bytes,
      Bytes,
    ];
    let grew = false;
    for (const r of rows) {
      const e = r.event as Loose;
      grew = putString(c[0], e.site) || grew;
      grew = putString(c[1], e.id) || grew;
      grew = putString(c[2], e.type) || grew;
      grew = putMillis(c[3], e.ts) || grew;
      grew = putMillis(c[4], r.receivedAt) || grew;
      grew = putString(c[5], e.agent ?? '') || grew;
      grew = putString(c[6], e.name ?? '') || grew;
      grew = putString(c[7], e.team ?? '') || grew;
      if (e.queues !== undefined) {
        for (const q of e.queues) grew = putString(c[18], q) || grew;
        this.elements += e.queues.length;
      }
      // Array offsets: UInt64, the running count of elements (< 2^32 in any one insert).
      grew = c[8].room(8) || grew;
      c[8].buf.writeUInt32LE(this.elements, c[8].off);
      c[8].buf.writeUInt32LE(0, c[8].off + 4);
      c[8].off += 8;
      grew = putString(c[9], e.state ?? '') || grew;
      grew = putString(c[10], e.reason ?? '') || grew;
      grew = putString(c[11], e.call ?? '') || grew;
      grew = putString(c[12], e.queue ?? '') || grew;
      grew = putString(c[13], e.to_queue ?? '') || grew;
      grew = putString(c[14], e.to_agent ?? '') || grew;
      grew = c[15].room(1) || grew;
      c[15].buf[c[15].off++] = r.late ? 1 : 0;
      grew = putString(c[16], r.producer) || grew;
      grew = putString(c[17], r.raw) || grew;
    }
    this.rows += rows.length;
    if (grew) this.allocations++;
  }

  mark(): NativeMark {
    return { rows: this.rows, elements: this.elements, offs: this.cols.map((c) => c.off) };
  }

  /** Takes every row added since `m` back out. */
  rollback(mark: unknown): void {
    const m = mark as NativeMark;
    this.rows = m.rows;
    this.elements = m.elements;
    this.cols.forEach((c, i) => (c.off = m.offs[i] as number));
  }

  /**
   * The rows as one Native block, in pieces written one after another (no joined copy): the
   * column and row counts, then each column's name and type and its values.
   */
  finish(): readonly Buffer[] {
    const head = Buffer.allocUnsafe(10);
    const pieces: Buffer[] = [
      head.subarray(0, putVarint(head, putVarint(head, 0, EVENT_COLUMNS.length), this.rows)),
    ];
    EVENT_COLUMNS.forEach((name, i) => {
      pieces.push(COLUMN_HEADS[i] as Buffer);
      const col = this.cols[i] as Bytes;
      pieces.push(col.buf.subarray(0, col.off));
      // Array(String): the offsets, then the nested strings.
      if (name === 'queues') {
        const nested = this.cols[EVENT_COLUMNS.length] as Bytes;
        pieces.push(nested.buf.subarray(0, nested.off));
      }
    });
    return pieces;
  }

  /** Empties the body for the next insert, keeping its buffers. */
  reset(): void {
    this.rows = 0;
    this.elements = 0;
    for (const c of this.cols) c.off = 0;
  }
}

/**
 * Inserts a block made by NativeEventBody into the events table. `counted`: the caller adds
 * the events to store.eventDays itself (the ingest pipeline); else the store's per-day
 * counts are dropped and counted again from the stored events before the next report.
 */
export async function insertEventBlock(
  store: Pick<Store, 'insertNative' | 'eventDays'>,
  body: InsertBytes,
  dedupToken?: string,
  counted = false,
): Promise<void> {
  await store.insertNative('events', EVENT_COLUMNS, body, dedupToken);
  if (!counted) store.eventDays.forget();
}

/** Rows as one Native block in a Buffer of their own (for tools and tests; ingest reuses its bodies). */
export function eventBlock(rows: readonly EventRow[]): Buffer {
  const body = new NativeEventBody();
  body.add(rows);
  return Buffer.concat(body.finish());
}

/** An event as a row, its JSON text as the raw line: how tests and the back-fill store known events. */
export function rowOf(
  event: FwEvent,
  producer: string,
  late = false,
  raw = JSON.stringify(event),
): EventRow {
  return { event, raw, receivedAt: event.ts, producer, late };
}
