// The live board's "today per interval" bars label their intervals without two labels
// overlapping: at a 1024 px desk and on a 4K TV (whose type grows with the screen), in
// English and Chinese. Calls every 15 minutes of the site's day so far go through the real
// API; the site's zone is picked so that its day is 20 hours old whenever the test runs.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DateTime } from 'luxon';
import { postEvents, startServer, type TestServer } from '../helpers/server.js';
import {
  describeBrowser,
  ensureBoardBuilt,
  launchBrowser,
  newSignedInContext,
  screenshot,
} from '../helpers/browser.js';
import { ev, putConfig } from './e2e-util.js';

const SITE = 'e2e-interval-axis';

/** A fixed-offset zone in which it is now 20:xx (Etc/GMT signs are inverted). */
function zoneAt20(now: number): string {
  const off = ((20 - new Date(now).getUTCHours() + 36) % 24) - 12;
  return off === 0 ? 'UTC' : off > 0 ? `Etc/GMT-${off}` : `Etc/GMT+${-off}`;
}

describeBrowser('wallboard: interval bars axis in Chromium', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    await ensureBoardBuilt();
    server = await startServer();
    browser = await launchBrowser();
    const now = Date.now();
    const zone = zoneAt20(now);
    await putConfig(server.url, SITE, { timezone: zone, interval_minutes: 15 });
    const day = DateTime.fromMillis(now, { zone }).startOf('day');
    const events = [
      ev(SITE, 'agent.login', { agent: 'b1', name: 'B1' }, day.toMillis()),
      ev(SITE, 'agent.state', { agent: 'b1', state: 'ready' }, day.toMillis() + 1000),
    ];
    for (let t = day.plus({ minutes: 5 }).toMillis(), c = 0; t < now - 120_000; t += 900_000) {
      events.push(ev(SITE, 'call.offered', { call: `ax${++c}`, queue: 'q1' }, t));
      events.push(
        ev(SITE, 'call.answered', { call: `ax${c}`, queue: 'q1', agent: 'b1' }, t + 5000),
      );
    }
    expect((await postEvents(server, events)).body.rejected).toEqual([]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  /** The x labels' boxes, left to right; fails on two that touch or one outside the chart. */
  async function expectApart(page: Page, what: string): Promise<void> {
    const svg = page.locator('[data-chart="intervals"] svg');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-chart="intervals"] [data-interval]').length >= 60,
      undefined,
      { timeout: 30_000 },
    );
    const { ticks, box } = await svg.evaluate((el) => ({
      ticks: [...el.querySelectorAll('text.tick.x')].map((t) => {
        const r = t.getBoundingClientRect();
        return { text: t.textContent ?? '', left: r.left, right: r.right };
      }),
      box: el.getBoundingClientRect(),
    }));
    const sorted = ticks.sort((a, b) => a.left - b.left);
    expect(sorted.length, what).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < sorted.length; i++)
      expect(
        sorted[i]!.left,
        `${what}: "${sorted[i - 1]!.text}" overlaps "${sorted[i]!.text}"`,
      ).toBeGreaterThanOrEqual(sorted[i - 1]!.right);
    for (const t of sorted) {
      expect(t.left, `${what}: "${t.text}" clipped`).toBeGreaterThanOrEqual(box.left - 0.5);
      expect(t.right, `${what}: "${t.text}" clipped`).toBeLessThanOrEqual(box.right + 0.5);
    }
  }

  for (const locale of ['en-US', 'zh-CN'])
    it(`no two interval labels overlap at a desk and on a 4K TV (${locale})`, async () => {
      for (const [w, h, query] of [
        [1024, 768, ''],
        [3840, 2160, '?tv=1&rotate=30'],
      ] as const) {
        const context = await newSignedInContext(browser, server, {
          viewport: { width: w, height: h },
          locale,
        });
        const page = await context.newPage();
        await page.goto(`${server.url}/site/${SITE}${query}`);
        await expectApart(page, `${w} px ${query || 'desk'}`);
        await screenshot(page, `board-interval-axis-${locale}-${w}`);
        await context.close();
      }
    }, 120_000);
});
