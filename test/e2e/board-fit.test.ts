// Layouts that fit: the board of a believable floor at 1280×720, 1920×1080 and 3840×2160,
// in Chinese and English, on the TV and on the desk. Nothing may be cut (text wider than
// its box, or clipped by an ancestor that hides overflow), the page may not scroll
// sideways, a zh page shows no untranslated word, and no console error or failed request
// may occur. On a TV nothing may fall below the screen, every team is shown, and the
// rotating overview's live chart has height. The same checks hold for the light and
// high-contrast themes at 1080p, and on each page of the rotating TV at 720p and 1080p.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { LiveSnapshot } from '../../ingest/src/core/snapshot.js';
import {
  describeBrowser,
  ensureBoardBuilt,
  launchBrowser,
  newSignedInContext,
  screenshot,
} from '../helpers/browser.js';
import { api, startServer, type TestServer } from '../helpers/server.js';
import { seedFloor } from './floor.js';
import { fitProblems, settled, watchPage } from './fit.js';
import { properNames } from './zh-words.js';
import { ROTATION } from '../../wallboard/src/lib/layout.js';

const SITE = 'fitfloor';
const SIZES = [
  [1280, 720],
  [1920, 1080],
  [3840, 2160],
] as const;

describeBrowser('wallboard: layouts that fit', () => {
  let server: TestServer;
  let browser: Browser;
  let teams: number;
  let proper: Set<string>;

  beforeAll(async () => {
    await ensureBoardBuilt();
    server = await startServer();
    await seedFloor(server, SITE, 300, 20);
    browser = await launchBrowser();
    const snap = (await (await api(server, `/api/live?site=${SITE}`)).json()) as LiveSnapshot;
    teams = snap.teams.length;
    proper = properNames(SITE, snap);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  for (const locale of ['zh-CN', 'en'] as const) {
    for (const mode of ['tv', 'desk'] as const) {
      it(`${mode} in ${locale}: nothing cut at 720p, 1080p and 4K, no sideways scroll, no error`, async () => {
        const problems: string[] = [];
        for (const [w, h] of SIZES) {
          const ctx = await newSignedInContext(browser, server, {
            viewport: { width: w, height: h },
            locale,
          });
          const page = await ctx.newPage();
          const where = `${mode} ${locale} ${w}x${h}`;
          watchPage(page, where, problems);
          await page.goto(`${server.url}/site/${SITE}${mode === 'tv' ? '?tv=1' : ''}`);
          await settled(page);
          const found = await fitProblems(page, where, {
            tv: mode === 'tv',
            zh: locale === 'zh-CN',
            server,
            site: SITE,
            proper,
            teams,
          });
          problems.push(...found.problems);
          proper = found.proper;
          await screenshot(page, `fit-${mode}-${locale}-${w}x${h}`);
          await ctx.close();
        }
        expect(problems).toEqual([]);
      });
    }
  }

  it('TV rotation: the overview page’s live chart has height at every size', async () => {
    const heights: string[] = [];
    for (const [w, h] of SIZES) {
      const ctx = await newSignedInContext(browser, server, { viewport: { width: w, height: h } });
      const page = await ctx.newPage();
      await page.goto(`${server.url}/site/${SITE}?tv=1&rotate=30`);
      await page.locator('[data-chart="live"]').waitFor({ timeout: 30_000 });
      const ch = await page
        .locator('[data-chart="live"]')
        .evaluate((el) => el.getBoundingClientRect().height);
      if (!(ch >= h * 0.12)) heights.push(`${w}x${h}: live chart ${ch} px high`);
      await ctx.close();
    }
    expect(heights).toEqual([]);
  });

  /** Opens `path` at a size and language, runs `check` on the page, and gathers every problem. */
  async function onPage(
    path: string,
    [w, h]: readonly [number, number],
    locale: 'zh-CN' | 'en',
    check: (page: import('playwright-core').Page, problems: string[]) => Promise<void>,
  ): Promise<string[]> {
    const problems: string[] = [];
    const ctx = await newSignedInContext(browser, server, {
      viewport: { width: w, height: h },
      locale,
    });
    const page = await ctx.newPage();
    watchPage(page, `${path} ${locale} ${w}x${h}`, problems);
    await page.goto(`${server.url}${path}`);
    await settled(page);
    await check(page, problems);
    await ctx.close();
    return problems;
  }

  for (const theme of ['light', 'contrast'] as const) {
    it(`${theme} theme at 1080p, TV and desk, zh and en: nothing cut, no error`, async () => {
      const problems: string[] = [];
      for (const mode of ['tv', 'desk'] as const)
        for (const locale of ['zh-CN', 'en'] as const) {
          const path = `/site/${SITE}?${mode === 'tv' ? 'tv=1&' : ''}theme=${theme}`;
          problems.push(
            ...(await onPage(path, [1920, 1080], locale, async (page, out) => {
              expect(await page.evaluate(() => document.documentElement.dataset['theme'])).toBe(
                theme,
              );
              const where = `${theme} ${mode} ${locale} 1920x1080`;
              const found = await fitProblems(page, where, {
                tv: mode === 'tv',
                zh: locale === 'zh-CN',
                server,
                site: SITE,
                proper,
                teams,
              });
              out.push(...found.problems);
              proper = found.proper;
              await screenshot(page, `fit-${theme}-${mode}-${locale}-1920x1080`);
            })),
          );
        }
      expect(problems).toEqual([]);
    });
  }

  it('rotating TV: every page it turns to fits at 720p and 1080p, zh and en', async () => {
    const problems: string[] = [];
    for (const size of SIZES.slice(0, 2))
      for (const locale of ['zh-CN', 'en'] as const)
        // The period only sets when the page turns, not what a page lays out: 5 s (the
        // shortest) turns through all three without a long wait.
        problems.push(
          ...(await onPage(`/site/${SITE}?tv=1&rotate=5`, size, locale, async (page, out) => {
            for (const p of ROTATION) {
              await page.locator(`main.grid.page-${p}`).waitFor({ timeout: 30_000 });
              await page.waitForTimeout(1000);
              const where = `rotation page ${p} ${locale} ${size[0]}x${size[1]}`;
              const found = await fitProblems(page, where, {
                tv: true,
                zh: locale === 'zh-CN',
                server,
                site: SITE,
                proper,
                ...(p === 'teams' ? { teams } : {}),
              });
              out.push(...found.problems);
              proper = found.proper;
              await screenshot(page, `fit-rotate-${p}-${locale}-${size[0]}x${size[1]}`);
            }
          })),
        );
    expect(problems).toEqual([]);
  });
});
