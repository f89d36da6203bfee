// The desk's teams tile pages a site with many teams (20 at a time, in name order) instead
// of drawing every one; a site with few teams has no pager; in en and zh.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { postEvents, startServer, type TestServer } from '../helpers/server.js';
import {
  describeBrowser,
  ensureBoardBuilt,
  launchBrowser,
  newSignedInContext,
  screenshot,
} from '../helpers/browser.js';
import { ev, noonZone, putConfig, rosterAtWorkNow } from './e2e-util.js';

const SITE = 'e2e-team-pages';
const TEAMS = Array.from({ length: 45 }, (_, i) => `T${String(i + 1).padStart(2, '0')}`);
const RANGES = {
  'en-GB': ['1–20 of 45', '21–40 of 45', '41–45 of 45'],
  'zh-CN': ['第 1–20 条,共 45 条', '第 21–40 条,共 45 条', '第 41–45 条,共 45 条'],
} as const;
const NEXT = { 'en-GB': 'Next', 'zh-CN': '下一页' } as const;

const tile = (page: Page) => page.locator('[data-tile="teams"]');
const shownTeams = (page: Page) =>
  tile(page)
    .locator('[data-team]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-team')));

describeBrowser('wallboard: the teams tile of a site with many teams', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    await ensureBoardBuilt();
    server = await startServer();
    browser = await launchBrowser();
    await putConfig(server.url, SITE, { timezone: noonZone() });
    // One agent per team, rostered now; the board lists every rostered team.
    await rosterAtWorkNow(
      server.url,
      SITE,
      TEAMS.map((team, i) => ({ agent: `a${i}`, team })),
    );
    const r = await postEvents(server, [
      ev(SITE, 'agent.login', { agent: 'a0', name: 'Li Na', team: 'T01', queues: ['q1'] }),
      ev(SITE, 'agent.state', { agent: 'a0', state: 'ready' }),
    ]);
    expect(r.body.accepted).toBe(2);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  for (const locale of ['en-GB', 'zh-CN'] as const)
    it(`desk in ${locale}: 20 teams a page, next pages through the rest`, async () => {
      const ctx = await newSignedInContext(browser, server, {
        viewport: { width: 1920, height: 1080 },
        locale,
      });
      const page = await ctx.newPage();
      await page.goto(`${server.url}/site/${SITE}`);
      await tile(page).locator('[data-team="T01"]').waitFor();
      const range = tile(page).locator('[data-page-range]');
      const next = tile(page).locator('[data-page="next"]');
      expect((await range.textContent())?.trim()).toBe(RANGES[locale][0]);
      expect((await next.textContent())?.trim()).toBe(`${NEXT[locale]} ›`);
      expect(await shownTeams(page)).toEqual(TEAMS.slice(0, 20));
      await next.click();
      await tile(page).locator('[data-team="T21"]').waitFor();
      expect((await range.textContent())?.trim()).toBe(RANGES[locale][1]);
      expect(await shownTeams(page)).toEqual(TEAMS.slice(20, 40));
      await next.click();
      await tile(page).locator('[data-team="T41"]').waitFor();
      expect((await range.textContent())?.trim()).toBe(RANGES[locale][2]);
      expect(await shownTeams(page)).toEqual(TEAMS.slice(40));
      expect(await next.isDisabled()).toBe(true);
      await screenshot(page, `team-pages-${locale}`);
      await ctx.close();
    });
});
