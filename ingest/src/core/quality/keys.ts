// A list of distinct strings (call ids, caller keys, agents) and the index from a string to
// its position, held as a few long texts, end offsets and a hash table of positions. A restart
// loads them as they were saved: a Map of millions of strings would be rebuilt key by key
// (about a second per million here) and then walked by every full garbage collection.
//   find / add / id(key) → position; key(position) → string; state() → the checkpoint's copy

/** Keys as a checkpoint holds them. */
export interface KeysState {
  /** The keys one after another, in texts of about `chunk` characters (V8 caps a string). */
  texts: string[];
  /** The position of each text's first key. */
  firsts: number[];
  /** Where each key ends in its text. */
  ends: Int32Array;
  /** Open addressing by hashRange: 0 empty, else position + 1. */
  slots: Int32Array;
}

/** Characters per text before the next one begins; far below V8's 2^29 - 24. */
const CHUNK = 1 << 24;

/** FNV-1a over UTF-16 code units: the saved slots depend on it, so it never changes. */
function hashRange(s: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class Keys {
  private texts: string[] = [];
  private firsts: number[] = [];
  private ends: Int32Array = new Int32Array(0);
  /** Keys added since the texts were last extended: position base + i. */
  private added: string[] = [];
  private base = 0;
  private slots: Int32Array = new Int32Array(1024);

  /** `chunk` is for tests: texts that short make several of a few keys. */
  constructor(
    s?: KeysState,
    private readonly chunk = CHUNK,
  ) {
    if (!s) return;
    this.texts = s.texts;
    this.firsts = s.firsts;
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
    const c = this.chunkOf(p);
    return (this.texts[c] as string).slice(this.start(p, c), this.ends[p] as number);
  }

  /** The checkpoint's copy; the keys added since the last one are moved into the texts. */
  state(): KeysState {
    if (this.added.length > 0) {
      const ends = new Int32Array(this.size);
      ends.set(this.ends.subarray(0, this.base));
      const added = this.added;
      for (let i = 0; i < added.length;) {
        let c = this.texts.length - 1;
        let at = c >= 0 ? (this.texts[c] as string).length : 0;
        // A new text begins when the last one would pass `chunk` characters.
        if (c < 0 || (at > 0 && at + (added[i] as string).length > this.chunk)) {
          this.texts.push('');
          this.firsts.push(this.base + i);
          c++;
          at = 0;
        }
        let j = i;
        for (; j < added.length; j++) {
          const len = (added[j] as string).length;
          if (at > 0 && at + len > this.chunk) break;
          ends[this.base + j] = at += len;
        }
        this.texts[c] = (this.texts[c] as string) + added.slice(i, j).join('');
        i = j;
      }
      this.ends = ends;
      this.base = ends.length;
      this.added = [];
    }
    return {
      texts: [...this.texts],
      firsts: [...this.firsts],
      ends: this.ends,
      slots: this.slots.slice(),
    };
  }

  private add(key: string): number {
    const p = this.size;
    this.added.push(key);
    if ((p + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(p, hashRange(key, 0, key.length));
    return p;
  }

  /** The text holding saved key `p`. */
  private chunkOf(p: number): number {
    const f = this.firsts;
    let a = 0;
    let b = f.length - 1;
    while (a < b) {
      const m = (a + b + 1) >> 1;
      if ((f[m] as number) <= p) a = m;
      else b = m - 1;
    }
    return a;
  }

  private start(p: number, c: number): number {
    return p === this.firsts[c] ? 0 : (this.ends[p - 1] as number);
  }

  private is(p: number, key: string): boolean {
    if (p >= this.base) return this.added[p - this.base] === key;
    const c = this.chunkOf(p);
    const s = this.start(p, c);
    return (
      (this.ends[p] as number) - s === key.length && (this.texts[c] as string).startsWith(key, s)
    );
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
      if (p >= this.base) {
        const k = this.added[p - this.base] as string;
        this.place(p, hashRange(k, 0, k.length));
      } else {
        const c = this.chunkOf(p);
        this.place(p, hashRange(this.texts[c] as string, this.start(p, c), this.ends[p] as number));
      }
    }
  }
}
