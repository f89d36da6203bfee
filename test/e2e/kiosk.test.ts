// A TV on a kiosk link (issue 19): it never times out, so a 24 h jump of the page's clock
// leaves it live and still updating; revoking its link disconnects it and the board says so
// plainly, instead of reconnecting for ever with a dead token. Assertions are on what the
// page shows (generous timeouts), never on time measured here.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { makeToken, revokeToken } from '../helpers/auth.js';
import {
  describeBrowser,
  ensureBoardBuilt,
  launchBrowser,
  screenshot,
} from '../helpers/browser.js';
import { postEvents, startServer, type TestServer } from '../helpers/server.js';
import { ev, putConfig } from './e2e-util.js';

const SITE = 'e2e-kiosk';
const DAY_MS = 24 * 3600 * 1000;

/** Waits until the queue's "waiting" figure shows `want` (polled by Playwright, not the page's clock). */
const waiting = (page: Page, want: string, timeout = 20_000) =>
  page
    .locator(`[data-queue="q1"] [data-figure="waiting"] .figure-value`, {
      hasText: new RegExp(`^\\s*${want}\\s*$`),
    })
    .waitFor({ timeout });

describeBrowser('wallboard: kiosk links on TVs', () => {
  let server: TestServer;
  let browser: Browser;
  let n = 0;
  const offer = () =>
    postEvents(server, [ev(SITE, 'call.offered', { call: `k${++n}`, queue: 'q1' })]);

  beforeAll(async () => {
    await ensureBoardBuilt();
    server = await startServer();
    browser = await launchBrowser();
    await putConfig(server.url, SITE, {
      timezone: 'Asia/Shanghai',
      alerts: { stale_feed_s: 3600 },
    });
    await offer();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  for (const locale of ['en-GB', 'zh-CN'] as const) {
    it(`stays live across a 24 h clock jump and keeps updating (${locale})`, async () => {
      const kiosk = await makeToken(server, 'kiosk', SITE, { label: `wall ${locale}` });
      const ctx = await browser.newContext({ locale, viewport: { width: 1920, height: 1080 } });
      await ctx.clock.install();
      const page = await ctx.newPage();
      await page.goto(`${server.url}${kiosk.link}`);
      const before = n;
      await waiting(page, String(before), 30_000);

      await ctx.clock.fastForward(DAY_MS);
      // Timers due in that day run; the page must neither sign out nor give up.
      await ctx.clock.runFor(60_000);
      await offer();
      await waiting(page, String(before + 1));
      await page.locator('[data-status="live"]').waitFor({ timeout: 20_000 });
      expect(new URL(page.url()).pathname).toBe(`/site/${SITE}`);
      expect(await page.locator('[data-ended]').count()).toBe(0);
      const shown = await page.evaluate(() => Date.now());
      expect(shown).toBeGreaterThan(Date.now() + DAY_MS - 3_600_000);
      await screenshot(page, `kiosk-after-24h-${locale}`);
      await ctx.close();
    });
  }

  for (const locale of ['en-GB', 'zh-CN'] as const) {
    it(`is disconnected when its link is revoked and says so (${locale})`, async () => {
      const kiosk = await makeToken(server, 'kiosk', SITE, { label: `revoked ${locale}` });
      const ctx = await browser.newContext({ locale, viewport: { width: 1920, height: 1080 } });
      const page = await ctx.newPage();
      let sockets = 0;
      page.on('websocket', () => sockets++);
      await page.goto(`${server.url}${kiosk.link}`);
      await waiting(page, String(n), 30_000);

      await revokeToken(server, kiosk.id);
      const ended = page.locator('[data-ended="kiosk"]');
      await ended.waitFor({ timeout: 15_000 });
      expect(await ended.textContent()).toContain(
        locale === 'zh-CN' ? '此大屏的链接已被吊销' : 'kiosk link was revoked',
      );
      // Nothing on the page claims it is live or about to reconnect.
      expect(await page.locator('[data-status]').count()).toBe(0);
      expect(await page.locator('.board').getAttribute('data-stale')).toBe('true');
      await screenshot(page, `kiosk-revoked-${locale}`);
      // It stopped: no new socket, and a later event does not reach it.
      const opened = sockets;
      const shownBefore = await page
        .locator('[data-queue="q1"] [data-figure="waiting"] .figure-value')
        .textContent();
      await offer();
      // The server's own answer to the link says the same to anyone who opens it again.
      const res = await fetch(`${server.url}${kiosk.link}`, { redirect: 'manual' });
      expect(res.status).toBe(404);
      await page.waitForTimeout(2_000);
      expect(sockets).toBe(opened);
      expect(
        await page.locator('[data-queue="q1"] [data-figure="waiting"] .figure-value').textContent(),
      ).toBe(shownBefore);
      await ctx.close();
    });
  }
});
