// The environment read into the configuration: defaults, values, and a bad value that names
// its variable (start-up stops on it).
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY } from '../../ingest/src/adapters/webhook/dispatcher.js';
import { readConfig } from '../../ingest/src/config.js';

describe('readConfig', () => {
  it('takes the memory budgets and the webhook retries from the environment, with defaults', () => {
    const d = readConfig({});
    expect(d.maxHeldCalls).toBe(100_000);
    expect(d.dedupeMaxIds).toBe(1_000_000);
    expect(d.webhook).toEqual({
      attempts: DEFAULT_RETRY.attempts,
      baseDelayMs: DEFAULT_RETRY.baseDelayMs,
      timeoutMs: DEFAULT_RETRY.timeoutMs,
      allowHosts: [],
    });
    const c = readConfig({
      FLOORWATCH_MAX_HELD_CALLS: '5000',
      FLOORWATCH_DEDUPE_MAX_IDS: '250000',
      FLOORWATCH_WEBHOOK_ATTEMPTS: '3',
      FLOORWATCH_WEBHOOK_RETRY_MS: '250',
      FLOORWATCH_WEBHOOK_TIMEOUT_MS: '2000',
      FLOORWATCH_WEBHOOK_ALLOW_HOSTS: ' routing.internal , [::1],10.0.0.7 ',
    });
    expect([c.maxHeldCalls, c.dedupeMaxIds]).toEqual([5000, 250_000]);
    expect(c.webhook).toEqual({
      attempts: 3,
      baseDelayMs: 250,
      timeoutMs: 2000,
      allowHosts: ['routing.internal', '::1', '10.0.0.7'],
    });
  });

  it('names the variable of a bad value', () => {
    expect(() => readConfig({ FLOORWATCH_WEBHOOK_ATTEMPTS: '0' })).toThrow(
      /FLOORWATCH_WEBHOOK_ATTEMPTS must be an integer from 1 to 20, got "0"/,
    );
    expect(() => readConfig({ FLOORWATCH_DEDUPE_MAX_IDS: 'lots' })).toThrow(
      /FLOORWATCH_DEDUPE_MAX_IDS must be an integer/,
    );
    expect(() => readConfig({ FLOORWATCH_MAX_HELD_CALLS: '10' })).toThrow(
      /FLOORWATCH_MAX_HELD_CALLS must be an integer from 1000/,
    );
  });
});
