import { describe, expect, it } from 'vitest';
import { ResyncBudget } from '../../ingest/src/core/feed/resync-budget.js';

describe('resync budget', () => {
  it('serves a burst, then one per interval, and closes after repeated refusals', () => {
    const b = new ResyncBudget({ burst: 3, everyMs: 10_000, maxRefused: 3 }, 0);
    expect([b.take(0), b.take(0), b.take(0)]).toEqual(['send', 'send', 'send']);
    expect(b.take(1)).toBe('refuse');
    expect(b.take(9_999)).toBe('refuse');
    expect(b.take(10_000)).toBe('send');
    expect(b.take(10_001)).toBe('close');
    expect(b.refused).toBe(3);
  });

  it('does not bank more than the burst while idle', () => {
    const b = new ResyncBudget({ burst: 2, everyMs: 1000, maxRefused: 99 }, 0);
    const at = 1_000_000;
    expect([b.take(at), b.take(at), b.take(at)]).toEqual(['send', 'send', 'refuse']);
    expect(b.take(at + 999)).toBe('refuse');
    expect(b.take(at + 1000)).toBe('send');
  });
});
