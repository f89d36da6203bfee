// A FIFO of (index, token) pairs with lazy deletion: entries whose token no longer matches
// are skipped when read. Waiting calls and idle agents both live in these; removing from the
// middle would be O(n), skipping stale heads is amortised O(1).

export class TokenFifo {
  private refs: number[] = [];
  private tokens: number[] = [];
  private head = 0;

  push(ref: number, token: number): void {
    this.refs.push(ref);
    this.tokens.push(token);
  }

  /** Drops stale entries at the head and returns the first live one's ref, or -1. */
  peek(isLive: (ref: number, token: number) => boolean): number {
    while (this.head < this.refs.length) {
      const ref = this.refs[this.head]!;
      if (isLive(ref, this.tokens[this.head]!)) return ref;
      this.head++;
    }
    this.compact();
    return -1;
  }

  /** Removes the head entry (call after a successful peek). */
  shift(): void {
    this.head++;
    this.compact();
  }

  private compact(): void {
    // Compact once the dead prefix is large: keeps memory bounded on week-long runs.
    if (this.head > 4096 && this.head * 2 > this.refs.length) {
      this.refs = this.refs.slice(this.head);
      this.tokens = this.tokens.slice(this.head);
      this.head = 0;
    }
  }
}
