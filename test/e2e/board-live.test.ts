// End to end in Debian's Chromium against the real server: the board loads, says when a
// site has no events, shows an event on the right tile, explains figures, switches
// language (remembered), and scales for TV at 1080p and 4K. Screenshots go to test-artifacts/.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startServer, postEvents, type TestServer } from '../helpers/server.js';
import {
  describeBrowser,
  ensureBoardBuilt,
  launchBrowser,
  screenshot,
  newSignedInPage,
  newSignedInContext,
} from '../helpers/browser.js';
import { ev, figure, putConfig, waitForFigure } from './e2e-util.js';

const SITE = 'e2e-live';

describeBrowser('wallboard: live board in Chromium', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    await ensureBoardBuilt();
    server = await startServer();
    browser = await launchBrowser();
    await putConfig(server.url, SITE, {
      timezone: 'Asia/Shanghai',
      queues: { q1: { threshold_s: 20, target: 0.8 }, q2: { threshold_s: 30, target: 0.9 } },
    });
    const r = await postEvents(server, [
      ev(SITE, 'agent.login', { agent: 'a1', name: '王芳', team: 'A组', queues: ['q1', 'q2'] }),
      ev(SITE, 'agent.state', { agent: 'a1', state: 'ready' }),
      ev(SITE, 'agent.login', { agent: 'a2', name: 'Li Wei', team: 'B组', queues: ['q1', 'q2'] }),
      ev(SITE, 'agent.state', { agent: 'a2', state: 'not_ready', reason: 'break' }),
      ev(SITE, 'call.offered', { call: 'c1', queue: 'q1' }),
      ev(SITE, 'call.answered', { call: 'c1', queue: 'q1', agent: 'a1' }),
      ev(SITE, 'call.offered', { call: 'c2', queue: 'q2' }),
    ]);
    expect(r.body.rejected).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('lists the site at / and opens its board', async () => {
    const page = await newSignedInPage(browser, server, {
      viewport: { width: 1920, height: 1080 },
    });
    await page.goto(`${server.url}/`);
    await page.locator(`[data-site="${SITE}"] a.site`).click();
    await page.waitForURL(`**/site/${SITE}`);
    await page.locator('[data-status="live"]').waitFor();
    await page.close();
  });

  it('says so when a site has no events yet', async () => {
    await putConfig(server.url, 'e2e-nothing-yet', { timezone: 'Asia/Shanghai' });
    const page = await newSignedInPage(browser, server, {
      viewport: { width: 1920, height: 1080 },
    });
    await page.goto(`${server.url}/site/e2e-nothing-yet`);
    await expect(page.locator('[data-empty="true"]').textContent()).resolves.toContain(
      'No events for this site yet',
    );
    // Nothing is live on a site with no events: no green badge.
    expect(await page.locator('[data-status]').getAttribute('data-status')).toBe('no-data');
    await page.close();
  });

  it('says a site does not exist, with no live badge and no clock (en and zh)', async () => {
    for (const [locale, words] of [
      ['en', 'does not exist'],
      ['zh-CN', '不存在'],
    ] as const) {
      const ctx = await newSignedInContext(browser, server, {
        viewport: { width: 1920, height: 1080 },
        locale,
      });
      const page = await ctx.newPage();
      await page.goto(`${server.url}/site/nosuchsite`);
      await expect(page.locator('[data-unknown-site="true"]').textContent()).resolves.toContain(
        words,
      );
      expect(await page.locator('[data-status="live"]').count()).toBe(0);
      expect(await page.locator('.clock').count()).toBe(0);
      await ctx.close();
    }
  });

  it('says the same of a configured site with queues but no events', async () => {
    const page = await newSignedInPage(browser, server, {
      viewport: { width: 1920, height: 1080 },
    });
    // Configured, but still silent: the same words, whatever tiles the configuration draws.
    await putConfig(server.url, 'e2e-configured', {
      timezone: 'Asia/Shanghai',
      queues: { vip: { threshold_s: 10, target: 0.9 } },
    });
    await page.goto(`${server.url}/site/e2e-configured`);
    await expect(page.locator('[data-empty="true"]').textContent()).resolves.toContain(
      'No events for this site yet',
    );
    await page.close();
  });

  it('shows a new call on the right queue tile, and only there', async () => {
    const page = await newSignedInPage(browser, server, {
      viewport: { width: 1920, height: 1080 },
    });
    await page.goto(`${server.url}/site/${SITE}`);
    await waitForFigure(page, 'q1', 'waiting', '0');
    await waitForFigure(page, 'q2', 'waiting', '1');
    await expect(figure(page, 'q1', 'answered').textContent()).resolves.toBe('1');

    const sent = await postEvents(server, [ev(SITE, 'call.offered', { call: 'c3', queue: 'q1' })]);
    expect(sent.body.accepted).toBe(1);
    // Latency from the commit reply to the tile changing in the browser: printed, not asserted (no timing in tests).
    const ms = await waitForFigure(page, 'q1', 'waiting', '1');
    console.log(`[e2e] q1 waiting tile changed ${ms} ms after the ingest reply`);
    await expect(figure(page, 'q2', 'waiting').textContent()).resolves.toBe('1');

    // Agents: the grid shows names, states and reasons, ticking time in state.
    await expect(page.locator('[data-agent="a2"]').textContent()).resolves.toMatch(
      /Not ready · Break/,
    );
    await page.waitForTimeout(200);
    await screenshot(page, 'board-desktop-1920x1080');
    await page.close();
  });

  it('explains a figure on hover with its formula and counts', async () => {
    const page = await newSignedInPage(browser, server, {
      viewport: { width: 1920, height: 1080 },
    });
    await page.goto(`${server.url}/site/${SITE}`);
    await waitForFigure(page, 'q1', 'answered', '1');
    await page.locator('[data-queue="q1"] [data-figure="sl_today"]').hover();
    const tip = page.locator('[data-queue="q1"] [data-figure="sl_today"] [role="tooltip"]');
    await expect(tip.textContent()).resolves.toMatch(/Numerator: 1 · Denominator: 1/);
    await page.close();
  });

  it('switches language, changes labels, and remembers the choice', async () => {
    const context = await newSignedInContext(browser, server, {
      viewport: { width: 1920, height: 1080 },
    });
    const page = await context.newPage();
    await page.goto(`${server.url}/site/${SITE}`);
    const label = page.locator('[data-queue="q1"] [data-figure="waiting"] .figure-label');
    await expect(label.textContent()).resolves.toBe('Calls queued');
    await page.locator('[data-lang="zh-CN"]').click();
    await expect(label.textContent()).resolves.toBe('排队数');
    await expect(page.locator('[data-tile="alerts"] h2').textContent()).resolves.toContain('预警');
    await page.reload();
    await expect(
      page.locator('[data-queue="q1"] [data-figure="waiting"] .figure-label').textContent(),
    ).resolves.toBe('排队数');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await screenshot(page, 'board-desktop-zh-CN');
    await page.locator('[data-lang="en"]').click();
    await expect(
      page.locator('[data-queue="q1"] [data-figure="waiting"] .figure-label').textContent(),
    ).resolves.toBe('Calls queued');
    await context.close();
  });

  it('TV mode scales the type with the screen: 4K is twice 1080p', async () => {
    const sizes: number[] = [];
    for (const [w, h] of [
      [1920, 1080],
      [3840, 2160],
    ] as const) {
      const page = await newSignedInPage(browser, server, { viewport: { width: w, height: h } });
      await page.goto(`${server.url}/site/${SITE}?tv=1`);
      await waitForFigure(page, 'q1', 'waiting', '1');
      sizes.push(
        await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize)),
      );
      // No scrolling on a wall.
      expect(
        await page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight + 1),
      ).toBe(true);
      await screenshot(page, `board-tv-${w}x${h}`);
      await page.close();
    }
    expect(sizes[0]).toBe(24);
    expect(sizes[1]).toBe(48);
  });
});
