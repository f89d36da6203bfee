// How many fresh snapshots one board may ask for: a token bucket. A board resyncs when it
// sees a gap in the delta sequence, which is rare; a client that asks in a loop would
// otherwise make the server build and buffer a full snapshot (hundreds of KB on a big
// floor) for every 17-byte message. Refused requests are counted so that a client that
// keeps asking can be disconnected.

export interface ResyncBudgetOptions {
  /** Resyncs allowed at once. */
  burst: number;
  /** One more resync is allowed after each this many ms. */
  everyMs: number;
  /** Refused requests after which the socket is closed. */
  maxRefused: number;
}

export const DEFAULT_RESYNC_BUDGET: ResyncBudgetOptions = {
  burst: 3,
  everyMs: 10_000,
  maxRefused: 10,
};

export type ResyncVerdict = 'send' | 'refuse' | 'close';

export class ResyncBudget {
  private tokens: number;
  private last: number;
  private refusedCount = 0;

  constructor(
    private readonly o: ResyncBudgetOptions,
    now: number,
  ) {
    this.tokens = o.burst;
    this.last = now;
  }

  /** Whether this resync request is served, refused, or the socket should be closed. */
  take(now: number): ResyncVerdict {
    const earned = Math.floor((now - this.last) / this.o.everyMs);
    if (earned > 0) {
      this.tokens = Math.min(this.o.burst, this.tokens + earned);
      this.last += earned * this.o.everyMs;
    }
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 'send';
    }
    this.refusedCount += 1;
    return this.refusedCount >= this.o.maxRefused ? 'close' : 'refuse';
  }

  get refused(): number {
    return this.refusedCount;
  }
}
