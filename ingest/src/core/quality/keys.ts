// A list of distinct strings (call ids, caller keys, agents) and the index from a string to
// its position, held as one text, end offsets and a hash table of positions. A restart loads
// the three as they were saved: a Map of millions of strings would be rebuilt key by key
// (about a second per million here) and then walked by every full garbage collection.
//   find / add / id(key) → position; key(position) → string; state() → the checkpoint's copy

/** Keys as a checkpoint holds them. */
export interface KeysState {
  /** Every key, one after another. */
  text: string;
  /** Where each key ends in `text`. */
  ends: Int32Array;
  /** Open addressing by hashKey: 0 empty, else position + 1. */
  slots: Int32Array;
}

/** FNV-1a over UTF-16 code units: the saved slots depend on it, so it never changes. */
function hashRange(s: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class Keys {
  private text = '';
  private ends: Int32Array = new Int32Array(0);
  /** Keys added since `text` was last joined: position base + i. */
  private added: string[] = [];
  private base = 0;
  private slots: Int32Array = new Int32Array(1024);

  constructor(s?: KeysState) {
    if (!s) return;
    this.text = s.text;
    this.ends = s.ends;
    this.base = s.ends.length;
    this.slots = s.slots;
  }

  static of(keys: readonly string[]): Keys {
    const k = new Keys();
    for (const key of keys) k.id(key);
    return k;
  }

  get size(): number {
    return this.base + this.added.length;
  }

  /** The key's position, or -1. */
  find(key: string): number {
    const mask = this.slots.length - 1;
    for (let i = hashRange(key, 0, key.length) & mask; ; i = (i + 1) & mask) {
      const p = (this.slots[i] as number) - 1;
      if (p < 0) return -1;
      if (this.is(p, key)) return p;
    }
  }

  /** The key's position, added at the end when it is not there. */
  id(key: string): number {
    const p = this.find(key);
    return p >= 0 ? p : this.add(key);
  }

  key(p: number): string {
    if (p >= this.base) return this.added[p - this.base] as string;
    return this.text.slice(this.start(p), this.ends[p] as number);
  }

  /** The checkpoint's copy; the keys added since the last one are joined into the text. */
  state(): KeysState {
    if (this.added.length > 0) {
      const ends = new Int32Array(this.size);
      ends.set(this.ends.subarray(0, this.base));
      let at = this.text.length;
      this.added.forEach((k, i) => (ends[this.base + i] = at += k.length));
      this.text += this.added.join('');
      this.ends = ends;
      this.base = ends.length;
      this.added = [];
    }
    return { text: this.text, ends: this.ends, slots: this.slots.slice() };
  }

  private add(key: string): number {
    const p = this.size;
    this.added.push(key);
    if ((p + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(p, hashRange(key, 0, key.length));
    return p;
  }

  private start(p: number): number {
    return p === 0 ? 0 : (this.ends[p - 1] as number);
  }

  private is(p: number, key: string): boolean {
    if (p >= this.base) return this.added[p - this.base] === key;
    const s = this.start(p);
    return (this.ends[p] as number) - s === key.length && this.text.startsWith(key, s);
  }

  private place(p: number, h: number): void {
    const mask = this.slots.length - 1;
    let i = h & mask;
    while (this.slots[i] !== 0) i = (i + 1) & mask;
    this.slots[i] = p + 1;
  }

  private rehash(n: number): void {
    this.slots = new Int32Array(n);
    for (let p = 0; p < this.size; p++) {
      const h =
        p < this.base
          ? hashRange(this.text, this.start(p), this.ends[p] as number)
          : hashRange(
              this.added[p - this.base] as string,
              0,
              (this.added[p - this.base] as string).length,
            );
      this.place(p, h);
    }
  }
}
