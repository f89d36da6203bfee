// `npm run adapter -- asterisk --follow`: the real command tails a queue_log that grows, is
// rotated (renamed and created again) while followed and while stopped, and the follower is
// killed with SIGKILL in the middle and started again. Every line ends up stored exactly once.
import { appendFileSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnAdapter } from '../helpers/adapter-cli.js';
import { api, startServer, TEST_ADMIN_TOKEN, waitFor, type TestServer } from '../helpers/server.js';

const SITE = 'follow-1';
let server: TestServer;
let dir: string;
let log: string;
const T = Math.floor(Date.now() / 1000) - 3600;
let n = 0;
const written: string[] = [];

/** The next n lines: each an ENTERQUEUE of its own caller, so each line is one event. */
function lines(count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) {
    n++;
    written.push(`c${n}`);
    out += `${T + n}|c${n}|sales|NONE|ENTERQUEUE||555${n}|1\n`;
  }
  return out;
}

async function storedCalls(): Promise<string[]> {
  const r = (await (await api(server, `/api/events?site=${SITE}&limit=100000`)).json()) as {
    events: { event: { call?: string } }[];
  };
  return r.events.map((e) => e.event.call ?? '');
}

function startFollower(): ChildProcess {
  return spawnAdapter(
    [
      'asterisk',
      '--follow',
      '--queue-log',
      log,
      '--state',
      path.join(dir, 'state.json'),
      '--site',
      SITE,
      '--target',
      server.url,
      '--poll-ms',
      '20',
      '--batch-size',
      '25',
    ],
    { FLOORWATCH_TOKEN: TEST_ADMIN_TOKEN },
  );
}

const exited = (p: ChildProcess) =>
  new Promise<void>((r) =>
    p.exitCode !== null || p.signalCode !== null ? r() : p.once('exit', () => r()),
  );

beforeAll(async () => {
  server = await startServer();
  dir = mkdtempSync(path.join(os.tmpdir(), 'fw-follow-'));
  log = path.join(dir, 'queue_log');
});
afterAll(async () => {
  await server?.dispose();
});

describe('asterisk --follow', () => {
  it('stores every line exactly once through growth, rotation and a SIGKILL restart', async () => {
    writeFileSync(log, lines(40));
    let p = startFollower();
    await waitFor(async () => (await storedCalls()).length === 40, 60_000);

    // Growth, with a line written in two pieces (the follower must wait for its line feed).
    appendFileSync(log, lines(30));
    const half = `${T + 1000}|c-split|sales|NONE|ENTERQUEUE||5550|1\n`;
    written.push('c-split');
    appendFileSync(log, half.slice(0, 20));
    await waitFor(async () => (await storedCalls()).length === 70, 60_000);
    appendFileSync(log, half.slice(20));
    await waitFor(async () => (await storedCalls()).length === 71, 60_000);

    // Rotation while followed: lines written just before the rename are read from the renamed file.
    appendFileSync(log, lines(15));
    renameSync(log, `${log}.1`);
    writeFileSync(log, lines(25));
    await waitFor(async () => (await storedCalls()).length === 111, 60_000);

    // SIGKILL in the middle of a stream of appends.
    for (let i = 0; i < 10; i++) {
      appendFileSync(log, lines(20));
      if (i === 4) {
        await waitFor(async () => (await storedCalls()).length > 111, 60_000);
        p.kill('SIGKILL');
        await exited(p);
      }
    }
    // Rotated again while the follower is down: it finishes the renamed file from its saved place.
    renameSync(log, `${log}.2`);
    writeFileSync(log, lines(30));
    const state = JSON.parse(readFileSync(path.join(dir, 'state.json'), 'utf8')) as {
      place: { inode: number; offset: number };
    };
    expect(state.place.offset).toBeGreaterThan(0);

    p = startFollower();
    await waitFor(async () => (await storedCalls()).length >= written.length, 60_000);
    appendFileSync(log, lines(10));
    await waitFor(async () => (await storedCalls()).length >= written.length, 60_000);
    p.kill('SIGTERM');
    await exited(p);

    const calls = await storedCalls();
    expect(calls.length).toBe(written.length);
    expect([...calls].sort()).toEqual([...written].sort());
  });
});
