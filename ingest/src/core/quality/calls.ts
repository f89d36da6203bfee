// The calls that carry a caller key, as columns: one row per call (its first offer), with the
// agent who answered it, and each caller's calls chained in time order. First-contact
// resolution asks, per call, whether the same caller called again later: that is the next
// row in the caller's chain, so the figures read one link instead of searching a list.
// A call may arrive in any order (a late or re-sent event): it is linked in at its time.
import { head, room } from './columns.js';
import { Keys, type KeysState } from './keys.js';

const NONE = -1;

/** A call table as a checkpoint holds it: columns of `ids.length` rows, then per caller. */
export interface CallColumns {
  ids: KeysState;
  ts: Float64Array;
  caller: Int32Array;
  /** Agent id (the engine's agent table), 0 until answered. */
  agent: Int32Array;
  /** The caller's previous and next call by time (row, or -1). */
  prev: Int32Array;
  next: Int32Array;
  callers: KeysState;
  /** Each caller's earliest and latest call (row, or -1). */
  first: Int32Array;
  last: Int32Array;
}

export class CallTable {
  private ids = new Keys();
  private ts: Float64Array = new Float64Array(0);
  private caller: Int32Array = new Int32Array(0);
  private agent: Int32Array = new Int32Array(0);
  private prev: Int32Array = new Int32Array(0);
  private next: Int32Array = new Int32Array(0);
  private callers = new Keys();
  private first: Int32Array = new Int32Array(0);
  private last: Int32Array = new Int32Array(0);

  /** `agents` is shared with the engine's other tables: a row holds an agent's id in it. */
  constructor(private readonly agents: Keys) {}

  static from(c: CallColumns, agents: Keys): CallTable {
    const t = new CallTable(agents);
    t.ids = new Keys(c.ids);
    t.ts = c.ts;
    t.caller = c.caller;
    t.agent = c.agent;
    t.prev = c.prev;
    t.next = c.next;
    t.callers = new Keys(c.callers);
    t.first = c.first;
    t.last = c.last;
    return t;
  }

  columns(): CallColumns {
    const n = this.ids.size;
    const k = this.callers.size;
    return {
      ids: this.ids.state(),
      ts: head(this.ts, n),
      caller: head(this.caller, n),
      agent: head(this.agent, n),
      prev: head(this.prev, n),
      next: head(this.next, n),
      callers: this.callers.state(),
      first: head(this.first, k),
      last: head(this.last, k),
    };
  }

  get size(): number {
    return this.ids.size;
  }

  /** A call's first offer (by event time) is the contact; a later re-offer changes nothing. */
  offered(call: string, ts: number, caller: string): void {
    const known = this.ids.find(call);
    if (known >= 0) {
      if ((this.ts[known] as number) <= ts) return;
      this.unlink(known);
      this.ts[known] = ts;
      this.caller[known] = this.callerId(caller);
      this.link(known);
      return;
    }
    const r = this.ids.id(call);
    this.ts = room(this.ts, r + 1, (n) => new Float64Array(n));
    this.caller = room(this.caller, r + 1, (n) => new Int32Array(n));
    this.agent = room(this.agent, r + 1, (n) => new Int32Array(n));
    this.prev = room(this.prev, r + 1, (n) => new Int32Array(n));
    this.next = room(this.next, r + 1, (n) => new Int32Array(n));
    this.ts[r] = ts;
    this.caller[r] = this.callerId(caller);
    this.agent[r] = 0;
    this.link(r);
  }

  /** The first agent to answer the call (a call not yet offered with a caller is not kept). */
  answered(call: string, agent: string): void {
    const r = this.ids.find(call);
    if (r >= 0 && this.agent[r] === 0) this.agent[r] = this.agents.id(agent);
  }

  time(r: number): number {
    return this.ts[r] as number;
  }

  agentOf(r: number): string {
    return this.agents.key(this.agent[r] as number);
  }

  /** Whether the caller of row `r` called again after it, at or before `until`. */
  calledAgain(r: number, until: number): boolean {
    const t = this.ts[r] as number;
    let n = this.next[r] as number;
    // Calls at the same instant are not "again".
    while (n !== NONE && (this.ts[n] as number) <= t) n = this.next[n] as number;
    return n !== NONE && (this.ts[n] as number) <= until;
  }

  /** The table without the calls before `keep` (their callers go when no call is left). */
  without(keep: number): CallTable {
    let old = false;
    for (let r = 0; r < this.ids.size && !old; r++) old = (this.ts[r] as number) < keep;
    if (!old) return this;
    const t = new CallTable(this.agents);
    for (let r = 0; r < this.ids.size; r++) {
      const ts = this.ts[r] as number;
      if (ts < keep) continue;
      t.offered(this.ids.key(r), ts, this.callers.key(this.caller[r] as number));
      t.agent[t.ids.size - 1] = this.agent[r] as number;
    }
    return t;
  }

  private callerId(key: string): number {
    const added = this.callers.size;
    const c = this.callers.id(key);
    if (c === added) {
      this.first = room(this.first, c + 1, (n) => new Int32Array(n));
      this.last = room(this.last, c + 1, (n) => new Int32Array(n));
      this.first[c] = NONE;
      this.last[c] = NONE;
    }
    return c;
  }

  /** Links row `r` into its caller's chain after every call at or before its time. */
  private link(r: number): void {
    const c = this.caller[r] as number;
    const t = this.ts[r] as number;
    // From the latest: calls mostly arrive in time order, so this is one step.
    let p = this.last[c] as number;
    while (p !== NONE && (this.ts[p] as number) > t) p = this.prev[p] as number;
    const n = p === NONE ? (this.first[c] as number) : (this.next[p] as number);
    this.prev[r] = p;
    this.next[r] = n;
    if (p === NONE) this.first[c] = r;
    else this.next[p] = r;
    if (n === NONE) this.last[c] = r;
    else this.prev[n] = r;
  }

  private unlink(r: number): void {
    const c = this.caller[r] as number;
    const p = this.prev[r] as number;
    const n = this.next[r] as number;
    if (p === NONE) this.first[c] = n;
    else this.next[p] = n;
    if (n === NONE) this.last[c] = p;
    else this.prev[n] = p;
  }
}
