// The simulator against the real server: `npm run simulate -- --target` configures the site,
// uploads the roster and back-fills a day over WS /ws/ingest with bounded in-flight batches.
// Every event must be accepted, in many bounded batches, the site configuration the
// simulator PUT must be in force, and a rerun with the same seed is all duplicates.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';
import { SiteClock } from '../../simulator/generator/site-clock.js';

const run = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), 'fw-sim-srv-'));
let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('simulate --target', () => {
  it('back-fills a day the server accepts in full, in batches', async () => {
    const clock = new SiteClock('Asia/Shanghai');
    const day = clock.addDays(clock.date(Date.now()), -3);
    const common = ['--site', 'simcheck', '--seed', 'srv', '--agents', '40', '--from', day, '--hours', '24', '--batch', '200'];
    const file = path.join(dir, 'day.ndjson');
    await run(process.execPath, ['--import', 'tsx', 'simulator/cli.ts', ...common, '--out', file]);
    const events = readFileSync(file, 'utf8').trim().split('\n');
    const { stderr } = await run(process.execPath, ['--import', 'tsx', 'simulator/cli.ts', ...common, '--target', server.wsUrl]);
    const sent = /sent (\d+) events in (\d+) messages: (\d+) accepted, (\d+) duplicates, (\d+) rejected/.exec(stderr);
    expect(sent, stderr).not.toBeNull();
    expect(Number(sent![1])).toBe(events.length);
    expect(Number(sent![2])).toBeGreaterThan(10); // batched, not one message
    expect(Number(sent![3])).toBe(events.length);
    expect(Number(sent![5])).toBe(0);

    // The site configuration the simulator PUT is in force.
    const site = (await (await fetch(`${server.url}/api/sites/simcheck`)).json()) as { timezone?: string; config?: { timezone?: string } };
    expect(site.timezone ?? site.config?.timezone).toBe('Asia/Shanghai');

    // Same seed again: the same event ids, so the server counts every one as a duplicate.
    const again = await run(process.execPath, ['--import', 'tsx', 'simulator/cli.ts', ...common, '--target', server.wsUrl, '--no-upload']);
    const resent = /sent (\d+) events in (\d+) messages: (\d+) accepted, (\d+) duplicates, (\d+) rejected/.exec(again.stderr);
    expect(resent, again.stderr).not.toBeNull();
    expect(Number(resent![3])).toBe(0);
    expect(Number(resent![4])).toBe(events.length);
  });
});
