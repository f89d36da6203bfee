// The memory ceiling of held finished calls: a burst of calls within a few seconds of event
// time (inside the lateness window, where the count budget never folds) stays under it, the
// figures stay those of an engine that keeps everything, and a new call is never late-born.
import { describe, expect, it } from 'vitest';
import type { FwEvent } from '../../ingest/src/core/contract.js';
import { createQueueEngine } from '../../ingest/src/core/queue/index.js';
import { HELD_CALL_BYTES } from '../../ingest/src/core/queue/fold.js';
import { SITE, T0, siteConfig } from './queue-helpers.js';

/** `n` calls offered and abandoned (wait 0-7 s) within `spanMs` of event time, in ts order. */
function burst(n: number, spanMs: number): FwEvent[] {
  const out: FwEvent[] = [];
  for (let i = 0; i < n; i++) {
    const t = T0 + Math.floor((i * spanMs) / n);
    out.push({
      id: `o${i}`,
      ts: t,
      site: SITE,
      type: 'call.offered',
      call: `c${i}`,
      queue: `q${i % 3}`,
    });
    out.push({
      id: `x${i}`,
      ts: t + (i % 8) * 1000,
      site: SITE,
      type: 'call.abandoned',
      call: `c${i}`,
      queue: `q${i % 3}`,
    });
  }
  return out.sort((a, b) => a.ts - b.ts);
}

describe('held-call memory ceiling', () => {
  it('10,000 calls within 5 s are held at most near the ceiling, with the figures of an engine that keeps every call', () => {
    const events = burst(10_000, 5000);
    const ceiling = 1000;
    const keep = createQueueEngine(SITE, siteConfig(), {
      latenessMs: 10_000,
      maxHeldCalls: 100_000,
      maxHeldBytes: 1e12,
    });
    const capped = createQueueEngine(SITE, siteConfig(), {
      latenessMs: 10_000,
      maxHeldCalls: 100_000,
      maxHeldBytes: ceiling * HELD_CALL_BYTES,
    });
    let most = 0;
    for (const ev of events) {
      keep.apply(ev);
      capped.apply(ev);
      most = Math.max(most, capped.stats().calls);
    }
    // The ceiling plus the calls still waiting (abandoned up to 7 s after their offer).
    const end = events[events.length - 1]!.ts + 60_000;
    expect(keep.stats().calls).toBe(10_000);
    expect(most).toBeLessThanOrEqual(ceiling + 1 + 8 * (10_000 / 5));
    expect(capped.stats().calls).toBeLessThanOrEqual(ceiling + 1);
    expect(capped.stats().earlyFolded).toBeGreaterThan(7_000);
    expect(capped.intervals(end)).toEqual(keep.intervals(end));
    expect(capped.queues(end)).toEqual(keep.queues(end));
    // A call offered at the newest event time is shown waiting, not late-born.
    const last = events[events.length - 1]!.ts;
    capped.apply({
      id: 'new',
      ts: last,
      site: SITE,
      type: 'call.offered',
      call: 'fresh',
      queue: 'q0',
    });
    expect(capped.stats().lateCalls).toBe(0);
    expect(capped.queues(last + 1000).find((q) => q.queue === 'q0')?.waiting).toBe(1);
  });
});
