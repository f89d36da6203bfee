// The background facts warmer: every site through every builder over the look-back, a
// failing builder logged without stopping the rest, and stop() waits for a running pass.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { FactsWarmer } from '../../ingest/src/runtime/facts-warmer.js';

describe('FactsWarmer', () => {
  it('builds every site with every builder over the look-back, and survives a failing builder', async () => {
    const calls: string[] = [];
    const now = Date.parse('2026-11-23T12:00:00Z');
    const w = new FactsWarmer({
      sites: () => ['a', 'b'],
      log: pino({ level: 'silent' }),
      now: () => now,
      lookbackMs: 86_400_000,
      builders: [
        { name: 'x', build: async (site, from, to) => void calls.push(`x:${site}:${to - from}`) },
        {
          name: 'y',
          build: async (site) => {
            calls.push(`y:${site}`);
            if (site === 'a') throw new Error('boom');
          },
        },
      ],
    });
    await w.pass();
    expect(calls).toEqual(['x:a:86400000', 'y:a', 'x:b:86400000', 'y:b']);
    await w.stop();
  });
});
