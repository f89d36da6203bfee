import { describe, expect, it } from 'vitest';
import { Dedupe } from '../../ingest/src/core/dedupe.js';

const MIN = 60_000;
const now = Date.UTC(2026, 10, 23, 12);
const make = (maxIds = 1000, initialFloorTs = now - 15 * MIN) =>
  new Dedupe({ windowMs: 20 * MIN, maxIds, initialFloorTs });

describe('Dedupe', () => {
  it('claims an id once: a second claim while pending, or after commit, is a duplicate, per site', () => {
    const d = make();
    expect(d.claim('s', 'e1', now)).toBe('claimed');
    expect(d.claim('s', 'e1', now)).toBe('duplicate');
    expect(d.claim('other', 'e1', now)).toBe('claimed');
    expect(d.stats().pending).toBe(2);
    d.commit([{ site: 's', id: 'e1', ts: now }], now);
    expect(d.stats()).toMatchObject({ ids: 1, pending: 1 });
    // Committed: still a duplicate, whatever ts the resend carries.
    expect(d.claim('s', 'e1', now - 25 * MIN)).toBe('duplicate');
    expect(d.claim('s', 'e1', now + 1000)).toBe('duplicate');
  });

  it('asks the store about an event at or below the floor, and keeps it pending meanwhile', () => {
    const d = make();
    expect(d.claim('s', 'old', now - 16 * MIN)).toBe('ask');
    expect(d.claim('s', 'old', now)).toBe('duplicate');
    // The store had it: the claim is taken back; a later resend asks again.
    d.release('s', 'old');
    expect(d.claim('s', 'old', now - 16 * MIN)).toBe('ask');
  });

  it('a failed insert releases its claims, so a resend is accepted', () => {
    const d = make();
    expect(d.claim('s', 'f', now)).toBe('claimed');
    d.release('s', 'f');
    expect(d.claim('s', 'f', now)).toBe('claimed');
  });

  it('drops buckets past the window and raises the floor to the newest event time they held', () => {
    const d = make();
    d.claim('s', 'a', now - MIN);
    d.commit([{ site: 's', id: 'a', ts: now - MIN }], now);
    d.maintain(now + 10 * MIN);
    expect(d.claim('s', 'a', now - MIN)).toBe('duplicate');
    d.maintain(now + 21 * MIN);
    expect(d.stats().ids).toBe(0);
    expect(d.stats().floorTs).toBe(now - MIN);
    // Out of memory now: a resend at or below the floor is asked of the store.
    expect(d.claim('s', 'a', now - MIN)).toBe('ask');
  });

  it('holds at most the budget: the oldest buckets go, and every id no longer held is at or below its site floor', () => {
    const d = make(40);
    for (let i = 0; i < 200; i++) {
      const ts = now - 100_000 + i * 100;
      expect(d.claim('s', `e${i}`, ts)).toBe('claimed');
      d.commit([{ site: 's', id: `e${i}`, ts }], now + i * 10);
      d.maintain(now + i * 10);
    }
    expect(d.stats().ids).toBeLessThanOrEqual(40);
    // Resends with the same ts: held ones are duplicates, the rest must be asked, none claimed as new.
    const outcomes = Array.from({ length: 200 }, (_, i) =>
      d.claim('s', `e${i}`, now - 100_000 + i * 100),
    );
    expect(outcomes).not.toContain('claimed');
    expect(outcomes.filter((o) => o === 'duplicate').length).toBeLessThanOrEqual(40);
    expect(outcomes[199]).toBe('duplicate');
  });

  it('loads stored ids at start-up, and a floor raised for a site applies to that site only', () => {
    const d = make(1000, -Infinity);
    d.load('s', 'x', now - 5 * MIN, now);
    expect(d.claim('s', 'x', now)).toBe('duplicate');
    d.raiseFloor('s', now - 2 * MIN);
    expect(d.claim('s', 'y', now - 3 * MIN)).toBe('ask');
    expect(d.claim('t', 'y', now - 3 * MIN)).toBe('claimed');
  });
});
