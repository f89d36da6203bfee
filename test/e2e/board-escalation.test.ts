// Escalation on the board: an unacknowledged alert moves up a level at a time after the
// minutes the site configures per level (alerts.escalate; the server's alert engine decides,
// on its clock), and its card shows the new level and "escalated: unacknowledged for N min",
// in English and Chinese. The level steps are 6 s here so the test does not wait long.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { postEvents, startServer, type TestServer } from '../helpers/server.js';
import {
  describeBrowser,
  ensureBoardBuilt,
  launchBrowser,
  newSignedInContext,
  screenshot,
} from '../helpers/browser.js';
import { ev, putConfig } from './e2e-util.js';

describeBrowser('wallboard: escalation of unacknowledged alerts', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    await ensureBoardBuilt();
    server = await startServer();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  for (const [locale, word] of [
    ['en', 'Escalated'],
    ['zh-CN', '已升级'],
  ] as const) {
    it(`yellow, then orange, then red while nobody acknowledges (${locale})`, async () => {
      const site = `esc-${locale === 'en' ? 'en' : 'zh'}`;
      await putConfig(server.url, site, {
        timezone: 'UTC',
        alerts: { escalate: { yellow: { after_min: 0.1 }, orange: { after_min: 0.1 } } },
        overflow_rules: [
          {
            id: 'busy-q1',
            queue: 'q1',
            conditions: { waiting_gte: 1 },
            mode: 'any',
            hold_down_s: 1,
            clear_down_s: 600,
            level: 'yellow',
            action: { kind: 'overflow', to: 'q2' },
          },
        ],
      });
      const ctx = await newSignedInContext(browser, server, {
        viewport: { width: 1920, height: 1080 },
        locale,
      });
      const page = await ctx.newPage();
      await postEvents(server, [ev(site, 'call.offered', { call: `${site}-c1`, queue: 'q1' })]);
      await page.goto(`${server.url}/site/${site}`);
      const card = page.locator('[data-tile="alerts"] article[data-kind="overflow"]');
      await card.waitFor({ timeout: 30_000 });
      const levels = new Set<string>();
      // Every level the card shows on its way up, read as the board changes it.
      await page.exposeFunction('seen', (l: string) => levels.add(l));
      await page.evaluate(() => {
        const el = document.querySelector('[data-tile="alerts"] article[data-kind="overflow"]');
        const w = window as unknown as { seen: (l: string) => void };
        w.seen(el?.getAttribute('data-level') ?? '');
        new MutationObserver(() => {
          const now = document.querySelector('[data-tile="alerts"] article[data-kind="overflow"]');
          if (now) w.seen(now.getAttribute('data-level') ?? '');
        }).observe(document.querySelector('[data-tile="alerts"]') as Node, {
          subtree: true,
          attributes: true,
          childList: true,
        });
      });
      await page.waitForFunction(
        () =>
          document
            .querySelector('[data-tile="alerts"] article[data-kind="overflow"]')
            ?.getAttribute('data-level') === 'red',
        undefined,
        { timeout: 60_000 },
      );
      const text = await card.locator('[data-escalated]').textContent();
      expect(text).toContain(word);
      expect(text).toMatch(/\d/);
      expect([...levels].filter((l) => l !== '')).toEqual(
        expect.arrayContaining(['orange', 'red']),
      );
      await screenshot(page, `escalated-${locale}`);
      await ctx.close();
    });
  }
});
