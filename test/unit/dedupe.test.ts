import { describe, expect, it } from 'vitest';
import { DedupeIndex, type ClaimTicket } from '../../ingest/src/core/dedupe.js';

const H = 3_600_000;
const now = Date.UTC(2026, 10, 23, 12);
const ticket = (): ClaimTicket => ({ gens: [] });

describe('DedupeIndex', () => {
  it('knows a recent id from the moment it is claimed, under any event time and per site', () => {
    const d = new DedupeIndex(2 * H);
    expect(d.has('s', 'e1')).toBe(false);
    d.claim('s', 'e1', now - 30 * 60_000, now, ticket());
    expect(d.has('s', 'e1')).toBe(true);
    expect(d.has('other', 'e1')).toBe(false);
    expect(d.hasPendingOld).toBe(false);
  });

  it('keeps an old id only until its insert commits, and forgets an aborted one', () => {
    const d = new DedupeIndex(2 * H);
    d.claim('s', 'old', now - 5 * H, now, ticket());
    expect(d.has('s', 'old')).toBe(true);
    expect(d.hasPendingOld).toBe(true);
    d.commit('s', 'old');
    expect(d.has('s', 'old')).toBe(false);
    expect(d.hasPendingOld).toBe(false);
    d.claim('s', 'new', now, now, ticket());
    d.abort('s', 'new');
    expect(d.has('s', 'new')).toBe(false);
    expect(d.size()).toBe(0);
  });

  it('drops a generation only once it is past the horizon and the margin, and its inserts have settled', () => {
    const d = new DedupeIndex(2 * H, { marginMs: 10 * 60_000, genMs: 60_000 });
    const t = ticket();
    d.claim('s', 'edge', now - 2 * H + 1000, now, t);
    // A later batch opens a new generation, so the first is no longer the one taking ids.
    d.claim('s', 'later', now + 2 * H, now + 2 * H, ticket());
    d.maintain(now + 5 * 60_000);
    expect(d.has('s', 'edge')).toBe(true);
    d.maintain(now + 2 * H);
    // Past the horizon and the margin, but its insert has not settled yet.
    expect(d.has('s', 'edge')).toBe(true);
    d.release(t);
    d.maintain(now + 2 * H);
    expect(d.has('s', 'edge')).toBe(false);
    expect(d.has('s', 'later')).toBe(true);
    expect(d.size()).toBe(1);
  });

  it('holds at most the budget: the oldest settled generations go and the floor rises above them, so their events are looked up in the store', () => {
    const d = new DedupeIndex(2 * H, { maxIds: 30 });
    const epoch0 = d.epoch;
    for (let i = 0; i < 100; i++) {
      const t = ticket();
      d.maintain(now);
      d.claim('s', `e${i}`, now - 1000 * (100 - i), now, t);
      d.release(t);
    }
    d.maintain(now);
    expect(d.size()).toBeLessThanOrEqual(30);
    expect(d.epoch).toBeGreaterThan(epoch0);
    // The newest ids are still known in memory; the oldest are below the floor.
    expect(d.has('s', 'e99')).toBe(true);
    expect(d.has('s', 'e0')).toBe(false);
    expect(d.isRecent(now - 1000 * 100, now)).toBe(false);
    expect(d.isRecent(now - 1000, now)).toBe(true);
    // Every id that is no longer held has its event below the floor (the store finds it).
    for (let i = 0; i < 100; i++) if (!d.has('s', `e${i}`)) expect(d.isRecent(now - 1000 * (100 - i), now)).toBe(false);
    expect(d.storeBelow(now)).toBeGreaterThan(now - 2 * H);
  });

  it('never drops a generation whose batch is still being inserted, even over the budget', () => {
    const d = new DedupeIndex(2 * H, { maxIds: 6 });
    const open = ticket();
    for (let i = 0; i < 12; i++) d.claim('s', `p${i}`, now, now, open);
    d.maintain(now);
    for (let i = 0; i < 12; i++) expect(d.has('s', `p${i}`)).toBe(true);
    expect(d.isRecent(now, now)).toBe(true);
    d.release(open);
    d.maintain(now);
    expect(d.size()).toBeLessThanOrEqual(6);
  });

  it('finds every held id through the generations\' Bloom filters and never takes an absent one for a duplicate', () => {
    const d = new DedupeIndex(2 * H, { maxIds: 30_000 });
    const t = ticket();
    for (let i = 0; i < 30_000; i++) d.claim(i % 2 ? 's' : 'é站', `id-${i}-中`, now, now, t);
    for (let i = 0; i < 30_000; i++) expect(d.has(i % 2 ? 's' : 'é站', `id-${i}-中`)).toBe(true);
    let wrong = 0;
    for (let i = 30_000; i < 90_000; i++) if (d.has(i % 2 ? 's' : 'é站', `id-${i}-中`) || d.has('s', `id-${i - 30_000}x`)) wrong++;
    expect(wrong).toBe(0);
    // An aborted id leaves its filter bits set; the Set still says no.
    d.abort('s', 'id-1-中');
    expect(d.has('s', 'id-1-中')).toBe(false);
  });
});
