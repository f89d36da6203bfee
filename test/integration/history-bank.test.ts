// Issue 18's back-fill, once: a month of real calls (the Anonymous Bank's February) posted in
// 5,000-line bodies to a fresh server with the facts warmer on; right after the last ack
// every day's interval report (60, 15, 30 min) equals the file's own counts, and verify
// finds 0 mismatches. `npm run bank-history -- --runs 10` repeats it ten times
// (scripts/bank-history.ts; the runs are recorded in docs/benchmarks.md).
import { afterAll, describe, expect, it } from 'vitest';
import { bankEvents, bankRun } from '../../scripts/bank-history.js';
import { startServer, type TestServer } from '../helpers/server.js';

let server: TestServer | undefined;
afterAll(async () => server?.dispose());

describe('a month of real calls back-filled', () => {
  it('gives every day right right after the last ack, and verify 0 mismatches', async () => {
    const data = bankEvents();
    expect(data.events.length).toBeGreaterThan(85_000);
    expect(data.days.size).toBe(28);
    server = await startServer({ env: { FLOORWATCH_NO_FACTS_WARMER: '0' }, timeoutMs: 180_000 });
    expect(await bankRun(server, data)).toEqual([]);
  }, 600_000);
});
