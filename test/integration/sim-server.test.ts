// The simulator against the real server: `npm run simulate -- --target` configures the site,
// uploads the roster and back-fills a day over WS /ws/ingest with bounded in-flight batches.
// Every event must be accepted, in many bounded batches; the site configuration the
// simulator PUT must be in force; the server's interval report (SQL over the stored events)
// must count exactly the calls in the simulator's NDJSON file for the same seed; and a rerun
// with the same seed is all duplicates.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startServer, TEST_ADMIN_TOKEN, waitFor, type TestServer } from '../helpers/server.js';
import { makeToken } from '../helpers/auth.js';
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

interface IntervalRow {
  queue: string;
  offered: number;
  answered: number;
  abandoned: number;
}

describe('simulate --target', () => {
  it('back-fills a day the server accepts in full and reports the same calls as the file', async () => {
    const clock = new SiteClock('Asia/Shanghai');
    const day = clock.addDays(clock.date(Date.now()), -3);
    const common = [
      '--site',
      'simcheck',
      '--seed',
      'srv',
      '--agents',
      '40',
      '--from',
      day,
      '--hours',
      '24',
      '--batch',
      '200',
    ];
    const file = path.join(dir, 'day.ndjson');
    await run(process.execPath, ['--import', 'tsx', 'simulator/cli.ts', ...common, '--out', file]);
    const events = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; queue?: string });
    const asAdmin = { env: { ...process.env, FLOORWATCH_TOKEN: TEST_ADMIN_TOKEN } };
    const { stderr } = await run(
      process.execPath,
      ['--import', 'tsx', 'simulator/cli.ts', ...common, '--target', server.wsUrl],
      asAdmin,
    );
    const sent =
      /sent (\d+) events in (\d+) messages: (\d+) accepted, (\d+) duplicates, (\d+) rejected/.exec(
        stderr,
      );
    expect(sent, stderr).not.toBeNull();
    expect(Number(sent![1])).toBe(events.length);
    expect(Number(sent![2])).toBeGreaterThan(10); // batched, not one message
    expect(Number(sent![3])).toBe(events.length);
    expect(Number(sent![5])).toBe(0);

    // The site configuration the simulator PUT is in force.
    const site = (await (await api(server, `/api/sites/simcheck`)).json()) as {
      timezone?: string;
      config?: { timezone?: string };
    };
    expect(site.timezone ?? site.config?.timezone).toBe('Asia/Shanghai');

    // Offered per queue, counted by the interval in which the queue phase ended: over the
    // whole day that is every call answered or abandoned (calls still waiting at the end are not counted).
    const expected = new Map<string, { answered: number; abandoned: number }>();
    for (const e of events) {
      if (e.type !== 'call.answered' && e.type !== 'call.abandoned') continue;
      const x = expected.get(e.queue!) ?? { answered: 0, abandoned: 0 };
      if (e.type === 'call.answered') x.answered++;
      else x.abandoned++;
      expected.set(e.queue!, x);
    }
    const rows = await waitFor(async () => {
      const res = await api(
        server,
        `/api/reports/intervals?site=simcheck&from=${day}&to=${clock.addDays(day, 2)}&interval=60`,
      );
      if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
      const body = (await res.json()) as { rows?: IntervalRow[] } | IntervalRow[];
      const r = Array.isArray(body) ? body : (body.rows ?? []);
      return r.length ? r : null;
    }, 30_000);
    const got = new Map<string, { answered: number; abandoned: number }>();
    for (const r of rows) {
      const x = got.get(r.queue) ?? { answered: 0, abandoned: 0 };
      x.answered += r.answered;
      x.abandoned += r.abandoned;
      got.set(r.queue, x);
    }
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(expected));

    // Same seed again: the same event ids, so the server counts every one as a duplicate.
    // The rerun feeds with the site's own ingest token (no uploads: an ingest token cannot configure).
    const ingest = await makeToken(server, 'ingest', 'simcheck');
    const again = await run(
      process.execPath,
      ['--import', 'tsx', 'simulator/cli.ts', ...common, '--target', server.wsUrl, '--no-upload'],
      { env: { ...process.env, FLOORWATCH_TOKEN: ingest.token } },
    );
    const resent =
      /sent (\d+) events in (\d+) messages: (\d+) accepted, (\d+) duplicates, (\d+) rejected/.exec(
        again.stderr,
      );
    expect(resent, again.stderr).not.toBeNull();
    expect(Number(resent![3])).toBe(0);
    expect(Number(resent![4])).toBe(events.length);
  });
});
