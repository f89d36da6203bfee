// Many alerts on the desk (defect 5: 34 alerts made a 7,000-px page with the agent grid at
// y = 3,587). With 36 agents out of adherence, shown one by one, the alert panel scrolls
// inside a bounded box, the agent grid starts on the first screen, and the page stays short,
// in English and Chinese.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DateTime } from 'luxon';
import { api, postEvents, startServer, type TestServer } from '../helpers/server.js';
import {
  describeBrowser,
  ensureBoardBuilt,
  launchBrowser,
  newSignedInContext,
  screenshot,
} from '../helpers/browser.js';
import { ev, putConfig } from './e2e-util.js';

const N = 36;

describeBrowser('wallboard: many alerts on the desk', () => {
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

  async function floor(site: string): Promise<void> {
    // The server's grouping is raised out of the way so the board gets every alert itself.
    await putConfig(server.url, site, { timezone: 'UTC', alerts: { group_at: 1000 } });
    const hhmm = (ms: number) =>
      DateTime.fromMillis(ms, { zone: 'UTC' }).toFormat('yyyy-MM-dd HH:mm');
    const t = Math.floor(Date.now() / 60_000) * 60_000;
    const roster = Array.from({ length: N }, (_, i) => ({
      agent: `m${String(i + 1).padStart(2, '0')}`,
      team: `T${(i % 6) + 1}`,
      start: hhmm(t - 20 * 60_000),
      end: hhmm(t + 60 * 60_000),
      activity: 'work',
    }));
    const put = await api(server, `/api/sites/${site}/roster`, {
      method: 'PUT',
      body: JSON.stringify(roster),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(put.status).toBe(200);
    await postEvents(server, [
      ev(site, 'agent.login', { agent: 'on1', queues: ['q1'] }),
      ev(site, 'agent.state', { agent: 'on1', state: 'ready' }),
    ]);
  }

  for (const locale of ['en', 'zh-CN'] as const) {
    it(`${N} alerts scroll inside their panel; agents on the first screen (${locale})`, async () => {
      const site = `many-${locale === 'en' ? 'en' : 'zh'}`;
      await floor(site);
      const ctx = await newSignedInContext(browser, server, {
        viewport: { width: 1920, height: 1080 },
        locale,
      });
      const page = await ctx.newPage();
      await page.goto(`${server.url}/site/${site}`);
      const group = page.locator('[data-alert-group="adherence"]');
      await group.waitFor({ timeout: 30_000 });
      await page.waitForFunction(
        (n) =>
          document.querySelector('[data-alert-group="adherence"]')?.getAttribute('data-count') ===
          String(n),
        N,
        { timeout: 30_000 },
      );
      // One by one: the worst case for the page's height.
      await group.locator('[data-control="expand"]').click();
      await expect
        .poll(() => page.locator('[data-tile="alerts"] article[data-kind="adherence"]').count(), {
          timeout: 10_000,
        })
        .toBe(N);
      const m = await page.evaluate(() => {
        const list = document.querySelector('[data-tile="alerts"] .list') as HTMLElement;
        const agents = document.querySelector('[data-region="agents"]') as HTMLElement;
        return {
          listHeight: list.clientHeight,
          listScroll: list.scrollHeight,
          agentsTop: agents.getBoundingClientRect().top + window.scrollY,
          page: document.documentElement.scrollHeight,
          vh: window.innerHeight,
        };
      });
      await screenshot(page, `many-alerts-${locale}`);
      expect(m.listScroll, 'the alert list scrolls inside').toBeGreaterThan(m.listHeight);
      expect(m.listHeight, 'the alert list is bounded').toBeLessThanOrEqual(m.vh * 0.6);
      expect(m.agentsTop, 'the agent grid starts on the first screen').toBeLessThan(m.vh * 0.8);
      expect(m.page, 'the page stays a few screens long').toBeLessThan(m.vh * 3);
      await ctx.close();
    });
  }
});
