// The Asterisk adapter end to end: every queue_log sample in ../shared/data/queue_log is
// imported by the real command into a real server, and the interval report's answered,
// abandoned and offered per queue and day equal the counts computed from the raw lines
// (queue-log-truth.ts), with ASA within 1 s of the mean CONNECT − ENTERQUEUE. A second import
// accepts nothing new, and the SQL dump and the flat file of one table are the same events.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdapter } from '../helpers/adapter-cli.js';
import { api, ROOT, startServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.js';
import { dateRange, expectedFigures } from './queue-log-truth.js';

const DATA = path.resolve(ROOT, '../shared/data/queue_log');
const FILES = readdirSync(DATA)
  .filter((f) => !f.endsWith('.md'))
  .sort();
/** The realtime dumps' time strings: T_Report's look like India time (SOURCES.md); the others' zone is unknown, read as UTC. */
const ZONE: Record<string, string> = {
  't_report_2013.log': 'Asia/Kolkata',
  't_report_2013.verbatim.sql': 'Asia/Kolkata',
};
const zoneOf = (f: string) => ZONE[f] ?? 'UTC';
const siteOf = (f: string) => `ql-${f.replace(/[^A-Za-z0-9]+/g, '-')}`.slice(0, 64);

interface Summary {
  events_sent: number;
  accepted: number;
  duplicates: number;
  rejected: { line: number; error: string }[];
  skipped: Record<string, number>;
}

let server: TestServer;
let aliases: string;

async function importFile(file: string, site = siteOf(file)): Promise<Summary> {
  const args = [
    'asterisk',
    '--queue-log',
    path.join(DATA, file),
    '--site',
    site,
    '--timezone',
    zoneOf(file),
    '--target',
    server.url,
    '--json',
    '--agent-aliases',
    aliases,
  ];
  const r = await runAdapter(args, { FLOORWATCH_TOKEN: TEST_ADMIN_TOKEN });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Summary;
}

beforeAll(async () => {
  // The samples are years old: this server accepts events up to ~16 years back (the default stays 400 days).
  server = await startServer({ env: { FLOORWATCH_MAX_PAST_DAYS: '6000' } });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fw-aliases-'));
  aliases = path.join(dir, 'aliases.csv');
  // synk_bug's PBX logs the member as SIP/1000 in ADDMEMBER and as "Agent 1" in UNPAUSE.
  writeFileSync(aliases, 'alias,agent\nAgent 1,1000\n');
});
afterAll(async () => {
  await server?.dispose();
});

describe('asterisk queue_log import', () => {
  it.each(FILES)(
    '%s: the interval report equals the counts from the raw lines; a second import adds nothing',
    async (file) => {
      const site = siteOf(file);
      const zone = zoneOf(file);
      expect(
        (
          await api(server, `/api/sites/${site}`, {
            method: 'PUT',
            body: JSON.stringify({ timezone: zone }),
            headers: { 'Content-Type': 'application/json' },
          })
        ).status,
      ).toBe(200);

      const first = await importFile(file);
      expect(first.rejected).toEqual([]);
      expect(first.accepted + first.duplicates).toBe(first.events_sent);
      expect(first.events_sent).toBeGreaterThan(0);

      const { from, to } = dateRange(path.join(DATA, file), zone);
      const res = await api(
        server,
        `/api/reports/intervals?${new URLSearchParams({ site, from, to, interval: '60' })}`,
      );
      expect(res.status).toBe(200);
      const rows = (
        (await res.json()) as {
          rows: {
            interval_start: string;
            queue: string;
            offered: number;
            answered: number;
            abandoned: number;
            asa_s: number | null;
          }[];
        }
      ).rows;
      const got = new Map<
        string,
        { offered: number; answered: number; abandoned: number; waitSum: number }
      >();
      for (const r of rows) {
        if (!r.offered) continue;
        const k = `${r.queue}|${DateTime.fromISO(r.interval_start, { zone }).toISODate()}`;
        const g = got.get(k) ?? { offered: 0, answered: 0, abandoned: 0, waitSum: 0 };
        got.set(k, g);
        g.offered += r.offered;
        g.answered += r.answered;
        g.abandoned += r.abandoned;
        g.waitSum += (r.asa_s ?? 0) * r.answered;
      }
      const want = expectedFigures(path.join(DATA, file), zone);
      expect(want.size).toBeGreaterThan(0);
      expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
      for (const [k, w] of want) {
        const g = got.get(k);
        expect({ k, offered: g?.offered, answered: g?.answered, abandoned: g?.abandoned }).toEqual({
          k,
          offered: w.offered,
          answered: w.answered,
          abandoned: w.abandoned,
        });
        if (w.asa_s !== null)
          expect(Math.abs((g?.waitSum ?? 0) / (g?.answered || 1) - w.asa_s)).toBeLessThanOrEqual(1);
      }

      const again = await importFile(file);
      expect(again.accepted).toBe(0);
      expect(again.duplicates).toBe(again.events_sent);
    },
  );

  it('the SQL dump and the flat file of one realtime table give the same events', async () => {
    const fromLog = await importFile('t_report_2013.log', siteOf('t_report_2013.verbatim.sql'));
    expect(fromLog.events_sent).toBeGreaterThan(0);
    expect(fromLog.accepted).toBe(0);
  });

  it('the summary counts each skipped line by its reason', async () => {
    const s = await importFile('synk_bug_freepbx.log', 'ql-skips');
    expect(s.skipped).toEqual({
      'CONFIGRELOAD: a system event, not a call or agent event': 142,
      'QUEUESTART: a system event, not a call or agent event': 28,
      'DID: not a queue_log event Floorwatch maps (custom or unknown)': 2,
    });
  });
});
