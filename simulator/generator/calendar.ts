// The event calendar: a binary min-heap keyed on (time, insertion order). Ties keep
// insertion order, which keeps runs deterministic. O(log n) per push/pop, so a 20,000-agent
// day (~10^7 scheduled transitions) stays far faster than real time.

export interface Scheduled<K> {
  t: number;
  seq: number;
  kind: K;
  /** Index of the agent or call the transition concerns. */
  ref: number;
  /** Token checked when it fires: a stale token means the transition was superseded. */
  token: number;
}

export class Calendar<K> {
  private heap: Scheduled<K>[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  peekTime(): number {
    return this.heap.length ? this.heap[0]!.t : Infinity;
  }

  push(t: number, kind: K, ref: number, token = 0): void {
    const item: Scheduled<K> = { t, seq: this.seq++, kind, ref, token };
    const h = this.heap;
    let i = h.length;
    h.push(item);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = h[p]!;
      if (parent.t < t || (parent.t === t && parent.seq < item.seq)) break;
      h[i] = parent;
      i = p;
    }
    h[i] = item;
  }

  pop(): Scheduled<K> | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (!top || !last || h.length === 0) return top;
    let i = 0;
    const n = h.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      let child = h[l]!;
      if (r < n) {
        const rc = h[r]!;
        if (rc.t < child.t || (rc.t === child.t && rc.seq < child.seq)) {
          c = r;
          child = rc;
        }
      }
      if (last.t < child.t || (last.t === child.t && last.seq < child.seq)) break;
      h[i] = child;
      i = c;
    }
    h[i] = last;
    return top;
  }
}
