// How overflow-rule webhooks retry: the defaults config.ts reads the environment against.

export interface WebhookRetryOptions {
  /** Attempts in all, first one included. 6 attempts with a 1 s base span ~31 s of back-off. */
  attempts: number;
  /** Delay before the 2nd attempt; doubled each time. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Per-attempt timeout: a routing system that takes longer than 5 s is treated as down. */
  timeoutMs: number;
}

export const DEFAULT_RETRY: WebhookRetryOptions = {
  attempts: 6,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  timeoutMs: 5000,
};
