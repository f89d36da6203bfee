import { describe, expect, it } from 'vitest';
import { DedupeIndex, newClaimTicket } from '../../ingest/src/core/dedupe.js';

const H = 3_600_000;
const now = Date.UTC(2026, 10, 23, 12);
const ticket = newClaimTicket;

describe('DedupeIndex', () => {
  it('holds a claimed id as pending until its insert settles; a committed recent id is then known to the filters, per site', () => {
    const d = new DedupeIndex(2 * H);
    expect(d.pending('s', 'e1')).toBe(false);
    expect(d.maybeSeen('s', 'e1')).toBe(false);
    const t = ticket();
    d.claim('s', 'e1', now - 30 * 60_000, now, t);
    expect(d.pending('s', 'e1')).toBe(true);
    expect(d.pending('other', 'e1')).toBe(false);
    // Claims after the pending set was built are in it too.
    d.claim('s', 'e2', now, now, t);
    expect(d.pending('s', 'e2')).toBe(true);
    expect(d.pendingCount()).toBe(2);
    d.settle(t, true);
    expect(d.pending('s', 'e2')).toBe(false);
    expect(d.pending('s', 'e1')).toBe(false);
    expect(d.maybeSeen('s', 'e1')).toBe(true);
    expect(d.maybeSeen('other', 'e1')).toBe(false);
    expect(d.pendingCount()).toBe(0);
  });

  it('keeps false positives rare with a million and a half ids held: every id claimed is known, and fresh ids seldom look known', () => {
    // With one 32-bit hash behind both filter indexes, a fresh id matched a held one with
    // odds n / 2^32: 3.4e-4 here, so ~30% of 1,000-event batches were sent to the store.
    const d = new DedupeIndex(2 * H);
    const t = ticket();
    const n = 1_500_000;
    for (let i = 0; i < n; i++) d.claim('s', `i1000r0-0-${i}`, now, now, t);
    let missed = 0;
    for (let i = 0; i < n; i += 97) if (!d.maybeSeen('s', `i1000r0-0-${i}`)) missed++;
    expect(missed).toBe(0);
    let fp = 0;
    const q = 1_000_000;
    for (let i = 0; i < q; i++) if (d.maybeSeen('s', `fresh-${i}-x`)) fp++;
    // The hash is deterministic, so this count is too (the generations' filters together, ~6e-6).
    expect(fp / q).toBeLessThan(2e-5);
  });

  it('claimFresh claims an id the filters did not know, and refuses a repeat claimed by the same batch, in any generation of its ticket', () => {
    const d = new DedupeIndex(2 * H, { genMs: 60_000 });
    const t = ticket();
    expect(d.claimFresh('s', 'f1', now, now, t)).toBe(true);
    expect(d.claimFresh('s', 'f2', now, now, t)).toBe(true);
    expect(d.claimFresh('s', 'f1', now, now, t)).toBe(false);
    // A later generation opens within the batch (genMs passed): a repeat of an id claimed
    // into the earlier one is still refused.
    expect(d.claimFresh('s', 'f3', now + 61_000, now + 61_000, t)).toBe(true);
    expect(t.gens.length).toBe(2);
    expect(d.claimFresh('s', 'f2', now + 61_000, now + 61_000, t)).toBe(false);
    expect(d.pendingCount()).toBe(3);
    // Once settled, the ids are no longer pending: a new batch's caller finds them through maybeSeen.
    d.settle(t, true);
    expect(d.pendingCount()).toBe(0);
    expect(d.maybeSeen('s', 'f1')).toBe(true);
    expect(d.claimFresh('s', 'f1', now, now, ticket())).toBe(true);
  });

  it('an old id is only pending (the store answers for it once committed); an id whose insert failed is no longer pending', () => {
    const d = new DedupeIndex(2 * H);
    expect(d.isRecent(now - 5 * H, now)).toBe(false);
    const t = ticket();
    d.claim('s', 'old', now - 5 * H, now, t);
    expect(d.pending('s', 'old')).toBe(true);
    d.settle(t, true);
    expect(d.pending('s', 'old')).toBe(false);
    expect(d.maybeSeen('s', 'old')).toBe(false);
    expect(d.size()).toBe(0);
    const failed = ticket();
    d.claim('s', 'new', now, now, failed);
    d.settle(failed, false);
    // Not pending; its filter bits stay, so a resend is checked against the store (which has nothing).
    expect(d.pending('s', 'new')).toBe(false);
  });

  it('drops a generation only once it is past the horizon and the margin, and its inserts have settled', () => {
    const d = new DedupeIndex(2 * H, { marginMs: 10 * 60_000, genMs: 60_000 });
    const t = ticket();
    d.claim('s', 'edge', now - 2 * H + 1000, now, t);
    // A later batch opens a new generation, so the first is no longer the one taking ids.
    d.claim('s', 'later', now + 2 * H, now + 2 * H, ticket());
    d.maintain(now + 5 * 60_000);
    expect(d.maybeSeen('s', 'edge')).toBe(true);
    d.maintain(now + 2 * H);
    // Past the horizon and the margin, but its insert has not settled yet.
    expect(d.maybeSeen('s', 'edge')).toBe(true);
    d.settle(t, true);
    d.maintain(now + 2 * H);
    expect(d.maybeSeen('s', 'edge')).toBe(false);
    expect(d.maybeSeen('s', 'later')).toBe(true);
    expect(d.size()).toBe(1);
  });

  it('covers at most the budget: the oldest settled generations go and the floor rises above them, so their events are looked up in the store', () => {
    const d = new DedupeIndex(2 * H, { maxIds: 30 });
    for (let i = 0; i < 100; i++) {
      const t = ticket();
      d.maintain(now);
      d.claim('s', `e${i}`, now - 1000 * (100 - i), now, t);
      d.settle(t, true);
    }
    d.maintain(now);
    expect(d.size()).toBeLessThanOrEqual(30);
    expect(d.maybeSeen('s', 'e99')).toBe(true);
    expect(d.isRecent(now - 1000 * 100, now)).toBe(false);
    expect(d.isRecent(now - 1000, now)).toBe(true);
    // Every id the filters no longer cover has its event below the floor (the store finds it).
    for (let i = 0; i < 100; i++) if (!d.maybeSeen('s', `e${i}`)) expect(d.isRecent(now - 1000 * (100 - i), now)).toBe(false);
    expect(d.storeBelow(now)).toBeGreaterThan(now - 2 * H);
  });

  it('never drops a generation whose batch is still being inserted, even over the budget', () => {
    const d = new DedupeIndex(2 * H, { maxIds: 6 });
    const open = ticket();
    for (let i = 0; i < 12; i++) d.claim('s', `p${i}`, now, now, open);
    d.maintain(now);
    for (let i = 0; i < 12; i++) expect(d.maybeSeen('s', `p${i}`)).toBe(true);
    expect(d.isRecent(now, now)).toBe(true);
    d.settle(open, true);
    d.maintain(now);
    expect(d.size()).toBeLessThanOrEqual(6);
  });

  it('its filters know every claimed id (no false negatives) and rarely take an unknown id for a known one', () => {
    const d = new DedupeIndex(2 * H, { maxIds: 30_000 });
    const t = ticket();
    for (let i = 0; i < 30_000; i++) d.claim(i % 2 ? 's' : 'é站', `id-${i}-中`, now, now, t);
    for (let i = 0; i < 30_000; i++) expect(d.maybeSeen(i % 2 ? 's' : 'é站', `id-${i}-中`)).toBe(true);
    let falsePositives = 0;
    for (let i = 30_000; i < 130_000; i++) if (d.maybeSeen(i % 2 ? 's' : 'é站', `id-${i}-中`)) falsePositives++;
    // ~1e-7 per generation when full: none expected in 100,000.
    expect(falsePositives).toBeLessThanOrEqual(2);
  });

  it('notes a watched id committed by another batch while the store is being asked, not one whose insert failed', () => {
    const d = new DedupeIndex(2 * H);
    const w = d.watch(null, [
      { site: 's', id: 'x' },
      { site: 's', id: 'z' },
    ]);
    const a = ticket();
    d.claim('s', 'x', now, now, a);
    d.claim('s', 'y', now, now, a);
    const b = ticket();
    d.claim('s', 'z', now, now, b);
    d.settle(a, true);
    d.settle(b, false);
    d.unwatch(w);
    const c = ticket();
    d.claim('s', 'x2', now, now, c);
    d.settle(c, true);
    expect([...w.raced]).toEqual(['s\u0000x']);
  });

  it('sizes each filter for what its generation takes: a quiet site keeps small filters, a busy one doubles them up to a third of the budget', () => {
    const quiet = new DedupeIndex(20 * 60_000, { genMs: 5 * 60_000 });
    // One event a second for 30 minutes: a generation every 5 minutes, ~300 ids each.
    for (let i = 0; i < 1800; i++) {
      quiet.maintain(now + i * 1000);
      quiet.claim('s', `q${i}`, now + i * 1000, now + i * 1000, ticket());
    }
    expect(quiet.filterBytes()).toBeLessThanOrEqual(7 * 32 * 1024);
    const busy = new DedupeIndex(20 * 60_000, { maxIds: 600_000 });
    for (let i = 0; i < 500_000; i++) busy.claim('s', `b${i}`, now, now, ticket());
    // 64 bits per id of capacity, rounded up to a power of two: at most 16 B per id held.
    expect(busy.filterBytes()).toBeLessThanOrEqual(16 * 500_000 * 1.5);
    expect(busy.maybeSeen('s', 'b0')).toBe(true);
    expect(busy.maybeSeen('s', 'b499999')).toBe(true);
  });
});
