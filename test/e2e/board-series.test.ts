// The "last hours" chart after a reload, in Debian's Chromium against the real server
// (issue 22, defect 12): the server keeps the chart, so a board opened (or reloaded, as a
// TV does when it reboots) draws the back-filled half hour at once, in en and zh, and then
// appends its own points.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, postEvents, type TestServer } from '../helpers/server.js';
import {
  describeBrowser,
  ensureBoardBuilt,
  launchBrowser,
  newSignedInPage,
  screenshot,
} from '../helpers/browser.js';
import { ev, putConfig } from './e2e-util.js';

const SITE = 'e2e-series';
const MIN = 60_000;

/** Points on the chart's queued line (one "L" per point after the first). */
async function linePoints(page: Page): Promise<number> {
  const d = (await page.locator('[data-chart="live"] path.wait-line').getAttribute('d')) ?? '';
  return (d.match(/L/g) ?? []).length + (d.startsWith('M') ? 1 : 0);
}

describeBrowser('wallboard: the live chart is kept by the server', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    await ensureBoardBuilt();
    server = await startServer();
    browser = await launchBrowser();
    await putConfig(server.url, SITE, { timezone: 'UTC' });
    const now = Date.now();
    const r = await postEvents(server, [
      ev(SITE, 'agent.login', { agent: 'a1', name: 'Li', queues: ['q1'] }, now - 30 * MIN),
      ev(SITE, 'agent.state', { agent: 'a1', state: 'ready' }, now - 30 * MIN + 1000),
      ev(SITE, 'call.offered', { call: 'c1', queue: 'q1' }, now - 25 * MIN),
      ev(SITE, 'call.answered', { call: 'c1', queue: 'q1', agent: 'a1' }, now - 15 * MIN),
      ev(SITE, 'agent.state', { agent: 'a1', state: 'talking' }, now - 15 * MIN),
      ev(SITE, 'call.ended', { call: 'c1', queue: 'q1', agent: 'a1' }, now - 10 * MIN),
      ev(SITE, 'agent.state', { agent: 'a1', state: 'ready' }, now - 10 * MIN),
      // The feed stays live: a heartbeat now.
      ev(SITE, 'agent.heartbeat', { agent: 'a1' }, now),
    ]);
    expect(r.body.rejected).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it.each(['en', 'zh-CN'])(
    'draws the last half hour at once, and again after a reload (%s)',
    async (lang) => {
      const page = await newSignedInPage(browser, server, {
        viewport: { width: 1920, height: 1080 },
      });
      await page.addInitScript((l) => localStorage.setItem('floorwatch.locale', l), lang);
      await page.goto(`${server.url}/site/${SITE}`);
      await page.locator('[data-status="live"]').waitFor();
      // 25 min of 15-s points, long before the board could have sampled them itself (every 5 s).
      await page.waitForFunction(
        () =>
          (document.querySelector('[data-chart="live"] path.wait-line')?.getAttribute('d') ?? '')
            .length > 0,
      );
      const first = await linePoints(page);
      expect(first).toBeGreaterThanOrEqual(90);
      await screenshot(page, `board-series-${lang}`);
      await page.reload();
      await page.locator('[data-status="live"]').waitFor();
      await page.waitForFunction(
        (min) =>
          (
            (
              document.querySelector('[data-chart="live"] path.wait-line')?.getAttribute('d') ?? ''
            ).match(/L/g) ?? []
          ).length >= min,
        first - 2,
      );
      expect(await linePoints(page)).toBeGreaterThanOrEqual(first - 1);
      await page.close();
    },
  );
});
