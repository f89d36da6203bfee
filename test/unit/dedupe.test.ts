import { describe, expect, it } from 'vitest';
import { DedupeIndex } from '../../ingest/src/core/dedupe.js';

const H = 3_600_000;
const now = Date.UTC(2026, 10, 23, 12);

describe('DedupeIndex', () => {
  it('knows a recent id from the moment it is claimed, under any event time and per site', () => {
    const d = new DedupeIndex(2 * H);
    expect(d.has('s', 'e1')).toBe(false);
    d.claim('s', 'e1', now - 30 * 60_000, now);
    expect(d.has('s', 'e1')).toBe(true);
    expect(d.has('other', 'e1')).toBe(false);
    expect(d.hasPendingOld).toBe(false);
  });

  it('keeps an old id only until its insert commits, and forgets an aborted one', () => {
    const d = new DedupeIndex(2 * H);
    d.claim('s', 'old', now - 5 * H, now);
    expect(d.has('s', 'old')).toBe(true);
    expect(d.hasPendingOld).toBe(true);
    d.commit('s', 'old');
    expect(d.has('s', 'old')).toBe(false);
    expect(d.hasPendingOld).toBe(false);
    d.claim('s', 'new', now, now);
    d.abort('s', 'new', now);
    expect(d.has('s', 'new')).toBe(false);
  });

  it('drops buckets only once they are past the horizon and the margin', () => {
    const d = new DedupeIndex(2 * H, 10 * 60_000);
    d.claim('s', 'edge', now - 2 * H + 1000, now);
    d.evict(now + 5 * 60_000);
    expect(d.has('s', 'edge')).toBe(true);
    d.evict(now + 2 * H);
    expect(d.has('s', 'edge')).toBe(false);
    expect(d.size()).toBe(0);
  });
});
