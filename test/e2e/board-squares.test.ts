// The dense agent grid in Debian's Chromium against the real server (issue 22): 64 agents as
// coloured squares with name, state or reason, and time in state; searched by name or id and
// filtered by state, in en and zh; no square's text is cut.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startServer, postEvents, type TestServer } from '../helpers/server.js';
import {
  describeBrowser,
  ensureBoardBuilt,
  launchBrowser,
  newSignedInPage,
  screenshot,
} from '../helpers/browser.js';
import { ev, putConfig } from './e2e-util.js';

const SITE = 'e2e-squares';
const N = 64;
const STATES = ['ready', 'talking', 'wrap_up', 'not_ready'] as const;
const id = (i: number) => `ag${String(i).padStart(2, '0')}`;

describeBrowser('wallboard: dense agent grid', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    await ensureBoardBuilt();
    server = await startServer();
    browser = await launchBrowser();
    await putConfig(server.url, SITE, {
      timezone: 'Asia/Shanghai',
      alerts: { stale_feed_s: 3600 },
    });
    const events = [];
    for (let i = 0; i < N; i++) {
      events.push(
        ev(SITE, 'agent.login', {
          agent: id(i),
          name: `Agent ${id(i)}`,
          team: `T${i % 4}`,
          queues: ['q1'],
        }),
      );
      const state = STATES[i % STATES.length] as string;
      events.push(
        ev(SITE, 'agent.state', {
          agent: id(i),
          state,
          ...(state === 'not_ready' ? { reason: 'lunch' } : {}),
        }),
      );
    }
    const r = await postEvents(server, events);
    expect(r.body.rejected).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  for (const [lang, talking, lunch] of [
    ['en', 'Talking', 'Lunch'],
    ['zh-CN', '通话', '用餐'],
  ] as const) {
    it(`shows ${N} agents as squares, searchable and filterable by state (${lang})`, async () => {
      const page = await newSignedInPage(browser, server, {
        viewport: { width: 1920, height: 1080 },
      });
      await page.addInitScript((l) => localStorage.setItem('floorwatch.locale', l), lang);
      await page.goto(`${server.url}/site/${SITE}`);
      await page.locator('[data-view="squares"]').click();
      const squares = page.locator('[data-square]');
      await page.waitForFunction((n) => document.querySelectorAll('[data-square]').length === n, N);
      // Name, state (or the reason of a not-ready agent) and time in state on each square.
      const one = page.locator('[data-square="ag01"]');
      expect(await one.getAttribute('data-state')).toBe('talking');
      expect(await one.locator('.nm').textContent()).toBe('Agent ag01');
      expect(await one.locator('.st').textContent()).toBe(talking);
      expect(await one.locator('.tm').textContent()).toMatch(/^\d+:\d\d$/);
      expect(await page.locator('[data-square="ag03"] .st').textContent()).toBe(lunch);
      // Nothing cut: every text fits its square.
      const cut = await page.evaluate(
        () =>
          [...document.querySelectorAll('[data-square] span')].filter(
            (el) => el.scrollWidth > el.clientWidth + 1,
          ).length,
      );
      expect(cut).toBe(0);
      await screenshot(page, `board-squares-${lang}`);

      await page.locator('[data-control="agent-search"]').fill('ag07');
      await page.waitForFunction(() => document.querySelectorAll('[data-square]').length === 1);
      expect(await squares.first().getAttribute('data-square')).toBe('ag07');
      await page.locator('[data-control="agent-search"]').fill('');
      await page.waitForFunction((n) => document.querySelectorAll('[data-square]').length === n, N);
      const talkingN = await page.locator('[data-square][data-state="talking"]').count();
      expect(talkingN).toBeGreaterThan(10);
      await page.locator('[data-control="state-filter"]').selectOption({ label: talking });
      await page.waitForFunction(
        (n) => document.querySelectorAll('[data-square]').length === n,
        talkingN,
      );
      const states = await squares.evaluateAll((els) =>
        els.map((e) => e.getAttribute('data-state')),
      );
      expect(new Set(states)).toEqual(new Set(['talking']));
      await page.close();
    });
  }
});
