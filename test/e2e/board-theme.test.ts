// Themes for bright rooms: the header's switch turns the desk board light or high-contrast,
// the choice is remembered on the screen, and a TV takes it from its URL (?theme=…). In each,
// the page background changes and the board's words keep a readable contrast (WCAG 4.5:1
// against the panel they are on), in English and Chinese. Each theme has its own agent-state
// and alert-level colours: every word on the board (state labels, alert cards of each level,
// threshold-coloured figures) reaches 4.5:1 in light and 7:1 in high contrast (large text 3:1
// and 4.5:1), and state bars, squares and alert edges 3:1 against their panel.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  describeBrowser,
  ensureBoardBuilt,
  launchBrowser,
  newSignedInContext,
  screenshot,
} from '../helpers/browser.js';
import { postEvents, startServer, type TestServer } from '../helpers/server.js';
import { failures, lowestByKind, measureContrast, NEEDS } from './contrast.js';
import { ev, putConfig } from './e2e-util.js';
import { seedFloor } from './floor.js';

const SITE = 'themefloor';
const LEVELS = ['info', 'yellow', 'orange', 'red'] as const;

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
    // An alert card of every level: four rules on one queue, each at its own level, all met
    // by two calls waiting.
    await putConfig(server.url, SITE, {
      overflow_rules: LEVELS.map((level) => ({
        id: `theme-${level}`,
        queue: 'billing',
        conditions: { waiting_gte: 1 },
        mode: 'any',
        hold_down_s: 1,
        clear_down_s: 600,
        level,
        action: { kind: 'overflow', to: 'service' },
      })),
    });
    await postEvents(server, [
      ev(SITE, 'call.offered', { call: 'theme-c1', queue: 'billing' }),
      ev(SITE, 'call.offered', { call: 'theme-c2', queue: 'billing' }),
    ]);
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

  for (const locale of ['en', 'zh-CN'] as const) {
    it(`state, level and threshold colours are readable in light and high contrast (${locale})`, async () => {
      const ctx = await newSignedInContext(browser, server, {
        viewport: { width: 1920, height: 1080 },
        locale,
      });
      const page = await ctx.newPage();
      const problems: string[] = [];
      const seen: string[] = [];
      for (const t of ['light', 'contrast'] as const) {
        for (const view of ['', '&agents=squares', '&tv=1']) {
          await page.goto(`${server.url}/site/${SITE}?theme=${t}${view}`);
          await page.locator('[data-queue]').first().waitFor({ timeout: 30_000 });
          for (const level of LEVELS)
            await page
              .locator(`[data-tile="alerts"] article[data-level="${level}"]`)
              .first()
              // A TV shows the cards that fit; the rest are in the page but hidden.
              .waitFor({ state: 'attached', timeout: 30_000 });
          await page.locator('[data-agent], [data-square]').first().waitFor({ timeout: 30_000 });
          const all = await measureContrast(page, NEEDS[t]);
          problems.push(...failures(all, `${t}${view} ${locale}: `));
          const low = lowestByKind(all);
          seen.push(...[...low.keys()].map((k) => `${t}${view}:${k}`));
          await screenshot(page, `theme-colours-${t}${view.replace(/[&=]/g, '-')}-${locale}`);
        }
      }
      // What the test is for was on the page: state words and marks, every level's words and
      // edges, threshold-coloured figures, in each theme and view.
      for (const t of ['light', 'contrast'])
        for (const view of ['', '&agents=squares', '&tv=1']) {
          const want = [
            'state',
            // A TV shows the first cards only (red first): the desk lists every level.
            ...(view === '&tv=1' ? ['level-red'] : LEVELS.map((l) => `level-${l}`)),
            'mark-alert-edge',
            view === '&agents=squares' ? 'mark-state-square' : 'mark-state-bar',
          ];
          for (const k of want)
            expect(seen, `${t}${view} measured ${k}`).toContain(`${t}${view}:${k}`);
          expect(
            seen.some((s) => s.startsWith(`${t}${view}:tone-`)),
            `${t}${view} measured a threshold-coloured figure`,
          ).toBe(true);
        }
      expect(problems).toEqual([]);
      await ctx.close();
    });
  }
});
