// The history page's interval table shows expired calls (docs/definitions.md, "Expired") in
// an "Expired / 失效" column with its explanation, in English and in Chinese, and its CSV
// export carries the column: calls that never end and one answered after its deadline go
// through the real API, and the page must show the numbers the report counts for them.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { api, postEvents, startServer, type TestServer } from '../helpers/server.js';
import {
  describeBrowser,
  ensureBoardBuilt,
  launchBrowser,
  newSignedInContext,
  screenshot,
} from '../helpers/browser.js';
import { ev, putConfig } from './e2e-util.js';

const SITE = 'e2e-expired';
const ZONE = 'Asia/Shanghai';
const QUARTER = 900_000;

describeBrowser('wallboard: expired calls on the history page in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  /** The quarter hour (3 to 3.25 h ago) in which the seeded calls expire. */
  let T = 0;

  beforeAll(async () => {
    await ensureBoardBuilt();
    server = await startServer();
    browser = await launchBrowser();
    // A 10-minute expiry, 15-minute intervals.
    await putConfig(server.url, SITE, { timezone: ZONE, interval_minutes: 15, call_expiry_s: 600 });
    T = Math.floor((Date.now() - 3 * 3_600_000) / QUARTER) * QUARTER;
    const off = T - 600_000; // an offer at off + k min expires at T + k min
    const events = [
      ev(SITE, 'agent.login', { agent: 'x1', name: 'X1' }, off - 60_000),
      ev(SITE, 'agent.state', { agent: 'x1', state: 'ready' }, off - 59_000),
      // q1: two calls that never end, deadlines T + 1 min and T + 2 min.
      ev(SITE, 'call.offered', { call: 'never1', queue: 'q1' }, off + 60_000),
      ev(SITE, 'call.offered', { call: 'never2', queue: 'q1' }, off + 120_000),
      // q2: answered 2 min after its deadline T + 3 min: expired AND answered.
      ev(SITE, 'call.offered', { call: 'late1', queue: 'q2' }, off + 180_000),
      ev(SITE, 'call.answered', { call: 'late1', queue: 'q2', agent: 'x1' }, T + 300_000),
      // q1: an ordinary call half an hour later, not expired.
      ev(SITE, 'call.offered', { call: 'ok1', queue: 'q1' }, T + 1_800_000),
      ev(SITE, 'call.answered', { call: 'ok1', queue: 'q1', agent: 'x1' }, T + 1_805_000),
    ];
    expect((await postEvents(server, events)).body.rejected).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  /** The interval table's rows as { start, queue, expired } (the header picked by its text). */
  async function tableRows(page: Page, header: string) {
    const table = page.locator('[data-table="intervals"]');
    await table.locator('.tools button').first().click();
    await table.locator('table.data tbody tr').first().waitFor({ timeout: 30_000 });
    const heads = await table.locator('thead th').allInnerTexts();
    const col = heads.indexOf(header);
    expect(col, `a "${header}" column in ${heads.join(' | ')}`).toBeGreaterThan(1);
    const rows = await table
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')),
      );
    return rows.map((r) => ({
      start: Date.parse(r[0] as string),
      queue: r[1] as string,
      expired: r[col] as string,
    }));
  }

  for (const lang of [
    { locale: 'en-US', header: 'Expired', explain: /within 10 min of their offer/ },
    { locale: 'zh-CN', header: '失效', explain: /接入后 10 分钟内/ },
  ])
    it(`shows the expired calls of each interval (${lang.locale})`, async () => {
      const context = await newSignedInContext(browser, server, {
        viewport: { width: 1920, height: 1080 },
        locale: lang.locale,
        acceptDownloads: true,
      });
      const page = await context.newPage();
      await page.goto(`${server.url}/site/${SITE}/history`);
      await page.locator('[data-section="service-level"] [data-point]').first().waitFor({
        timeout: 30_000,
      });
      const rows = await tableRows(page, lang.header);
      const at = (start: number, queue: string) =>
        rows.find((r) => r.start === start && r.queue === queue)?.expired;
      expect(at(T, 'q1')).toBe('2');
      expect(at(T, 'q2')).toBe('1');
      expect(at(T + 1_800_000, 'q1')).toBe('0');
      // Every row shows what the report serves.
      const today = new Date(T + 8 * 3_600_000).toISOString().slice(0, 10);
      const tomorrow = new Date(T + 32 * 3_600_000).toISOString().slice(0, 10);
      const served = (await (
        await api(
          server,
          `/api/reports/intervals?site=${SITE}&from=${today}&to=${tomorrow}&interval=15`,
        )
      ).json()) as { rows: { interval_start: string; queue: string; expired: number }[] };
      for (const r of served.rows)
        expect(at(Date.parse(r.interval_start), r.queue), `${r.interval_start} ${r.queue}`).toBe(
          String(r.expired),
        );
      await expect
        .poll(() => page.locator('[data-explain="expired"]').innerText())
        .toMatch(lang.explain);
      await screenshot(page, `history-expired-${lang.locale}`);

      // The CSV export has the column, with the same numbers.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('[data-export="intervals"]').click(),
      ]);
      const lines = readFileSync((await download.path()) as string, 'utf8')
        .replace(/^\ufeff/, '')
        .trim()
        .split('\r\n');
      const head = (lines[0] as string).split(',');
      const col = head.indexOf(lang.header);
      expect(col, head.join(',')).toBe(head.length - 1);
      const csv = lines.slice(1).map((l) => l.split(','));
      expect(csv.reduce((n, c) => n + Number(c[col]), 0)).toBe(3);
      expect(
        csv.filter((c) => Date.parse(c[0] as string) === T).map((c) => [c[1], c[col]]),
      ).toEqual([
        ['q1', '2'],
        ['q2', '1'],
      ]);
      await context.close();
    });
});
