// Alerts people notice and can tame, in Chromium, in English and Chinese: five agents out of
// adherence show as one group; a new red overflow alert sounds (its tone is recorded on the
// panel) and flashes until acknowledged; a level filter, a snooze with a reason and hiding
// acknowledged alerts each change what is listed; the sound can be muted.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
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

describeBrowser('wallboard: alert noise control, sound and flash', () => {
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
    await putConfig(server.url, site, {
      timezone: 'UTC',
      overflow_rules: [
        {
          id: 'of-q1',
          queue: 'q1',
          conditions: { waiting_gte: 2 },
          mode: 'any',
          hold_down_s: 1,
          clear_down_s: 600,
          level: 'red',
          action: { kind: 'overflow', to: 'q2' },
        },
      ],
    });
    // Five agents rostered for work since 20 minutes ago who never signed in: out of adherence.
    const hhmm = (ms: number) =>
      DateTime.fromMillis(ms, { zone: 'UTC' }).toFormat('yyyy-MM-dd HH:mm');
    const t = Math.floor(Date.now() / 60_000) * 60_000;
    const roster = ['x1', 'x2', 'x3', 'x4', 'x5'].map((agent) => ({
      agent,
      team: 'A',
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
    // One event starts the feed (a site with no events is not judged).
    await postEvents(server, [ev(site, 'agent.login', { agent: 'y1', queues: ['q1'] })]);
  }

  const cards = (page: Page) => page.locator('[data-tile="alerts"] article');

  for (const [locale, words] of [
    ['en', { snoozed: 'snoozed', group: 'out of adherence' }],
    ['zh-CN', { snoozed: '暂缓', group: '未遵守排班' }],
  ] as const) {
    it(`groups, sounds, flashes, filters, snoozes and mutes (${locale})`, async () => {
      const site = `noise-${locale === 'en' ? 'en' : 'zh'}`;
      await floor(site);
      const ctx = await newSignedInContext(browser, server, {
        viewport: { width: 1920, height: 1080 },
        locale,
      });
      const page = await ctx.newPage();
      await page.goto(`${server.url}/site/${site}`);
      const group = page.locator('[data-alert-group="adherence"]');
      await group.waitFor({ timeout: 30_000 });
      expect(await group.getAttribute('data-count')).toBe('5');
      await expect(group.textContent()).resolves.toContain(words.group);

      // A new red alert: it sounds (red tone) and flashes.
      await postEvents(server, [
        ev(site, 'call.offered', { call: `${site}-c1`, queue: 'q1' }),
        ev(site, 'call.offered', { call: `${site}-c2`, queue: 'q1' }),
      ]);
      const red = page.locator('[data-tile="alerts"] article[data-kind="overflow"]');
      await red.waitFor({ timeout: 30_000 });
      await page.waitForFunction(() =>
        (document.querySelector('[data-tile="alerts"]')?.getAttribute('data-tones') ?? '').includes(
          'red',
        ),
      );
      expect(
        await red.evaluate(
          (el) => el.classList.contains('flash') && getComputedStyle(el, '::after').animationName,
        ),
      ).toMatch(/flash/);
      // The frame flashes, not the card: its words keep one contrast.
      expect(await red.evaluate((el) => getComputedStyle(el).animationName)).toBe('none');
      await screenshot(page, `alerts-noise-${locale}`);

      // Filter by level: only the red one.
      await page.locator('[data-control="alert-level"]').selectOption('red');
      await expect(cards(page).count()).resolves.toBe(1);
      await page.locator('[data-control="alert-level"]').selectOption({ index: 0 });

      // Each member of the group on request (the server's group: loaded from its URL).
      await page.locator('[data-control="expand"]').click();
      await expect
        .poll(() => page.locator('[data-tile="alerts"] article[data-kind="adherence"]').count(), {
          timeout: 10_000,
        })
        .toBe(5);

      // Snooze the red alert with a reason: it leaves the list and is counted as hidden.
      await red.locator('[data-control="snooze"]').click();
      await red
        .locator('input[name="reason"]')
        .fill(locale === 'en' ? 'router change under way' : '路由调整中');
      await red.locator('form button[type="submit"]').click();
      await expect(red.count()).resolves.toBe(0);
      await expect(
        page.locator('[data-alerts-hidden]').getAttribute('data-alerts-hidden'),
      ).resolves.toBe('1');

      // Acknowledge an adherence alert (through the API: the card's acknowledge form is tested
      // in board-alerts), then hide acknowledged ones.
      const first = page.locator('[data-tile="alerts"] article[data-kind="adherence"]').first();
      const id = await first.getAttribute('data-alert');
      const ack = await api(server, `/api/alerts/${encodeURIComponent(id ?? '')}/ack`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ by: 'Lead Wang' }),
      });
      expect(ack.status).toBe(200);
      await page
        .locator('[data-tile="alerts"] article[data-kind="adherence"] [data-acked-by]')
        .waitFor();
      await page.locator('[data-control="hide-acked"]').check();
      await expect(
        page.locator('[data-tile="alerts"] article[data-kind="adherence"]').count(),
      ).resolves.toBe(4);

      // Mute, remembered on this screen.
      await page.locator('[data-control="sound"]').click();
      expect(await page.locator('[data-control="sound"]').getAttribute('aria-pressed')).toBe(
        'false',
      );
      await page.reload();
      expect(await page.locator('[data-control="sound"]').getAttribute('aria-pressed')).toBe(
        'false',
      );
      await ctx.close();
    });
  }
});
