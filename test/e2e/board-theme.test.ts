// Themes for bright rooms: the header's switch turns the desk board light or high-contrast,
// the choice is remembered on the screen, and a TV takes it from its URL (?theme=…). In each,
// the page background changes and the board's words keep a readable contrast (WCAG 4.5:1
// against the panel they are on), in English and Chinese.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  describeBrowser,
  ensureBoardBuilt,
  launchBrowser,
  newSignedInContext,
  screenshot,
} from '../helpers/browser.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { seedFloor } from './floor.js';

const SITE = 'themefloor';

/** The theme, the page's background luminance and the lowest text contrast on the queue tiles. */
async function reading(
  page: Page,
): Promise<{ theme: string; bg: number; worst: number; where: string }> {
  return page.evaluate(() => {
    const rgb = (c: string): number[] => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const lum = (c: string): number => {
      const [r, g, b] = rgb(c).map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
    };
    const bgOf = (el: Element | null): string => {
      for (let e = el; e; e = e.parentElement) {
        const c = getComputedStyle(e).backgroundColor;
        if (c && c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c;
      }
      return getComputedStyle(document.documentElement).backgroundColor;
    };
    let worst = Infinity;
    let where = '';
    for (const el of document.querySelectorAll(
      '[data-queue] .figure-label, [data-queue] .figure-value, [data-queue] h3, [data-tile="alerts"] h2, header a',
    )) {
      const a = lum(getComputedStyle(el).color);
      const b = lum(bgOf(el));
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      if (ratio < worst) {
        worst = ratio;
        where = `${el.tagName.toLowerCase()}.${el.className} "${el.textContent?.trim().slice(0, 20)}"`;
      }
    }
    return {
      theme: document.documentElement.dataset['theme'] ?? '',
      bg: lum(getComputedStyle(document.documentElement).backgroundColor),
      worst,
      where,
    };
  });
}

describeBrowser('wallboard: light and high-contrast themes', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    await ensureBoardBuilt();
    server = await startServer();
    await seedFloor(server, SITE, 40, 20);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  for (const locale of ['en', 'zh-CN'] as const) {
    it(`switches, remembers, and a TV takes ?theme= (${locale})`, async () => {
      const ctx = await newSignedInContext(browser, server, {
        viewport: { width: 1920, height: 1080 },
        locale,
      });
      const page = await ctx.newPage();
      await page.goto(`${server.url}/site/${SITE}`);
      await page.locator('[data-queue]').first().waitFor({ timeout: 30_000 });
      const dark = await reading(page);
      expect(dark.theme).toBe('dark');

      await page.locator('[data-control="theme"]').selectOption('light');
      const light = await reading(page);
      expect(light.theme).toBe('light');
      expect(light.bg, 'a light page').toBeGreaterThan(0.7);
      expect(light.worst, `readable: ${light.where}`).toBeGreaterThanOrEqual(4.5);
      expect(
        await page.evaluate(
          () => document.documentElement.scrollWidth <= document.documentElement.clientWidth,
        ),
      ).toBe(true);
      await screenshot(page, `theme-light-${locale}`);

      // Remembered on this screen.
      await page.reload();
      await page.locator('[data-queue]').first().waitFor({ timeout: 30_000 });
      expect((await reading(page)).theme).toBe('light');

      await page.locator('[data-control="theme"]').selectOption('contrast');
      const hc = await reading(page);
      expect(hc.theme).toBe('contrast');
      expect(hc.bg).toBeLessThan(0.01);
      expect(hc.worst, `readable: ${hc.where}`).toBeGreaterThanOrEqual(7);

      // A TV from its URL, whatever this screen chose.
      await page.goto(`${server.url}/site/${SITE}?tv=1&theme=light`);
      await page.locator('[data-queue]').first().waitFor({ timeout: 30_000 });
      const tv = await reading(page);
      expect(tv.theme).toBe('light');
      expect(tv.worst, `readable: ${tv.where}`).toBeGreaterThanOrEqual(4.5);
      await screenshot(page, `theme-tv-light-${locale}`);
      await ctx.close();
    });
  }
});
