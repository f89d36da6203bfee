// A board that stops reading is taken off its site's topic instead of buffering without
// bound; once it reads again it gets a fresh snapshot and then gap-free deltas. A board
// that keeps reading is not affected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'node:net';
import { postEvents, startServer, waitFor, type TestServer } from '../helpers/server.js';
import { BoardClient } from './board-client.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.dispose();
});

const SITE = 'SLOWBOARD';
const AGENTS = 1500;
/** Bytes the reading board must have received before the slow one resumes: far past the
 * kernel's socket buffers (~4 MB send side on loopback) plus the server's 1 MiB allowance, and
 * far below uWS's own 32 MiB cap, so only the server's own handling can produce the snapshot. */
const PUSH_BYTES = 12 * 1024 * 1024;

describe('board backpressure', () => {
  it('gives a board that stopped reading a fresh snapshot instead of unbounded buffering', async () => {
    const fast = await BoardClient.connect(server.wsUrl, SITE);
    const slow = await BoardClient.connect(server.wsUrl, SITE);
    await fast.until((c) => c.snapshot !== null, Date.now() + 10_000, 'fast snapshot');
    await slow.until((c) => c.snapshot !== null, Date.now() + 10_000, 'slow snapshot');
    let fastBytes = 0;
    fast.ws.on('message', (d: Buffer) => (fastBytes += d.length));
    // Stop reading on the slow board: its bytes pile up in the kernel, then in uWS.
    const slowSocket = (slow.ws as unknown as { _socket: Socket })._socket;
    slowSocket.pause();

    const name = 'N'.repeat(100);
    const reason = 'R'.repeat(60);
    let n = 0;
    const login = [];
    for (let i = 0; i < AGENTS; i++)
      login.push({
        id: `bp-${++n}`,
        ts: Date.now(),
        type: 'agent.login',
        site: SITE,
        agent: `agent-${i}`,
        name,
        team: 'team-with-a-long-name',
      });
    expect((await postEvents(server, login)).body.accepted).toBe(AGENTS);
    let round = 0;
    while (fastBytes < PUSH_BYTES) {
      // Every agent changes state each round, so each delta carries all of them (~0.3 MB).
      const batch = [];
      const ts = Date.now();
      for (let i = 0; i < AGENTS; i++)
        batch.push({
          id: `bp-${++n}`,
          ts,
          type: 'agent.state',
          site: SITE,
          agent: `agent-${i}`,
          state: 'not_ready',
          reason: `${reason}${round}`,
        });
      expect((await postEvents(server, batch)).body.accepted).toBe(AGENTS);
      await fast.until(
        (c) =>
          c.snapshot?.agents.find((a) => a.agent === 'agent-0')?.reason === `${reason}${round}`,
        Date.now() + 10_000,
        `round ${round}`,
      );
      round++;
      if (round > 400) throw new Error('pushed 400 rounds without reaching the byte target');
    }
    const lastSeq = fast.state?.seq ?? 0;
    const slowSeenBeforeResume = slow.messages.length;
    slowSocket.resume();

    // The slow board catches up through a fresh snapshot, not through every delta it missed.
    await slow.until(
      (c) => c.messages.slice(1).some((m) => m.type === 'snapshot'),
      Date.now() + 20_000,
      'a fresh snapshot after falling behind',
    );
    await slow.until((c) => (c.state?.seq ?? 0) >= lastSeq, Date.now() + 20_000, 'the current seq');
    const deltasSeen = slow.messages.filter((m) => m.type === 'delta').length;
    expect(deltasSeen).toBeLessThan(lastSeq);
    expect(slow.gaps).toEqual([]);
    expect(slowSeenBeforeResume).toBeGreaterThanOrEqual(1);
    // Everything it shows agrees with the fast board's last round.
    const want = `${reason}${round - 1}`;
    await waitFor(
      () => slow.snapshot?.agents.filter((a) => a.reason === want).length === AGENTS,
      10_000,
    );

    // The board that kept reading got every message in order and never needed a snapshot.
    expect(fast.gaps).toEqual([]);
    expect(fast.messages.filter((m) => m.type === 'snapshot')).toHaveLength(1);
    for (let i = 1; i < fast.messages.length; i++)
      expect(fast.messages[i]?.seq).toBe((fast.messages[i - 1]?.seq ?? -2) + 1);
    fast.close();
    slow.close();
  });
});
