// Sign-in attempt limits: failures are counted per account and per address in a sliding
// window; past the limit, sign-in is refused (even with the right password) until the
// oldest failure leaves the window. Pure: the caller passes the time.

export interface AttemptLimits {
  /** Failures per account in the window: 5 stops a password guesser at ~480 tries a day. */
  perAccount: number;
  /** Failures per address: higher, since a whole floor may sign in through one NAT address. */
  perAddress: number;
  windowMs: number;
}

export const DEFAULT_ATTEMPT_LIMITS: AttemptLimits = {
  perAccount: 5,
  perAddress: 20,
  windowMs: 15 * 60_000,
};

export class SignInAttempts {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly limits: AttemptLimits = DEFAULT_ATTEMPT_LIMITS) {}

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => now - t < this.limits.windowMs);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** Milliseconds until a sign-in for this account from this address may be tried again; 0 = now. */
  blockedFor(account: string, address: string, now: number): number {
    const a = this.recent(`u:${account.toLowerCase()}`, now);
    const b = this.recent(`a:${address}`, now);
    let wait = 0;
    if (a.length >= this.limits.perAccount)
      wait = Math.max(
        wait,
        (a[a.length - this.limits.perAccount] as number) + this.limits.windowMs - now,
      );
    if (b.length >= this.limits.perAddress)
      wait = Math.max(
        wait,
        (b[b.length - this.limits.perAddress] as number) + this.limits.windowMs - now,
      );
    return wait;
  }

  fail(account: string, address: string, now: number): void {
    for (const key of [`u:${account.toLowerCase()}`, `a:${address}`]) {
      const list = this.recent(key, now);
      list.push(now);
      this.failures.set(key, list);
    }
  }

  /** A good sign-in clears the account's failures (not the address's: other accounts share it). */
  succeed(account: string): void {
    this.failures.delete(`u:${account.toLowerCase()}`);
  }
}
