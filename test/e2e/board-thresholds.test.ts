// Colour thresholds per queue and per metric in Debian's Chromium against the real server
// (issue 22): a queue's own ASA threshold colours its ASA red while another queue with the
// same ASA follows the site's threshold (amber); the explain pop-up says which threshold
// applies and where it is set, in en and zh.
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
import { ev, noonZone, putConfig } from './e2e-util.js';

const SITE = 'e2e-thresholds';

describeBrowser('wallboard: colour thresholds per queue and metric', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    await ensureBoardBuilt();
    server = await startServer();
    browser = await launchBrowser();
    // A zone where it is noon: calls stamped two minutes ago are today's whatever the hour.
    await putConfig(server.url, SITE, {
      timezone: noonZone(),
      alerts: { stale_feed_s: 3600 },
      queues: {
        q1: { label: 'Billing', label_zh: '账务' },
        q2: { label: 'Sales', label_zh: '销售' },
      },
      display: {
        metrics: { asa_s: { warn: 20, alarm: 60 } },
        queues: { q1: { asa_s: { warn: 10, alarm: 30 } } },
      },
    });
    // One call per queue answered after a 40-s wait: ASA 40 s in both.
    const t = Date.now() - 120_000;
    const events = [];
    for (const [q, a] of [
      ['q1', 'a1'],
      ['q2', 'a2'],
    ] as const) {
      events.push(ev(SITE, 'agent.login', { agent: a, queues: [q] }, t));
      events.push(ev(SITE, 'call.offered', { call: `c-${q}`, queue: q }, t + 1000));
      events.push(ev(SITE, 'call.answered', { call: `c-${q}`, queue: q, agent: a }, t + 41_000));
    }
    const r = await postEvents(server, events);
    expect(r.body.rejected).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  for (const [lang, queueText, siteText] of [
    [
      'en',
      'amber from 0:10, red from 0:30 (set for queue Billing)',
      'amber from 0:20, red from 1:00 (site setting for every queue)',
    ],
    [
      'zh-CN',
      '达到 0:10 为黄色，达到 0:30 为红色（队列 账务 的专门设置）',
      '达到 0:20 为黄色，达到 1:00 为红色（站点对所有队列的设置）',
    ],
  ] as const) {
    it(`colours ASA by the queue's own threshold and explains it (${lang})`, async () => {
      const page = await newSignedInPage(browser, server, {
        viewport: { width: 1920, height: 1080 },
      });
      await page.addInitScript((l) => localStorage.setItem('floorwatch.locale', l), lang);
      await page.goto(`${server.url}/site/${SITE}`);
      const asa = (q: string) => page.locator(`[data-queue="${q}"] [data-figure="asa"]`);
      await asa('q1').locator('.figure-value.tone-alarm').waitFor();
      expect(await asa('q1').locator('.figure-value').textContent()).toBe('0:40');
      expect(await asa('q2').locator('.figure-value').getAttribute('class')).toContain('tone-warn');
      await asa('q1').hover();
      await expect(asa('q1').locator('[data-rule]').textContent()).resolves.toContain(queueText);
      await screenshot(page, `board-thresholds-${lang}`);
      await asa('q2').hover();
      await expect(asa('q2').locator('[data-rule]').textContent()).resolves.toContain(siteText);
      await page.close();
    });
  }
});
