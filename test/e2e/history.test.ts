// History pages end to end: a roster and sign-ins stored through the real API, then the
// manager's page renders the conformance and adherence heat maps and the attendance chart,
// exports each table as CSV with every row the report returned, and waits out a report that
// is still building its days (503) in English and Chinese.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DateTime } from 'luxon';
import { api, startServer, postEvents, type TestServer } from '../helpers/server.js';
import {
  describeBrowser,
  ensureBoardBuilt,
  launchBrowser,
  screenshot,
  newSignedInContext,
} from '../helpers/browser.js';
import { zoneAtHour } from '../helpers/zone.js';
import { ev, putConfig } from './e2e-util.js';

const SITE = 'e2e-history';
// A fixed-offset zone where it is noon now, so the shifts (from two hours ago) and the last
// hour's calls fall on today whatever hour the test runs at.
const ZONE = zoneAtHour(Date.now(), 12).zone;
const AGENTS = ['h01', 'h02', 'h03', 'h04', 'h05'];

describeBrowser('wallboard: history pages in Chromium', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    await ensureBoardBuilt();
    server = await startServer();
    browser = await launchBrowser();
    await putConfig(server.url, SITE, { timezone: ZONE });
    const now = Date.now();
    // Shifts started two hours ago; h05 never signs in (absent), h04 signs in 40 min late.
    const roster = AGENTS.map((agent, i) => ({
      agent,
      team: i < 3 ? 'A组' : 'B组',
      start: new Date(now - 2 * 3600_000).toISOString(),
      end: new Date(now + 2 * 3600_000).toISOString(),
      activity: 'work',
    }));
    const res = await api(server, `/api/sites/${SITE}/roster`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(roster),
    });
    expect(res.status, await res.text()).toBeLessThan(300);
    const events = AGENTS.slice(0, 4).flatMap((agent, i) => {
      const t = now - 2 * 3600_000 - 60_000 + (i === 3 ? 40 * 60_000 : 0);
      return [
        ev(
          SITE,
          'agent.login',
          { agent, name: agent.toUpperCase(), team: i < 3 ? 'A组' : 'B组' },
          t,
        ),
        ev(SITE, 'agent.state', { agent, state: 'ready' }, t + 1000),
      ];
    });
    // Calls in the last hour: two answered within 20 s, one after 45 s, one abandoned after 30 s.
    const calls = [
      [5_000, 'answered'],
      [12_000, 'answered'],
      [45_000, 'answered'],
      [30_000, 'abandoned'],
    ] as const;
    calls.forEach(([wait, end], i) => {
      const t = now - 50 * 60_000 + i * 60_000;
      events.push(ev(SITE, 'call.offered', { call: `hc${i}`, queue: 'q1' }, t));
      events.push(
        end === 'answered'
          ? ev(SITE, 'call.answered', { call: `hc${i}`, queue: 'q1', agent: 'h01' }, t + wait)
          : ev(SITE, 'call.abandoned', { call: `hc${i}`, queue: 'q1' }, t + wait),
      );
    });
    expect((await postEvents(server, events)).body.rejected).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('renders the heat maps and attendance, and exports CSV with every row', async () => {
    const context = await newSignedInContext(browser, server, {
      viewport: { width: 1920, height: 1080 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    await page.goto(`${server.url}/site/${SITE}/history`);

    const cells = page.locator('[data-section="conformance"] [data-cell]');
    await cells.first().waitFor({ timeout: 30_000 });
    const today = DateTime.now().setZone(ZONE).toISODate() as string;
    // Every agent with a schedule today has a cell for today; the late one is below 92%.
    for (const a of AGENTS.slice(0, 4))
      await page.locator(`[data-section="conformance"] [data-cell="${a}|${today}"]`).waitFor();
    await page.locator('[data-section="adherence"] [data-cell]').first().waitFor();
    await page.locator('[data-section="attendance"] rect.bar').first().waitFor();
    await page.locator('[data-section="service-level"] [data-point]').first().waitFor();
    await page.waitForTimeout(300);
    await screenshot(page, 'history-1920x1080');

    // Compare the export with the report the page asked for (same site, same range).
    const from = DateTime.now().setZone(ZONE).minus({ days: 6 }).toISODate() as string;
    const to = DateTime.now().setZone(ZONE).plus({ days: 1 }).toISODate() as string;
    const report = (await (
      await api(server, `/api/reports/conformance?site=${SITE}&from=${from}&to=${to}&by=agent`)
    ).json()) as { rows?: unknown[] } | unknown[];
    const rows = Array.isArray(report) ? report : (report.rows ?? []);
    expect(rows.length).toBeGreaterThanOrEqual(4);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-export="conformance"]').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^e2e-history_.*_conformance\.csv$/);
    const csv = readFileSync((await download.path()) as string, 'utf8');
    const lines = csv
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'Date,Key,Scheduled (s),Logged in (s),Excused (s),Login conformance,Late sign-ins,Early sign-outs',
    );
    expect(lines.length - 1).toBe(rows.length);
    expect(lines.some((l) => l.startsWith(`${today},h04,`))).toBe(true);

    const [att] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-export="attendance"]').click(),
    ]);
    const attCsv = readFileSync((await att.path()) as string, 'utf8');
    expect(attCsv).toContain('Scheduled,Attended,Attendance');

    // Intervals CSV: 4 calls in q1, pooled over however many intervals they fell in.
    const [iv] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-export="intervals"]').click(),
    ]);
    const ivLines = readFileSync((await iv.path()) as string, 'utf8')
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(ivLines[0]).toMatch(/^Interval start,Queue,Offered,Answered,/);
    const offered = ivLines.slice(1).reduce((sum, l) => sum + Number(l.split(',')[2]), 0);
    expect(offered).toBe(4);
    await context.close();
  });

  // After a back-fill a report over many cold days answers 503 with Retry-After while the
  // server stores their figures (FLOORWATCH_REPORT_WAIT_S). The page says so in the reader's
  // language and asks again, instead of showing an error. The first conformance request is
  // answered 503 here; every other request reaches the real server.
  for (const [locale, building] of [
    ['en-US', /Storing the figures of these days for the first time/],
    ['zh-CN', /正在首次生成这些日期的统计数据/],
  ] as const)
    it(`says it is building and asks again on 503 (${locale})`, async () => {
      const context = await newSignedInContext(browser, server, {
        viewport: { width: 1920, height: 1080 },
        locale,
      });
      const page = await context.newPage();
      let refused = 0;
      let asked = 0;
      await page.route('**/api/reports/conformance?**', async (route) => {
        asked++;
        if (refused === 0) {
          refused++;
          // Held a moment, so the page's message can be read before the answer comes.
          await new Promise((r) => setTimeout(r, 300));
          await route.fulfill({
            status: 503,
            headers: { 'Retry-After': '2', 'content-type': 'application/json' },
            body: JSON.stringify({ error: 'building the stored report figures' }),
          });
        } else await route.continue();
      });
      await page.goto(`${server.url}/site/${SITE}/history`);
      await page.locator('[data-history-building]').waitFor({ timeout: 30_000 });
      expect(await page.locator('[data-history-building]').innerText()).toMatch(building);
      await page.locator('main.history[data-history-ready="true"]').waitFor({ timeout: 30_000 });
      const today = DateTime.now().setZone(ZONE).toISODate() as string;
      await page.locator(`[data-section="conformance"] [data-cell="h01|${today}"]`).waitFor();
      expect(await page.locator('[data-history-building]').count()).toBe(0);
      expect(await page.locator('[data-section="conformance"] .tone-alarm').count()).toBe(0);
      expect(refused).toBe(1);
      expect(asked).toBe(2);
      await context.close();
    });
});
