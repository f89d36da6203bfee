// Honest when stale, end to end: when producers go silent the board greys its figures and
// says "Stale since hh:mm:ss", and clears when events resume; when the server goes away it
// says so, reconnects with backoff, and resumes from a fresh snapshot.
import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, postEvents, type TestServer } from '../helpers/server.js';
import {
  describeBrowser,
  ensureBoardBuilt,
  launchBrowser,
  screenshot,
  newSignedInPage,
} from '../helpers/browser.js';
import { ev, putConfig, waitForFigure } from './e2e-util.js';

const SITE = 'e2e-stale';

/** A free port, so a restarted server comes back where the open board reconnects. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const status = (page: Page) => page.locator('[data-status]').getAttribute('data-status');

describeBrowser('wallboard: stale indicator in Chromium', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    await ensureBoardBuilt();
    server = await startServer({ env: { PORT: String(await freePort()) } });
    browser = await launchBrowser();
    // Producers silent for 2 s make the feed stale (the default is 60 s; shorter keeps the test short).
    await putConfig(server.url, SITE, { timezone: 'Europe/London', alerts: { stale_feed_s: 2 } });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('greys out and says "stale since" when the feed stops, and clears when it resumes', async () => {
    await postEvents(server, [ev(SITE, 'call.offered', { call: 's1', queue: 'q1' })]);
    const page = await newSignedInPage(browser, server, {
      viewport: { width: 1920, height: 1080 },
    });
    await page.goto(`${server.url}/site/${SITE}`);
    await waitForFigure(page, 'q1', 'waiting', '1');
    // No more events: the server flags feed_stale after 2 s and the board must show it.
    await page.locator('[data-status="stale"]').waitFor({ timeout: 15_000 });
    await expect(page.locator('[data-status="stale"]').textContent()).resolves.toMatch(
      /Stale since \d\d:\d\d:\d\d/,
    );
    expect(await page.locator('.board').getAttribute('data-stale')).toBe('true');
    const colour = await page
      .locator('[data-queue="q1"] [data-figure="waiting"] .figure-value')
      .evaluate((el) => getComputedStyle(el).color);
    expect(colour).toBe('rgb(107, 114, 128)'); // --st-stale grey, not a live tone
    await screenshot(page, 'board-stale-feed');

    await postEvents(server, [ev(SITE, 'call.offered', { call: 's2', queue: 'q1' })]);
    await page.locator('[data-status="live"]').waitFor({ timeout: 15_000 });
    await waitForFigure(page, 'q1', 'waiting', '2');
    expect(await page.locator('.board').getAttribute('data-stale')).toBe('false');
    await page.close();
  });

  it('says so when the server goes away, then reconnects and resumes by snapshot', async () => {
    // Only the lost connection may make this board stale here, not quiet producers.
    await putConfig(server.url, SITE, { alerts: { stale_feed_s: 3600 } });
    const page = await newSignedInPage(browser, server, {
      viewport: { width: 1920, height: 1080 },
    });
    await page.goto(`${server.url}/site/${SITE}`);
    await postEvents(server, [ev(SITE, 'call.offered', { call: 's3', queue: 'q1' })]);
    await waitForFigure(page, 'q1', 'waiting', '3');
    await page.locator('[data-status="live"]').waitFor({ timeout: 15_000 });

    await server.stop('SIGTERM');
    await page.locator('[data-status="stale"]').waitFor({ timeout: 20_000 });
    await expect(page.locator('[data-status="stale"]').textContent()).resolves.toMatch(
      /Stale since \d\d:\d\d:\d\d.*(disconnected|no update)/,
    );
    await screenshot(page, 'board-stale-disconnected');

    // Same port, same data folder; the board reconnects on its own.
    server = await server.restart();
    // An event while the board was away reaches it through the fresh snapshot.
    await postEvents(server, [ev(SITE, 'call.offered', { call: 's4', queue: 'q1' })]);
    await waitForFigure(page, 'q1', 'waiting', '4', 30_000);
    await page.locator('[data-status="live"]').waitFor({ timeout: 15_000 });
    expect(await status(page)).toBe('live');
    await page.close();
  });
});
