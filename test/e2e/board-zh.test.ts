// Complete Chinese: every page of a believable floor, opened in Chromium with a zh-CN
// browser, must show no untranslated English word and no internal id. Proper names (agent
// names and work ids, the site's own id) are data, not words, and are allowed; everything
// else with Latin letters fails the test, with the words and where they were.
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
import { englishWords, properNames, properNamesNow, visibleText } from './zh-words.js';

const SITE = 'zhfloor';
describeBrowser('wallboard: complete Chinese', () => {
  let server: TestServer;
  let browser: Browser;
  let proper: Set<string>;

  beforeAll(async () => {
    await ensureBoardBuilt();
    server = await startServer();
    await seedFloor(server, SITE, 60, 20);
    browser = await launchBrowser();
    const snap = (await (await api(server, `/api/live?site=${SITE}`)).json()) as LiveSnapshot;
    proper = properNames(SITE, snap);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  const pages = [
    { name: 'picker', path: '/' },
    { name: 'desk', path: `/site/${SITE}` },
    { name: 'tv', path: `/site/${SITE}?tv=1` },
    { name: 'tv-rotate', path: `/site/${SITE}?tv=1&rotate=5` },
    { name: 'history', path: `/site/${SITE}/history` },
  ];

  it('shows no English word and no internal id on any zh page', async () => {
    const found: string[] = [];
    for (const p of pages) {
      const ctx = await newSignedInContext(browser, server, {
        viewport: { width: 1920, height: 1080 },
        locale: 'zh-CN',
      });
      const page = await ctx.newPage();
      await page.goto(`${server.url}${p.path}`);
      await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
      if (p.name === 'picker') await page.locator(`[data-site="${SITE}"]`).waitFor();
      else if (p.name === 'history')
        await page.locator('[data-history-ready="true"]').waitFor({ timeout: 30_000 });
      else await page.locator('[data-queue]').first().waitFor({ timeout: 30_000 });
      if (p.name === 'desk') {
        // Open what a supervisor opens: an explanation and the handover.
        await page.locator('[data-figure="sl_today"]').first().hover();
        await page.locator('[data-control="handover"]').click();
        await page.locator('[data-tile="handover"] h3, [data-tile="handover"] p').first().waitFor();
      }
      const texts = await visibleText(page);
      // The check means something only on a page full of words.
      expect(texts.length, p.name).toBeGreaterThan(p.name === 'picker' ? 5 : 40);
      proper = await properNamesNow(server, SITE, proper);
      for (const w of englishWords(texts, proper)) found.push(`${p.name}: ${w}`);
      await screenshot(page, `zh-${p.name}`);
      await ctx.close();
    }
    expect(found).toEqual([]);
  });
});
